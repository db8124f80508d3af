// Graceful SIGTERM with a real child process (`node src/main.ts serve`) under load on keep-alive
// connections: /readyz fails at once, reviews keep being answered during the shutdown delay (each
// with `Connection: close` so callers move to another replica), a review still in flight when the
// server stops accepting is answered, and the process exits 0 well inside the grace period with
// no request refused or reset.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { Agent } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:tls";
import { afterAll, describe, expect, it } from "vitest";
import { loadReview } from "../support/fixtures.ts";
import { httpsRequest } from "../support/https.ts";
import { makeCa, makeLeaf } from "../support/pki.ts";

const DELAY_MS = 1500;
let child: ChildProcess | undefined;
afterAll(() => {
  if (child !== undefined && child.exitCode === null) child.kill("SIGKILL");
});

interface Child {
  readonly url: string;
  readonly port: number;
  readonly ca: string;
  readonly exited: Promise<number | null>;
  readonly logs: string[];
}

async function startChild(): Promise<Child> {
  const dir = mkdtempSync(join(tmpdir(), "tg-shutdown-"));
  const ca = await makeCa("shutdown-ca");
  const leaf = await makeLeaf(ca, { cn: "tenant-guard", usage: "server" });
  writeFileSync(join(dir, "tls.crt"), leaf.cert);
  writeFileSync(join(dir, "tls.key"), leaf.key);
  const config = {
    server: {
      port: 0,
      host: "127.0.0.1",
      shutdownDelayMs: DELAY_MS,
      drainTimeoutMs: 5000,
      tlsCert: join(dir, "tls.crt"),
      tlsKey: join(dir, "tls.key"),
    },
    directory: { source: "file:examples/cluster.yaml", watchFile: false },
  };
  writeFileSync(join(dir, "config.yaml"), JSON.stringify(config)); // JSON is YAML
  const proc = spawn(
    "node_modules/.bin/node",
    ["src/main.ts", "serve", "--config", join(dir, "config.yaml")],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  child = proc;
  const logs: string[] = [];
  const exited = new Promise<number | null>((r) => proc.once("exit", (code) => r(code)));
  const url = await new Promise<string>((resolve, reject) => {
    let buf = "";
    proc.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      for (let nl = buf.indexOf("\n"); nl !== -1; nl = buf.indexOf("\n")) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        logs.push(line);
        const parsed = JSON.parse(line) as { msg?: string; url?: string };
        if (parsed.msg === "tenant-guard listening" && parsed.url !== undefined) resolve(parsed.url);
      }
    });
    proc.stderr.on("data", (d: Buffer) => logs.push(d.toString()));
    void exited.then((code) => reject(new Error(`exited early (${code}): ${logs.join("\n")}`)));
  });
  return { url, port: Number(new URL(url).port), ca: ca.cert, exited, logs };
}

const body = JSON.stringify(loadReview("pod-create"));

describe("graceful shutdown on SIGTERM", () => {
  it("loses no in-flight request under keep-alive load and exits 0 inside the grace period", async () => {
    const c = await startChild();
    const agent = new Agent({ keepAlive: true, maxSockets: 6 });
    const results: { status: number; connection: string | undefined; afterTerm: boolean }[] = [];
    const failures: string[] = [];
    let termAt = 0;
    // Set once /readyz answered 503: from then on the process knows it is going (a SIGTERM can be
    // handled a few ms after kill() on a loaded machine, and requests sent meanwhile are not late).
    let knowsItIsGoing = false;
    let sending = true;
    const worker = async (): Promise<void> => {
      while (sending) {
        const afterTerm = knowsItIsGoing;
        try {
          const res = await httpsRequest(`${c.url}/validate?timeout=10s`, {
            method: "POST",
            body,
            headers: { "content-type": "application/json" },
            ca: c.ca,
            agent,
          });
          results.push({
            status: res.status,
            connection: res.headers.connection as string | undefined,
            afterTerm,
          });
        } catch (e) {
          failures.push(`${(e as Error).message} (${afterTerm ? "after" : "before"} SIGTERM)`);
        }
      }
    };
    const workers = Array.from({ length: 6 }, worker);
    while (results.length < 30 && failures.length === 0) await new Promise((r) => setTimeout(r, 20));

    // a review whose body is still on its way when the server stops accepting
    const slow = connect({ host: "127.0.0.1", port: c.port, ca: c.ca, servername: "localhost" });
    await new Promise((r) => slow.once("secureConnect", r));
    let slowAnswer = "";
    slow.on("data", (d: Buffer) => (slowAnswer += d.toString()));
    const slowClosed = new Promise((r) => slow.once("close", r));
    slow.write(
      `POST /validate HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n` +
        body.slice(0, 100),
    );

    termAt = Date.now();
    child!.kill("SIGTERM");
    // readiness fails at once (fresh connection, like the kubelet)
    let ready = 200;
    for (let i = 0; i < 20 && ready === 200; i++) {
      ready = (await httpsRequest(`${c.url}/readyz`, { ca: c.ca, agent: new Agent({ keepAlive: false }) }))
        .status;
    }
    expect(ready).toBe(503);
    knowsItIsGoing = true;
    expect(Date.now() - termAt).toBeLessThan(DELAY_MS / 2);

    // callers keep sending while the endpoint is withdrawn, then stop (kube-proxy moved them)
    await new Promise((r) => setTimeout(r, DELAY_MS * 0.6));
    sending = false;
    await Promise.all(workers);
    agent.destroy();

    // past the delay: the server no longer accepts, but the request in flight is answered
    await new Promise((r) => setTimeout(r, DELAY_MS * 0.6));
    await expect(
      httpsRequest(`${c.url}/healthz`, { ca: c.ca, agent: new Agent({ keepAlive: false }), timeoutMs: 2000 }),
    ).rejects.toThrow(/ECONNREFUSED/);
    slow.write(body.slice(100));
    await slowClosed;
    expect(slowAnswer).toMatch(/^HTTP\/1.1 200 /);
    expect(slowAnswer.toLowerCase()).toContain("connection: close");
    expect(slowAnswer).toContain('"uid":"705ab4f5-6393-11e8-b7cc-42010a800002"');

    const code = await c.exited;
    const exitMs = Date.now() - termAt;
    expect(code).toBe(0);
    expect(exitMs).toBeLessThan(DELAY_MS + 5000); // the default grace period is 30 s
    expect(failures).toEqual([]);
    expect(results.every((r) => r.status === 200)).toBe(true);
    const after = results.filter((r) => r.afterTerm);
    expect(after.length).toBeGreaterThan(0);
    // once the process knew it was going, every answer asked the caller to reconnect elsewhere
    expect(after.filter((r) => r.connection !== "close").length).toBeLessThanOrEqual(6);
    const msgs = c.logs.map((l) => (l.startsWith("{") ? (JSON.parse(l) as { msg: string }).msg : l));
    expect(msgs).toEqual(
      expect.arrayContaining([
        "shutting down: readiness off, still serving",
        "server stopped accepting connections",
        "shutdown complete",
      ]),
    );
  }, 60_000);
});
