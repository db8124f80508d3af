// A body over the limit through the real server and a real client: the client writes a 12 MiB
// review in chunks (as an API server or kubectl proxy would) and must read the 413 and its JSON,
// not die with EPIPE/ECONNRESET because the server closed a socket it had not read.
import { request } from "node:https";
import { connect } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../support/server.ts";

let srv: TestServer;
const LIMIT = 6 * 1024 * 1024; // the default server.bodyLimitBytes
const BODY = 12 * 1024 * 1024;

beforeAll(async () => {
  srv = await startTestServer({ server: { bodyLimitBytes: LIMIT } });
});
afterAll(async () => {
  await srv?.close();
});

interface Outcome {
  status?: number;
  body?: string;
  /** An error the client saw before the response arrived. */
  errorBefore?: string;
}

/** POSTs BODY bytes in 64 KiB chunks, honouring backpressure; declared or chunked. */
function postLarge(declared: boolean): Promise<Outcome> {
  return new Promise((resolve) => {
    const out: Outcome = {};
    const headers: Record<string, string | number> = { "content-type": "application/json" };
    if (declared) headers["content-length"] = BODY;
    const req = request(`${srv.url}/validate`, { method: "POST", ca: srv.ca, headers }, (res) => {
      out.status = res.statusCode;
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => resolve({ ...out, body: text }));
      res.on("error", () => resolve({ ...out, body: text }));
    });
    req.on("error", (e: NodeJS.ErrnoException) => {
      if (out.status === undefined) resolve({ errorBefore: e.code ?? e.message });
    });
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = (): void => {
      while (sent < BODY) {
        sent += chunk.length;
        const last = sent >= BODY;
        const ok = last ? (req.end(chunk), true) : req.write(chunk);
        if (last) return;
        if (!ok) return void req.once("drain", pump);
      }
    };
    pump();
  });
}

/** A client that writes the whole body before it reads anything (many synchronous clients do). */
function writeThenRead(): Promise<{ text: string; error?: string }> {
  return new Promise((resolve, reject) => {
    const s = connect({
      host: "127.0.0.1",
      port: srv.serving.server.port,
      ca: srv.ca,
      servername: "localhost",
    });
    let error: string | undefined;
    s.on("error", (e: NodeJS.ErrnoException) => {
      error ??= e.code ?? e.message;
      resolve({ text: "", error });
    });
    s.once("secureConnect", () => {
      void (async () => {
        s.write(
          "POST /validate HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n" +
            `content-length: ${BODY}\r\n\r\n`,
        );
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        for (let sent = 0; sent < BODY && error === undefined; sent += chunk.length)
          if (!s.write(chunk)) await new Promise((r) => s.once("drain", r));
        await new Promise<void>((r) => s.write("", () => r()));
        let text = "";
        s.on("data", (d: Buffer) => (text += d.toString("utf8")));
        s.once("close", () => resolve({ text, error }));
      })().catch(reject);
    });
  });
}

describe("a body over the limit", () => {
  it("a client that reads only after writing everything gets the 413, not EPIPE", async () => {
    const { text, error } = await writeThenRead();
    expect(error).toBeUndefined();
    expect(text).toMatch(/^HTTP\/1.1 413 /);
    expect(text.toLowerCase()).toContain("connection: close");
    expect(text).toContain("TG_BODY_TOO_LARGE");
  });

  it.each([
    ["with content-length", true],
    ["chunked", false],
  ])(
    "%s: the client reads the 413 and its JSON, with no EPIPE or reset before it",
    async (_name, declared) => {
      const out = await postLarge(declared);
      expect(out.errorBefore).toBeUndefined();
      expect(out.status).toBe(413);
      expect(out.body).toContain("TG_BODY_TOO_LARGE");
    },
  );

  it("still answers reviews promptly afterwards", async () => {
    const res = await srv.review("/validate", "{}");
    expect(res.status).toBe(400);
  });
});
