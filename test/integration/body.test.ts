// readBody against a real HTTP server and real sockets: a whole body, a body cut off by its
// client, one that trickles past its deadline, one past the size limit. None leaves a pending
// deadline behind.
import { createServer, type Server } from "node:http";
import { connect } from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { isTenantGuardError } from "../../src/errors.ts";
import { BODY_DEADLINE_TICK_MS, DRAIN_FACTOR, readBody } from "../../src/server/body.ts";
import { Deadlines } from "../../src/server/coarse-deadlines.ts";

// The coarse clock of the body reads, one per server as one per admission handler.
let deadlines = new Deadlines(BODY_DEADLINE_TICK_MS);
const pendingBodyReads = (): number => deadlines.size;

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r) ?? r(undefined));
  server = undefined;
});

/** A server whose every request is read with readBody; resolves with how each read ended. */
async function serve(limit: number, timeoutMs: number): Promise<{ port: number; outcome: Promise<string> }> {
  let settle!: (s: string) => void;
  const outcome = new Promise<string>((r) => (settle = r));
  deadlines = new Deadlines(BODY_DEADLINE_TICK_MS);
  server = createServer((req, res) => {
    readBody(req, limit, timeoutMs, deadlines, (err, b) => {
      if (err === undefined) {
        settle(`body ${b?.length}`);
        res.end("ok");
      } else {
        settle(isTenantGuardError(err) ? err.code : `error ${err.message}`);
        res.destroy();
      }
    });
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
  return { port: (server.address() as AddressInfo).port, outcome };
}

function send(port: number, head: string, body: string, end: boolean): ReturnType<typeof connect> {
  const s = connect(port, "127.0.0.1");
  s.on("error", () => undefined);
  s.write(head + body);
  if (end) s.end();
  return s;
}

const head = (len: number): string =>
  `POST /validate HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${len}\r\n\r\n`;

describe("readBody", () => {
  it("reads a whole body", async () => {
    const { port, outcome } = await serve(1024, 5000);
    send(port, head(10), "0123456789", false);
    expect(await outcome).toBe("body 10");
    expect(pendingBodyReads()).toBe(0);
  });

  it("rejects when the client goes away in the middle of the body", async () => {
    const { port, outcome } = await serve(1024, 5000);
    const s = send(port, head(100), "0123456789", false);
    setTimeout(() => s.destroy(), 50);
    expect(await outcome).toMatch(/^error /);
    expect(pendingBodyReads()).toBe(0);
  });

  it("refuses a body that has not arrived by its deadline", async () => {
    const { port, outcome } = await serve(1024, 150);
    const started = Date.now();
    const s = send(port, head(100), "0123456789", false);
    expect(await outcome).toBe("TG_REQUEST_TIMEOUT");
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(pendingBodyReads()).toBe(0);
    s.destroy();
  });

  it("refuses a streamed body as soon as it passes the drain bound", async () => {
    const { port, outcome } = await serve(64, 5000);
    const s = connect(port, "127.0.0.1");
    s.on("error", () => undefined);
    s.write(`POST /validate HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n`);
    s.write(`${(64 * DRAIN_FACTOR + 1).toString(16)}\r\n${"x".repeat(64 * DRAIN_FACTOR + 1)}\r\n`);
    expect(await outcome).toBe("TG_BODY_TOO_LARGE");
    expect(pendingBodyReads()).toBe(0);
    s.destroy();
  });

  it.each([
    ["declared", head(150)],
    ["chunked", `POST /validate HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n`],
  ])("%s over the limit but within the drain bound: reads the rest, then refuses", async (name, h) => {
    const { port, outcome } = await serve(64, 5000);
    const s = connect(port, "127.0.0.1");
    s.on("error", () => undefined);
    const part = (n: number): string =>
      name === "chunked" ? `${n.toString(16)}\r\n${"x".repeat(n)}\r\n` : "x".repeat(n);
    s.write(h + part(100));
    const early = await Promise.race([
      outcome,
      new Promise((r) => setTimeout(() => r("still reading"), 150)),
    ]);
    expect(early).toBe("still reading"); // past the limit, but the rest is still being read
    s.write(part(50) + (name === "chunked" ? "0\r\n\r\n" : ""));
    expect(await outcome).toBe("TG_BODY_TOO_LARGE");
    expect(pendingBodyReads()).toBe(0);
    s.destroy();
  });
});
