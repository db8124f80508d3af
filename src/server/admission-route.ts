// POST /validate and /mutate: body -> decode -> decide -> encode. What is counted and logged about
// a review sits behind ReviewTelemetry (review-telemetry.ts).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { decodeReview } from "../admission/decode.ts";
import { encodeReview } from "../admission/encode.ts";
import type { Review } from "../admission/types.ts";
import { TenantGuardError } from "../errors.ts";
import { decide, notReadyDecision, type Decision, type Endpoint, type Engine } from "../policy/engine.ts";
import { chargeJob, ledgerDenial } from "./quota-charge.ts";
import type { Directory } from "../tenancy/directory.ts";
import { BODY_DEADLINE_TICK_MS, readBody } from "./body.ts";
import { Deadlines } from "./coarse-deadlines.ts";
import { TimeoutParam } from "./timeout-param.ts";
import { failedDecision } from "./failsafe.ts";
import type { LogClock } from "../log.ts";
import type { AfterAnswers } from "./after-answers.ts";
import type { Metrics } from "./metrics.ts";
import { sendError, sendJson, toError } from "./respond.ts";
import { reviewTelemetry, type ReviewTelemetry } from "./review-telemetry.ts";

export interface AdmissionDeps {
  readonly directory: Directory;
  readonly engine: Engine;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly bodyLimit: number;
  readonly failOpenWhenNotReady: boolean;
  /** Upper bound for a request; the API server's `?timeout=` can only shorten it. */
  readonly requestTimeoutMs: number;
  /** The server's queue for what follows an answer (review-telemetry.ts). */
  readonly afterAnswers: AfterAnswers;
  readonly logClock?: LogClock;
}

const JSON_TYPE = /^application\/json\s*(;|$)/i;

export function admissionHandler(
  endpoint: Endpoint,
  deps: AdmissionDeps,
  telemetry: ReviewTelemetry = reviewTelemetry(endpoint, deps),
) {
  // Per handler, not per process: the body reads' coarse clock and the ?timeout= memo.
  const deadlines = new Deadlines(BODY_DEADLINE_TICK_MS);
  const timeoutParam = new TimeoutParam();
  const refuse = (res: ServerResponse, e: unknown): void => {
    const err = toError(e);
    telemetry.refused(err);
    sendError(res, err);
  };
  // Plain callbacks, not an async function: no promise or microtask hop on every review. What
  // throws in the callback is caught here and answered like a handler that rejected (router.ts).
  return (req: IncomingMessage, res: ServerResponse, failed: (err: unknown) => void): void => {
    const started = process.hrtime.bigint();
    const type = req.headers["content-type"];
    if (type === undefined || !JSON_TYPE.test(type)) {
      refuse(res, new TenantGuardError("TG_UNSUPPORTED_MEDIA_TYPE", `got ${JSON.stringify(type ?? null)}`));
      return;
    }
    const budgetMs = timeoutParam.budgetMs(req.url, deps.requestTimeoutMs);
    readBody(req, deps.bodyLimit, budgetMs, deadlines, (err, body) => {
      if (err !== undefined) return refuse(res, err);
      let review: Review;
      try {
        review = decodeReview(body as Buffer);
      } catch (e) {
        return refuse(res, e);
      }
      try {
        answer(review, res, started, decideReview(review));
      } catch (e) {
        failed(e);
      }
    });
  };

  function answer(review: Review, res: ServerResponse, started: bigint, decision: Decision): void {
    const ledger = deps.directory.ledger;
    const job =
      ledger !== undefined && endpoint === "validate" && decision.allowed && deps.directory.readiness().ready
        ? chargeJob(review.request, deps.directory.view(), deps.engine.settings)
        : undefined;
    if (ledger === undefined || job === undefined) return send(review, res, started, decision);
    // A budgeted pod create: the one await on the request path (the ledger in the API server).
    job.run(ledger).then(
      (message) =>
        send(review, res, started, message === undefined ? decision : ledgerDecision(decision, message)),
      (e: unknown) =>
        send(review, res, started, ledgerDecision(decision, `[TG-QUOTA-EXCEEDED] ${String(e)}`)),
    );
  }

  function send(review: Review, res: ServerResponse, started: bigint, decision: Decision): void {
    sendJson(res, 200, encodeReview(review.apiVersion, decision.response));
    telemetry.answered(review.request, decision, Number(process.hrtime.bigint() - started) / 1e9);
  }

  function decideReview(review: Review): Decision {
    const r = review.request;
    try {
      const readiness = deps.directory.readiness();
      return readiness.ready
        ? decide(endpoint, r, deps.directory.view(), deps.engine)
        : notReadyDecision(r, readiness.reason ?? "tenant directory not synced", deps.failOpenWhenNotReady);
    } catch (e) {
      // Outside any one rule (context building, a directory lookup): still a decision, not a 500.
      telemetry.decisionFailed(r, e);
      return failedDecision(r.uid, deps.engine.settings.enforcement.mode, e);
    }
  }
}

function ledgerDecision(allowed: Decision, message: string): Decision {
  return { ...allowed, allowed: false, patch: [], response: ledgerDenial(allowed.response, message) };
}
