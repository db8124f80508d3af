// Extra fields for the per-review log line, so findings are greppable by mode and message:
// `jq 'select(.audit)'` lists every request an Audit-mode rule would have denied.
import type { ResolvedFinding } from "../policy/engine.ts";

const MAX_LOGGED = 20;
const MAX_MESSAGE = 512;

export interface FindingLogFields {
  /** True when at least one finding was handled in Audit mode (allowed, recorded only). */
  readonly audit?: true;
  readonly findings?: readonly {
    code: string;
    mode: string;
    modeSource?: string;
    message: string;
    path?: string;
  }[];
}

export function findingLogFields(findings: readonly ResolvedFinding[]): FindingLogFields {
  if (findings.length === 0) return {};
  const listed = findings.slice(0, MAX_LOGGED).map((f) => ({
    code: f.code,
    mode: f.mode,
    ...(f.modeSource === undefined ? {} : { modeSource: f.modeSource }),
    message: f.message.length > MAX_MESSAGE ? f.message.slice(0, MAX_MESSAGE - 1) + "…" : f.message,
    ...(f.path === undefined ? {} : { path: f.path }),
  }));
  return findings.some((f) => f.mode === "Audit") ? { audit: true, findings: listed } : { findings: listed };
}
