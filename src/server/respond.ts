// The one table of HTTP outcomes: 200 + AdmissionReview for every decision (allow or deny), and a
// JSON error body with a stable code for everything that is not a decision.
import type { ServerResponse } from "node:http";
import { TenantGuardError, isTenantGuardError } from "../errors.ts";

export function sendJson(res: ServerResponse, status: number, body: string, close = false): void {
  if (res.headersSent) return;
  // One header object for writeHead: cheaper than a setHeader call per header on every review.
  // Headers set before (connection: close while draining) are merged by Node.
  const length = Buffer.byteLength(body);
  res.writeHead(
    status,
    close
      ? { "content-type": "application/json", "content-length": length, connection: "close" }
      : { "content-type": "application/json", "content-length": length },
  );
  res.end(body);
}

export function toError(e: unknown): TenantGuardError {
  return isTenantGuardError(e) ? e : new TenantGuardError("TG_INTERNAL", undefined, { cause: e });
}

/** 4xx/5xx as JSON; a 413 or 408 also closes the connection (body.ts has read what it could of the rest). */
export function sendError(res: ServerResponse, err: TenantGuardError): void {
  sendJson(res, err.status, JSON.stringify(err.toJSON()), err.status === 413 || err.status === 408);
}
