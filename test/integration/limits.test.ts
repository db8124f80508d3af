// Limits and timeouts through the real server: bodies far over the limit are refused unread,
// slow clients (headers or body trickled, handshakes never finished) are cut by the header,
// request and handshake timeouts and by the API server's ?timeout=, and while they hang on,
// everyone else is served promptly. The connection cap holds.
import { connect as tcpConnect, type Socket } from "node:net";
import { connect, type TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadReview } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let srv: TestServer;
const HEADERS_MS = 1000;
const REQUEST_MS = 2000;
const review = JSON.stringify(loadReview("pod-create"));

beforeAll(async () => {
  srv = await startTestServer({
    server: { bodyLimitBytes: 64 * 1024, headersTimeoutMs: HEADERS_MS, requestTimeoutMs: REQUEST_MS },
  });
});
afterAll(async () => {
  await srv?.close();
});

function tlsOpen(): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const s = connect({
      host: "127.0.0.1",
      port: srv.serving.server.port,
      ca: srv.ca,
      servername: "localhost",
    });
    s.once("secureConnect", () => resolve(s));
    s.once("error", reject);
  });
}

/** Resolves with what the server sent and when (ms from now) it closed the connection. */
function closed(s: Socket): Promise<{ text: string; ms: number }> {
  const t0 = Date.now();
  let text = "";
  s.on("data", (d: Buffer) => (text += d.toString("utf8")));
  s.on("error", () => {});
  return new Promise((resolve) => s.once("close", () => resolve({ text, ms: Date.now() - t0 })));
}

async function timedValidate(): Promise<number> {
  const t0 = performance.now();
  const res = await srv.review("/validate", review);
  expect(res.status).toBe(200);
  return performance.now() - t0;
}

describe("body size", () => {
  it("refuses a declared oversized body with 413 before reading it, and closes", async () => {
    const s = await tlsOpen();
    const done = closed(s);
    s.write(
      "POST /validate HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n" +
        "content-length: 50000000\r\n\r\n",
    );
    const { text } = await done; // the server closed without us sending a single body byte
    expect(text).toMatch(/^HTTP\/1.1 413 /);
    expect(text.toLowerCase()).toContain("connection: close");
    expect(text).toContain("TG_BODY_TOO_LARGE");
  });

  it("stops reading a chunked body as soon as it passes the limit", async () => {
    const s = await tlsOpen();
    const done = closed(s);
    s.write(
      "POST /validate HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
    );
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    let sent = 0;
    // keep pushing up to 64 MiB; the server must cut us off long before
    while (!s.destroyed && sent < 64 * 1024 * 1024) {
      s.write(`${chunk.length.toString(16)}\r\n`);
      s.write(chunk);
      const ok = s.write("\r\n");
      sent += chunk.length;
      if (!ok)
        await new Promise((r) => {
          s.once("drain", r);
          s.once("close", r);
        });
    }
    const { text } = await done;
    expect(text).toMatch(/^HTTP\/1.1 413 /);
    expect(sent).toBeLessThan(8 * 1024 * 1024);
  });
});

describe("slow clients", () => {
  it("cuts trickled headers at headersTimeout while others are served promptly", async () => {
    const slow = await Promise.all(Array.from({ length: 12 }, tlsOpen));
    const results = slow.map(closed);
    const trickle = setInterval(() => {
      for (const s of slow) if (!s.destroyed) s.write("x");
    }, 100);
    for (const s of slow) s.write("POST /validate HTTP/1.1\r\nx-slow: ");
    const latencies: number[] = [];
    for (let i = 0; i < 10; i++) latencies.push(await timedValidate());
    const cut = await Promise.all(results);
    clearInterval(trickle);
    expect(Math.max(...latencies)).toBeLessThan(500);
    for (const r of cut) {
      expect(r.ms).toBeLessThan(HEADERS_MS + 1500);
      expect(r.text).toMatch(/^HTTP\/1.1 408 |^$/);
    }
  });

  it("answers a trickled body with 408 inside the API server's ?timeout=", async () => {
    const s = await tlsOpen();
    const done = closed(s);
    s.write(
      "POST /validate?timeout=1500ms HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n" +
        `content-length: ${review.length}\r\n\r\n` +
        review.slice(0, 10),
    );
    const trickle = setInterval(() => !s.destroyed && s.write(" "), 100);
    const { text, ms } = await done;
    clearInterval(trickle);
    expect(text).toMatch(/^HTTP\/1.1 408 /);
    expect(text).toContain("TG_REQUEST_TIMEOUT");
    // 1500 ms minus the 10 % margin: before the API server gives up, not after
    expect(ms).toBeGreaterThanOrEqual(1300);
    expect(ms).toBeLessThan(1500);
  });

  it("without ?timeout= a trickled body is cut inside requestTimeout", async () => {
    const s = await tlsOpen();
    const done = closed(s);
    s.write(
      "POST /validate HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n" +
        `content-length: ${review.length}\r\n\r\n{`,
    );
    const trickle = setInterval(() => !s.destroyed && s.write(" "), 100);
    const { text, ms } = await done;
    clearInterval(trickle);
    expect(text).toMatch(/^HTTP\/1.1 408 /);
    expect(ms).toBeLessThan(REQUEST_MS);
  });

  it("closes connections that never finish the TLS handshake or never send a request", async () => {
    const raw = tcpConnect(srv.serving.server.port, "127.0.0.1");
    const idleTls = await tlsOpen();
    const [a, b] = await Promise.all([closed(raw), closed(idleTls)]);
    expect(a.ms).toBeLessThan(HEADERS_MS + 1500);
    expect(b.ms).toBeLessThan(HEADERS_MS + 1500);
    expect(await timedValidate()).toBeLessThan(500);
  });
});

describe("connection cap", () => {
  it("drops connections beyond server.maxConnections and serves again once slots free up", async () => {
    const capped = await startTestServer({
      server: { maxConnections: 2, headersTimeoutMs: HEADERS_MS, requestTimeoutMs: REQUEST_MS },
    });
    try {
      const open = (): Promise<TLSSocket> =>
        new Promise((resolve, reject) => {
          const s = connect({
            host: "127.0.0.1",
            port: capped.serving.server.port,
            ca: capped.ca,
            servername: "localhost",
          });
          s.once("secureConnect", () => resolve(s));
          s.once("error", reject);
        });
      const held = [await open(), await open()];
      await expect(open()).rejects.toThrow();
      expect(capped.logs.some((l) => l.msg === "connection dropped: at server.maxConnections")).toBe(true);
      for (const s of held) s.destroy();
      await new Promise((r) => setTimeout(r, 50));
      expect((await capped.request("/healthz")).status).toBe(200);
    } finally {
      await capped.close();
    }
  });
});
