import { describe, expect, it } from "vitest";
import { LogClock, createLogger, flushLogger } from "../../src/log.ts";
import { AfterAnswers } from "../../src/server/after-answers.ts";

describe("LogClock", () => {
  it("is pino's isoTime fragment for the current millisecond, and changes with the clock", async () => {
    const isoTime = new LogClock().stamp;
    const before = Date.now();
    const t = isoTime();
    const after = Date.now();
    expect(t).toMatch(/^,"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"$/);
    const ms = Date.parse(t.slice(9, -1));
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after);
    await new Promise((r) => setTimeout(r, 5));
    expect(Date.parse(isoTime().slice(9, -1))).toBeGreaterThan(ms);
  });

  it("stamps every log line", () => {
    const lines: string[] = [];
    const log = createLogger("info", { write: (s: string) => void lines.push(s) });
    const before = Date.now();
    log.info("one");
    log.info("two");
    for (const line of lines) {
      const time = Date.parse((JSON.parse(line) as { time: string }).time);
      expect(time).toBeGreaterThanOrEqual(before);
      expect(time).toBeLessThanOrEqual(Date.now());
    }
    expect(lines).toHaveLength(2);
  });

  it("stamps lines with a pinned time until it is released", () => {
    const lines: string[] = [];
    const clock = new LogClock();
    const log = createLogger("info", { write: (s: string) => void lines.push(s) }, false, clock);
    const at = Date.parse("2026-01-02T03:04:05.678Z");
    clock.pin(at);
    try {
      log.info("pinned");
    } finally {
      clock.pin(undefined);
    }
    log.info("now");
    const times = lines.map((l) => (JSON.parse(l) as { time: string }).time);
    expect(times[0]).toBe("2026-01-02T03:04:05.678Z");
    expect(Date.parse(times[1]!)).toBeGreaterThan(at);
  });

  it("writes lines still queued after their answers when the server drains them at exit", () => {
    const lines: string[] = [];
    const log = createLogger("info", { write: (s: string) => void lines.push(s) });
    const after = new AfterAnswers();
    const queuedAfterAnswers = (): number => after.queued;
    after.add((n: number) => log.info({ n }, "late"), 7);
    expect(lines).toHaveLength(0);
    after.drain();
    flushLogger(log);
    expect(lines.map((l) => (JSON.parse(l) as { n: number }).n)).toEqual([7]);
    expect(queuedAfterAnswers()).toBe(0);
  });
});
