// `serve --workers 2`: a real child process with two node:cluster workers on one port. Both must
// answer reviews (with the same certificate), and SIGTERM must stop the whole group.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { httpsRequest } from "../support/https.ts";

interface LogLine {
  msg?: string;
  worker?: number;
  url?: string;
  uid?: string;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
});

function startWorkers(): {
  child: ChildProcess;
  lines: LogLine[];
  until(p: (l: LogLine[]) => boolean): Promise<void>;
} {
  const dir = mkdtempSync(join(tmpdir(), "tg-workers-"));
  const config = join(dir, "config.yaml");
  writeFileSync(
    config,
    "server:\n  shutdownDelayMs: 0\n  drainTimeoutMs: 1000\ndirectory:\n  watchFile: false\n",
  );
  const child = spawn(
    process.execPath,
    ["src/main.ts", "serve", "--config", config, "--workers", "2", "--port", "0", "--host", "127.0.0.1"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  children.push(child);
  const lines: LogLine[] = [];
  let partial = "";
  const waiters: (() => void)[] = [];
  child.stdout?.on("data", (c: Buffer) => {
    const text = partial + c.toString("utf8");
    const parts = text.split("\n");
    partial = parts.pop() ?? "";
    for (const p of parts) if (p.trim()) lines.push(JSON.parse(p) as LogLine);
    for (const w of waiters) w();
  });
  const until = (pred: (l: LogLine[]) => boolean): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out; logs: ${JSON.stringify(lines)}`)), 30_000);
      const check = (): void => {
        if (!pred(lines)) return;
        clearTimeout(timer);
        resolve();
      };
      waiters.push(check);
      check();
    });
  return { child, lines, until };
}

const listening = (l: LogLine[]): LogLine[] => l.filter((x) => x.msg === "tenant-guard listening");

describe("serve --workers", () => {
  it("runs two workers on one port that both answer, with one certificate, and stops on SIGTERM", async () => {
    const { child, lines, until } = startWorkers();
    // The workers log after a hot-reload write may still be buffered: wait for both listen lines.
    await until((l) => listening(l).length === 2);
    const ids = new Set(listening(lines).map((l) => l.worker));
    expect(ids.size).toBe(2);
    const urls = new Set(listening(lines).map((l) => l.url));
    expect(urls.size).toBe(1); // port 0 is chosen once and shared by both
    const url = [...urls][0] as string;

    const body = readFileSync("test/fixtures/admission/pod-create.json", "utf8");
    const fixture = JSON.parse(body) as { request: { uid: string } };
    let cert: string | undefined;
    // Connections are handed to the workers in turn: new connections reach both.
    for (let i = 0; i < 6; i++) {
      const res = await httpsRequest(`${url}/validate`, {
        method: "POST",
        body,
        headers: { "content-type": "application/json", connection: "close" },
      });
      expect(res.status).toBe(200);
      const review = res.json<{ response: { uid: string; allowed: boolean } }>();
      expect(review.response).toMatchObject({ uid: fixture.request.uid, allowed: true });
    }
    // Each worker's review line carries its id; pino flushes on its own schedule, so wait for them.
    await until((l) => new Set(l.filter((x) => x.msg === "review").map((x) => x.worker)).size === 2);

    // Both present the same certificate: verifying every connection against the first one's works.
    const { default: tls } = await import("node:tls");
    for (let i = 0; i < 4; i++) {
      const pem = await new Promise<string>((resolve, reject) => {
        const s = tls.connect({
          host: "127.0.0.1",
          port: Number(new URL(url).port),
          rejectUnauthorized: false,
        });
        s.once("secureConnect", () => {
          resolve(s.getPeerX509Certificate()?.toString() ?? "");
          s.end();
        });
        s.once("error", reject);
      });
      cert ??= pem;
      expect(pem).toBe(cert);
    }

    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 60_000);
});
