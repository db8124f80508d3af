// Small JSONPatch builders shared by the pod mutators. The object is untrusted: a map that is absent
// or null is "missing" (added whole); a map of another type is left alone, never replaced.
import { escapePointer, type PatchOp } from "../../admission/patch.ts";
import { isRecord, own, type JsonRecord } from "../../k8s/access.ts";

/** The map at parent[field]: the map itself, null when missing, undefined when unusable. */
export function mapField(parent: JsonRecord, field: string): JsonRecord | null | undefined {
  const v = own(parent, field);
  if (v === undefined || v === null) return null;
  return isRecord(v) ? v : undefined;
}

/**
 * Adds to parent[field] (at JSON pointer `path`) each entry it lacks; a key the object already has
 * keeps its value, whatever it is. `first` (the tenant label) wins over `entries` for its key.
 */
export function addMissingEntries(
  out: PatchOp[],
  parent: JsonRecord,
  field: string,
  path: string,
  entries: Readonly<Record<string, string>>,
  first?: readonly [string, string],
): void {
  const map = mapField(parent, field);
  if (map === undefined) return;
  if (map === null) {
    const pairs: [string, string][] = first === undefined ? [] : [[first[0], first[1]]];
    for (const k in entries) if (k !== first?.[0]) pairs.push([k, entries[k] as string]);
    // fromEntries defines own properties, so even a "__proto__" key stays data.
    if (pairs.length > 0) out.push({ op: "add", path: `${path}/${field}`, value: Object.fromEntries(pairs) });
    return;
  }
  if (first !== undefined && !Object.hasOwn(map, first[0]))
    out.push({ op: "add", path: `${path}/${field}/${escapePointer(first[0])}`, value: first[1] });
  for (const k in entries) {
    if (k === first?.[0] || Object.hasOwn(map, k)) continue;
    out.push({ op: "add", path: `${path}/${field}/${escapePointer(k)}`, value: entries[k] });
  }
}
