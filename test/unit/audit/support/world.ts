// Shared by the mode, dry-run and audit tests: the example world with team-alpha's enforcement
// rewritten, real-shaped pod reviews, and a Prometheus text reader.
import { readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadReview, type ReviewJson } from "../../../support/fixtures.ts";

export const ROOT = join(import.meta.dirname, "..", "..", "..", "..");
export const EXAMPLES = join(ROOT, "examples", "cluster.yaml");
export const MANIFESTS = join(ROOT, "test", "fixtures", "audit", "manifests");
/** Upstream-shaped ML platform tree with a kustomization, patches, merge keys and a broken file. */
export const PLATFORM = join(ROOT, "test", "fixtures", "audit", "platform");
const ALPHA_ENFORCEMENT = "  enforcement:\n    mode: Enforce\n";

/**
 * examples/cluster.yaml with team-alpha's `spec.enforcement` replaced by `enforcement` (YAML flow
 * text such as `{mode: Audit, rules: {TG-TENANT-LABEL: Warn}}`) or removed; returns "file:PATH".
 */
export async function worldWith(enforcement: string | undefined): Promise<string> {
  const text = readFileSync(EXAMPLES, "utf8");
  if (text.split(ALPHA_ENFORCEMENT).length !== 2) throw new Error("examples/cluster.yaml changed shape");
  const block = enforcement === undefined ? "" : `  enforcement: ${enforcement}\n`;
  const dir = await mkdtemp(join(tmpdir(), "tg-world-"));
  const path = join(dir, "cluster.yaml");
  await writeFile(path, text.replace(ALPHA_ENFORCEMENT, block));
  return `file:${path}`;
}

/** pod-create.json (team-alpha) claiming `tenant`; dryRun and uid as given. */
export function podClaiming(
  tenant: string | undefined,
  opts: { dryRun?: boolean; uid?: string } = {},
): ReviewJson {
  const r = loadReview("pod-create");
  const md = r.request.object!.metadata as { labels: Record<string, string> };
  if (tenant !== undefined) md.labels["tenant-guard.dev/tenant"] = tenant;
  if (opts.dryRun !== undefined) r.request.dryRun = opts.dryRun;
  if (opts.uid !== undefined) r.request.uid = opts.uid;
  return r;
}

/** The value of one sample in Prometheus text format, or 0 when absent. */
export function metric(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`)) continue;
    const inner = line.slice(name.length + 1, line.indexOf("}"));
    const ok = Object.entries(labels).every(([k, v]) => inner.includes(`${k}="${v}"`));
    if (ok) return Number(line.slice(line.indexOf("}") + 1).trim());
  }
  return 0;
}

export interface ReviewOut {
  response: {
    uid: string;
    allowed: boolean;
    status?: { code: number; message: string };
    patch?: string;
    warnings?: string[];
    auditAnnotations?: Record<string, string>;
  };
}
