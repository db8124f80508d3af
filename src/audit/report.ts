// What an audit found, independent of how it is printed (table, JSON, PolicyReports).
import type { ModeSource } from "../policy/enforcement.ts";
import type { Mode } from "../policy/types.ts";

export interface AuditFinding {
  readonly code: string;
  readonly mode: Mode;
  /** Which setting chose the mode (forced, tenant-rule, tenant, global-rule, global). */
  readonly modeSource: ModeSource;
  readonly message: string;
  readonly path?: string;
}

export interface ObjectResult {
  readonly apiVersion: string;
  readonly kind: string;
  /** "" for cluster-scoped objects. */
  readonly namespace: string;
  /** "" when the manifest only has generateName. */
  readonly name: string;
  readonly generateName?: string;
  readonly uid?: string;
  /** Where the object came from: a manifest file and line, absent for cluster objects. */
  readonly file?: string;
  readonly line?: number;
  readonly findings: readonly AuditFinding[];
  /** Why the object was not evaluated (exempt namespace), if it was not. */
  readonly skipped?: string;
}

export interface AuditSummary {
  readonly objects: number;
  readonly objectsWithFindings: number;
  readonly skipped: number;
  readonly findings: Readonly<Record<Mode, number>>;
}

export interface AuditReport {
  readonly generatedAt: string;
  /** "manifests" (files, stdin) or "cluster" (--cluster scan). */
  readonly scope: "manifests" | "cluster";
  readonly directory: string;
  readonly user: string;
  readonly results: readonly ObjectResult[];
  readonly summary: AuditSummary;
  /** Resources that could not be scanned (--cluster), with the reason. */
  readonly incomplete?: readonly string[];
}

export function summarize(results: readonly ObjectResult[]): AuditSummary {
  const findings: Record<Mode, number> = { Enforce: 0, Warn: 0, Audit: 0 };
  let withFindings = 0;
  let skipped = 0;
  for (const r of results) {
    if (r.skipped !== undefined) skipped++;
    if (r.findings.length > 0) withFindings++;
    for (const f of r.findings) findings[f.mode]++;
  }
  return { objects: results.length, objectsWithFindings: withFindings, skipped, findings };
}

/** 1 when anything would be denied at admission (a finding in Enforce mode), else 0. */
export function exitCodeOf(report: AuditReport): number {
  return report.summary.findings.Enforce > 0 ? 1 : 0;
}

/** "Deployment team-alpha/trainer" or "Namespace team-alpha". */
export function objectLabel(r: ObjectResult): string {
  const name = r.name || (r.generateName ? `${r.generateName}*` : "(no name)");
  return r.namespace ? `${r.kind} ${r.namespace}/${name}` : `${r.kind} ${name}`;
}
