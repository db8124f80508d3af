// What an audit found, independent of how it is printed (table, JSON, PolicyReports).
import type { ModeSource } from "../policy/enforcement.ts";
import type { Mode } from "../policy/types.ts";
import type { SkippedDocument } from "../tenancy/yaml-objects.ts";
import type { UnreadableInput } from "./documents.ts";

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
  /** Why the object was not evaluated (exempt namespace) or not checked (its kind), if so. */
  readonly skipped?: string;
  /** "exempt": its namespace is exempt; "unchecked": no tenant-guard rule checks its kind. */
  readonly skip?: "exempt" | "unchecked";
}

export interface AuditSummary {
  readonly objects: number;
  readonly objectsWithFindings: number;
  /** Objects in exempt namespaces. */
  readonly skipped: number;
  /** Objects of kinds no tenant-guard rule checks (counted, never as clean). */
  readonly unchecked: number;
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
  /** --cluster: tenants whose counted pods exceed a spec.quota.hard value. */
  readonly overBudget?: readonly string[];
  /** Documents that are not objects to audit (kustomization.yaml, patches), with the reason. */
  readonly skippedDocuments?: readonly SkippedDocument[];
  /** Files that could not be read or parsed: skipped, the rest audited, exit status 2 (or 3). */
  readonly unreadable?: readonly UnreadableInput[];
}

export function summarize(results: readonly ObjectResult[]): AuditSummary {
  const findings: Record<Mode, number> = { Enforce: 0, Warn: 0, Audit: 0 };
  let withFindings = 0;
  let skipped = 0;
  let unchecked = 0;
  for (const r of results) {
    if (r.skip === "unchecked") unchecked++;
    else if (r.skipped !== undefined) skipped++;
    if (r.findings.length > 0) withFindings++;
    for (const f of r.findings) findings[f.mode]++;
  }
  return { objects: results.length, objectsWithFindings: withFindings, skipped, unchecked, findings };
}

/** Bit 1: something would be denied at admission (an Enforce finding); bit 2: input was unreadable. */
export function exitCodeOf(report: AuditReport): number {
  const denied = report.summary.findings.Enforce > 0 ? 1 : 0;
  const unreadable = (report.unreadable?.length ?? 0) > 0 ? 2 : 0;
  return denied | unreadable;
}

/** "Deployment team-alpha/trainer" or "Namespace team-alpha". */
export function objectLabel(r: ObjectResult): string {
  const name = r.name || (r.generateName ? `${r.generateName}*` : "(no name)");
  return r.namespace ? `${r.kind} ${r.namespace}/${name}` : `${r.kind} ${name}`;
}
