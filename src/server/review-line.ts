// The fields of the review line, one per answered review, in the line's order; pino writes it
// (a hand-built line measured within noise of pino's, bench/README.md "Stand-ins measured").
import type { ResolvedFinding } from "../policy/engine.ts";
import { findingLogFields } from "./finding-log-fields.ts";

export interface ReviewLineFields {
  readonly route: string;
  readonly uid: string;
  readonly kind: string;
  readonly subResource: string;
  readonly namespace: string;
  readonly name: string;
  readonly operation: string;
  readonly user: string;
  readonly dryRun: boolean;
  readonly decision: string;
  /** Number of patch operations; 0 writes none, as pino drops an undefined field. */
  readonly patchOps: number;
  readonly latencyMs: number;
}

/**
 * The review line's fields as an object for pino, in the line's order, with the rule codes and
 * findingLogFields of a review with findings. Empty strings and a zero patch count are left out.
 */
export function reviewLogFields(
  f: ReviewLineFields,
  findings: readonly ResolvedFinding[] = [],
): Record<string, unknown> {
  return {
    route: f.route,
    uid: f.uid,
    kind: f.kind,
    subResource: f.subResource || undefined,
    namespace: f.namespace || undefined,
    name: f.name || undefined,
    operation: f.operation,
    user: f.user,
    dryRun: f.dryRun,
    decision: f.decision,
    rules: findings.length > 0 ? findings.map((x) => `${x.code}:${x.mode}`) : undefined,
    ...findingLogFields(findings),
    patchOps: f.patchOps || undefined,
    latencyMs: f.latencyMs,
  };
}
