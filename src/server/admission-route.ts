// POST /validate and /mutate: body -> decode -> directory view -> decide -> encode. One log line
// per review and no other work on the hot path.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { decodeReview } from "../admission/decode.ts";
import { encodeReview } from "../admission/encode.ts";
import type { AdmissionRequest, Review } from "../admission/types.ts";
import { TenantGuardError } from "../errors.ts";
import { pinLogTime } from "../log.ts";
import {
  RULE_FAILED_CODE,
  decide,
  notReadyDecision,
  type Decision,
  type Endpoint,
  type Engine,
} from "../policy/engine.ts";
import { afterAnswers } from "../runtime/after-answers.ts";
import type { Directory } from "../tenancy/directory.ts";
import { readBody } from "./body.ts";
import { answerBudgetMs } from "./deadline.ts";
import type { Metrics } from "./metrics.ts";
import { failedDecision } from "./failsafe.ts";
import { sendError, sendJson, toError } from "./respond.ts";
import { ReviewLines, reviewLogFields, type ReviewLineFields } from "./review-line.ts";

export interface AdmissionDeps {
  readonly directory: Directory;
  readonly engine: Engine;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly bodyLimit: number;
  readonly failOpenWhenNotReady: boolean;
  /** Upper bound for a request; the API server's `?timeout=` can only shorten it. */
  readonly requestTimeoutMs: number;
}

const JSON_TYPE = /^application\/json\s*(;|$)/i;

export function admissionHandler(endpoint: Endpoint, deps: AdmissionDeps) {
  const route = `/${endpoint}`;
  // The review line is built here from scalar request fields and finding texts only - never from
  // an object body - so the base logger's wildcard redaction (3x the cost of the line itself)
  // can never match anything in it; every other line keeps it.
  const reviewLog = deps.log.child({}, { redact: [] });
  const reviewLines = new ReviewLines(reviewLog);
  const duration = deps.metrics.duration.series(route);
  const refuse = (res: ServerResponse, e: unknown): void => {
    const err = toError(e);
    deps.metrics.errors.inc({ route, code: err.code });
    deps.log.warn({ route, code: err.code, error: err.message }, "admission request refused");
    sendError(res, err);
  };
  // Plain callbacks, not an async function: no promise or microtask hop on every review. What
  // throws in the callback is caught here and answered like a handler that rejected (fast-path.ts).
  return (req: IncomingMessage, res: ServerResponse, failed: (err: unknown) => void): void => {
    const started = process.hrtime.bigint();
    const type = req.headers["content-type"];
    if (type === undefined || !JSON_TYPE.test(type)) {
      refuse(res, new TenantGuardError("TG_UNSUPPORTED_MEDIA_TYPE", `got ${JSON.stringify(type ?? null)}`));
      return;
    }
    readBody(req, deps.bodyLimit, answerBudgetMs(req.url, deps.requestTimeoutMs), (err, body) => {
      if (err !== undefined) return refuse(res, err);
      let review: Review;
      try {
        review = decodeReview(body as Buffer);
      } catch (e) {
        return refuse(res, e);
      }
      try {
        answer(review, res, started);
      } catch (e) {
        failed(e);
      }
    });
  };

  function answer(review: Review, res: ServerResponse, started: bigint): void {
    const r = review.request;
    let decision: Decision;
    try {
      const readiness = deps.directory.readiness();
      decision = readiness.ready
        ? decide(endpoint, r, deps.directory.view(), deps.engine)
        : notReadyDecision(r, readiness.reason ?? "tenant directory not synced", deps.failOpenWhenNotReady);
    } catch (e) {
      // Outside any one rule (context building, a directory lookup): still a decision, not a 500.
      deps.metrics.errors.inc({ route, code: "TG_INTERNAL" });
      deps.log.error({ route, uid: r.uid, err: e }, "admission decision failed");
      decision = failedDecision(r.uid, deps.engine.settings.enforcement.mode, e);
    }
    sendJson(res, 200, encodeReview(review.apiVersion, decision.response));
    deps.metrics.reviews++;
    afterAnswers(book, { r, decision, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
  }

  // Metrics and the review line, after the batch of answers (runtime/after-answers.ts).
  function book(done: Answered, queuedAtMs: number): void {
    try {
      record(done);
      pinLogTime(queuedAtMs);
      logReview(done);
    } catch (e) {
      deps.log.error({ route, uid: done.r.uid, err: e }, "review bookkeeping failed");
    } finally {
      pinLogTime(undefined);
    }
  }

  function record({ r, decision, seconds }: Answered): void {
    const decisionLabel = label(decision);
    const dryRun = r.dryRun ? "true" : "false";
    deps.metrics.requestCounts.inc(
      `${route} ${r.kind.kind} ${r.operation} ${decisionLabel} ${dryRun}`,
      () => ({
        route,
        kind: r.kind.kind,
        operation: r.operation,
        decision: decisionLabel,
        dry_run: dryRun,
      }),
    );
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
    if (decision.findings.length === 0) reviewLines.write(fields);
    else reviewLog.info(reviewLogFields(fields, decision.findings), "review");
  }
}

interface Answered {
  readonly r: AdmissionRequest;
  readonly decision: Decision;
  /** From the handler's start (the request's headers in) to the answer handed to the socket. */
  readonly seconds: number;
}

function label(d: Decision): "patched" | "allowed" | "denied" {
  return d.allowed ? (d.patch.length > 0 ? "patched" : "allowed") : "denied";
}
