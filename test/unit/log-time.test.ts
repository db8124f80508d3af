import { describe, expect, it } from "vitest";
import { createLogger, isoTime } from "../../src/log.ts";

describe("isoTime", () => {
  it("is pino's isoTime fragment for the current millisecond, and changes with the clock", async () => {
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
});
