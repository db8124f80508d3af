// Reads a request body into one Buffer with a hard size limit. Oversized bodies are refused from
// Content-Length before any byte is read, or as soon as the streamed total passes the limit; the
// rest is never read (the error response closes the connection). A body that has not arrived
// within `timeoutMs` (a slow or trickling client) is refused the same way.
import type { IncomingMessage } from "node:http";
import { TenantGuardError } from "../errors.ts";
import { Deadlines } from "./deadlines.ts";

// One coarse clock for every body read in this process (see deadlines.ts).
const deadlines = new Deadlines(25);

/** Body reads still waiting for their last byte (tests check that none is left behind). */
export const pendingBodyReads = (): number => deadlines.size;

/** Called once: with the error, or with the whole body. */
export type BodyCallback = (err: Error | undefined, body?: Buffer) => void;

/** Reads the body and calls `done` once. A callback, not a promise: this is every review's path. */
export function readBody(
  req: IncomingMessage,
  limit: number,
  timeoutMs: number | undefined,
  done: BodyCallback,
): void {
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit) {
    done(new TenantGuardError("TG_BODY_TOO_LARGE", `${declared} bytes > ${limit}`));
    return;
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
    if (total > limit) {
      req.pause();
      finish(new TenantGuardError("TG_BODY_TOO_LARGE", `more than ${limit} bytes`));
      return;
    }
    chunks.push(chunk);
  };
  const onEnd = (): void =>
    finish(undefined, chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total));
  // A client that goes away mid-body: Node destroys the request with an "aborted" ECONNRESET.
  const onError = (e: Error): void => finish(e);
  const deadline =
    timeoutMs === undefined
      ? undefined
      : deadlines.add(timeoutMs, () => {
          req.pause();
          finish(new TenantGuardError("TG_REQUEST_TIMEOUT", `body not received within ${timeoutMs} ms`));
        });
  req.on("data", onData);
  req.on("end", onEnd);
  req.on("error", onError);
}
