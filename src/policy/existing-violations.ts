// On UPDATE, a finding the old object already had is not the update's doing (Kyverno's
// allowExistingViolations). Findings are matched by WHAT they reference, not where: the code, the
// message (it names the referenced object or value, never an array index) and the path with every
// index read as [*], so removing env[0] does not make env[1]'s old reference look new. Exact paths
// are matched first, and each old finding excuses one new one: a second reference to the same
// object at a new place is still new.
import type { Finding } from "./types.ts";

const INDEX = /\[\d+\]/g;

function exactKey(f: Finding): string {
  return `${f.code}\n${f.message}\n${f.path ?? ""}`;
}

function anyIndexKey(f: Finding): string {
  return `${f.code}\n${f.message}\n${(f.path ?? "").replace(INDEX, "[*]")}`;
}

function count(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

/** Takes one from the count of k; false when none is left. */
function take(m: Map<string, number>, k: string): boolean {
  const n = m.get(k) ?? 0;
  if (n === 0) return false;
  m.set(k, n - 1);
  return true;
}

/** Removes from out[from..] (in place, order kept) the findings `had` already accounts for. */
export function dropExisting(out: Finding[], from: number, had: readonly Finding[]): void {
  if (had.length === 0 || out.length === from) return;
  const exact = new Map<string, number>();
  const loose = new Map<string, number>();
  for (const f of had) {
    count(exact, exactKey(f));
    count(loose, anyIndexKey(f));
  }
  const drop = new Set<number>();
  for (let r = from; r < out.length; r++) {
    const f = out[r] as Finding;
    if (take(exact, exactKey(f))) {
      take(loose, anyIndexKey(f));
      drop.add(r);
    }
  }
  for (let r = from; r < out.length; r++) {
    if (!drop.has(r) && take(loose, anyIndexKey(out[r] as Finding))) drop.add(r);
  }
  if (drop.size === 0) return;
  let w = from;
  for (let r = from; r < out.length; r++) if (!drop.has(r)) out[w++] = out[r] as Finding;
  out.length = w;
}
