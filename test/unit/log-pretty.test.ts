// Logs on a terminal: one readable line per pino JSON line, no control characters, no secrets
// (redaction happens in pino before the line reaches the formatter).
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { prettyDestination, prettyLine } from "../../src/log-pretty.ts";
import { createLogger } from "../../src/log.ts";
import pino from "pino";

describe("pretty log lines", () => {
  it("time, level, message, then the fields", () => {
    const line = prettyLine(
      '{"level":30,"time":"2026-12-05T10:04:12.345Z","service":"tenant-guard","url":"https://127.0.0.1:8443","startMs":12,"msg":"tenant-guard listening"}',
    );
    expect(line).toBe("10:04:12.345 INFO  tenant-guard listening url=https://127.0.0.1:8443 startMs=12\n");
  });

  it("quotes values with spaces; no control character reaches the terminal", () => {
    const line = prettyLine(
      '{"level":40,"time":"2026-12-05T10:04:12.345Z","msg":"x\\u001b[2J","name":"a b\\u001b"}',
    );
    expect(line).toBe('10:04:12.345 WARN  x [2J name="a b\\u001b"\n');
    expect([...line.slice(0, -1)].some((c) => c.charCodeAt(0) < 32)).toBe(false);
  });

  it("through pino: redacted as the JSON logger is", () => {
    const out = new PassThrough();
    let text = "";
    out.on("data", (c: Buffer) => (text += c.toString()));
    const log = pino({ redact: { paths: ["*.token"], censor: "[REDACTED]" } }, prettyDestination(out));
    log.info({ review: { token: "s3cr3t" } }, "hello");
    expect(text).toMatch(/INFO {2}hello review=\{"token":"\[REDACTED\]"\}\n$/);
    expect(text).not.toContain("s3cr3t");
  });

  it("createLogger(level, undefined, true) writes lines, not JSON, to stdout", () => {
    const log = createLogger("info", undefined, true);
    const writes: string[] = [];
    const orig = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (
      writes.push(String(chunk)),
      true
    )) as typeof process.stdout.write;
    try {
      log.info({ secret: { data: "x" } }, "on a terminal");
    } finally {
      process.stdout.write = orig;
    }
    expect(writes.join("")).toMatch(/ INFO {2}on a terminal secret=\{"data":"\[REDACTED\]"\}\n$/);
  });
});
