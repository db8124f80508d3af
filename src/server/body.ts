// Reads a request body into one Buffer with a hard size limit. A body over the limit is not kept:
// its rest is read and dropped up to DRAIN_FACTOR times the limit (and within the same deadline),
// and only then refused, so the 413 goes out on a connection whose input has been read and the
// close that follows is a clean one: closing with unread input makes the kernel send a reset, and a
// client still writing gets EPIPE/ECONNRESET instead of reading its answer. A body declared or
// streamed past the drain bound is refused at once (that client may see the reset: it was warned
// by the limit). A body that has not arrived within `timeoutMs` (a slow or trickling client) is
// refused too.
import type { IncomingMessage } from "node:http";
import { TenantGuardError } from "../errors.ts";
import type { Deadlines } from "./coarse-deadlines.ts";

/** A body over the limit is still read (and dropped) up to this many times the limit. */
export const DRAIN_FACTOR = 3;

/** The tick of the coarse clock an admission handler keeps for its body reads (coarse-deadlines.ts). */
export const BODY_DEADLINE_TICK_MS = 25;

/** Called once: with the error, or with the whole body. */
export type BodyCallback = (err: Error | undefined, body?: Buffer) => void;

/** Reads the body and calls `done` once. A callback, not a promise: this is every review's path.
 * `deadlines`: the caller's coarse clock (one per handler), whose size is the reads pending. */
export function readBody(
  req: IncomingMessage,
  limit: number,
  timeoutMs: number | undefined,
  deadlines: Deadlines,
  done: BodyCallback,
): void {
  const declared = req.headers["content-length"];
  const drainMax = limit * DRAIN_FACTOR;
  // Set once the body is known to be too large: from then on chunks are counted, not kept.
  let tooLarge: TenantGuardError | undefined;
  if (declared !== undefined && Number(declared) > limit) {
    tooLarge = new TenantGuardError("TG_BODY_TOO_LARGE", `${declared} bytes > ${limit}`);
    if (Number(declared) > drainMax) {
      done(tooLarge);
      return;
    }
  }
  const chunks: Buffer[] = [];
  let total = 0;
  let settled = false;
  const finish = (err: Error | undefined, body?: Buffer): void => {
    if (settled) return;
    settled = true;
    if (deadline !== undefined) deadlines.remove(deadline);
    req.off("data", onData);
    req.off("end", onEnd);
    req.off("error", onError);
    done(err, body);
  };
  const onData = (chunk: Buffer): void => {
    total += chunk.length;
    if (tooLarge === undefined && total > limit) {
      tooLarge = new TenantGuardError("TG_BODY_TOO_LARGE", `more than ${limit} bytes`);
      chunks.length = 0;
    }
    if (tooLarge === undefined) chunks.push(chunk);
    else if (total > drainMax) {
      req.pause();
      finish(tooLarge);
    }
  };
  const onEnd = (): void =>
    tooLarge !== undefined
      ? finish(tooLarge)
      : finish(undefined, chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total));
  // A client that goes away mid-body: Node destroys the request with an "aborted" ECONNRESET.
  const onError = (e: Error): void => finish(e);
  const deadline =
    timeoutMs === undefined
      ? undefined
      : deadlines.add(timeoutMs, () => {
          req.pause();
          // Out of time while dropping an oversized body: still the size is the answer.
          finish(
            tooLarge ??
              new TenantGuardError("TG_REQUEST_TIMEOUT", `body not received within ${timeoutMs} ms`),
          );
        });
  req.on("data", onData);
  req.on("end", onEnd);
  req.on("error", onError);
}
