// What is recorded about each review - counters, the duration histogram, the review log line - behind
// one small interface (in the spirit of kubewebhook's MetricsRecorder), so the admission route
// only decodes, decides and encodes. The bookkeeping runs after the batch of answers
// (after-answers.ts), never between one review and the next.
import type { Logger } from "pino";
import type { AdmissionRequest } from "../admission/types.ts";
import type { TenantGuardError } from "../errors.ts";
import type { LogClock } from "../log.ts";
import { RULE_FAILED_CODE, type Decision, type Endpoint } from "../policy/engine.ts";
import type { Directory } from "../tenancy/directory.ts";
import type { AfterAnswers } from "./after-answers.ts";
import type { Metrics } from "./metrics.ts";
import { reviewLogFields, type ReviewLineFields } from "./review-line.ts";

/** One endpoint's recorder; the admission route calls it and knows nothing of what it records. */
export interface ReviewTelemetry {
  /** An answered review: counted, timed and logged after the current batch of answers. */
  answered(r: AdmissionRequest, decision: Decision, seconds: number): void;
  /** A request refused before any decision (415, 400, 413, 408...). */
  refused(err: TenantGuardError): void;
  /** The decision itself failed outside any one rule; the review is still answered. */
  decisionFailed(r: AdmissionRequest, err: unknown): void;
}

export interface TelemetryDeps {
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly directory: Directory;
  /** The server's queue of work after the answers (one per server). */
  readonly afterAnswers: AfterAnswers;
  /** The clock of `log`, when it can be pinned: review lines then keep their review's time. */
  readonly logClock?: LogClock;
}

interface Answered {
  readonly r: AdmissionRequest;
  readonly decision: Decision;
  /** From the handler's start (the request's headers in) to the answer handed to the socket. */
  readonly seconds: number;
}

export function reviewTelemetry(endpoint: Endpoint, deps: TelemetryDeps): ReviewTelemetry {
  const route = `/${endpoint}`;
  // The review line is built here from scalar request fields and finding texts only - never from
  // an object body - so the base logger's wildcard redaction (3x the cost of the line itself)
  // can never match anything in it; every other line keeps it.
  const reviewLog = deps.log.child({}, { redact: [] });
  const duration = deps.metrics.duration.labels({ route });

  // Metrics and the review line, after the batch of answers.
  const book = (done: Answered, queuedAtMs: number): void => {
    try {
      record(done);
      deps.logClock?.pin(queuedAtMs);
      logReview(done);
    } catch (e) {
      deps.log.error({ route, uid: done.r.uid, err: e }, "review bookkeeping failed");
    } finally {
      deps.logClock?.pin(undefined);
    }
  };

  function record({ r, decision, seconds }: Answered): void {
    const decisionLabel = label(decision);
    const dryRun = r.dryRun ? "true" : "false";
    deps.metrics.requests.inc({
      route,
      kind: r.kind.kind,
      operation: r.operation,
      decision: decisionLabel,
      dry_run: dryRun,
    });
    if (!decision.allowed) deps.metrics.tenantDenials.inc({ route, tenant: tenantOf(r), dry_run: dryRun });
    for (const f of decision.findings) {
      deps.metrics.findings.inc({ route, rule: f.code, mode: f.mode, dry_run: dryRun });
      // A rule or mutator that threw: the decision stands (deny or logged allow), the bug is loud.
      if (f.code === RULE_FAILED_CODE)
        deps.log.error({ route, uid: r.uid, mode: f.mode, error: f.message }, "rule failed on this request");
    }
    duration.observe(seconds);
  }

  // A map read, for denials only: one series per tenant, not per namespace. A directory that is
  // not ready (the fail-closed denial) may have no view yet.
  function tenantOf(r: AdmissionRequest): string {
    if (!r.namespace || !deps.directory.readiness().ready) return "";
    return deps.directory.view().tenantOfNamespace(r.namespace) ?? "";
  }

  function logReview({ r, decision, seconds }: Answered): void {
    const fields: ReviewLineFields = {
      route,
      uid: r.uid,
      kind: r.kind.kind,
      subResource: r.subResource || "",
      namespace: r.namespace || "",
      name: r.name || "",
      operation: r.operation,
      user: r.userInfo.username,
      dryRun: r.dryRun,
      decision: label(decision),
      patchOps: decision.patch.length,
      latencyMs: Math.round(seconds * 1e6) / 1e3,
    };
    reviewLog.info(reviewLogFields(fields, decision.findings), "review");
  }

  return {
    answered(r, decision, seconds) {
      deps.metrics.reviews++;
      deps.afterAnswers.add(book, { r, decision, seconds });
    },
    refused(err) {
      deps.metrics.errors.inc({ route, code: err.code });
      deps.log.warn({ route, code: err.code, error: err.message }, "admission request refused");
    },
    decisionFailed(r, err) {
      deps.metrics.errors.inc({ route, code: "TG_INTERNAL" });
      deps.log.error({ route, uid: r.uid, err }, "admission decision failed");
    },
  };
}

function label(d: Decision): "patched" | "allowed" | "denied" {
  return d.allowed ? (d.patch.length > 0 ? "patched" : "allowed") : "denied";
}
