import { EventEmitter } from "node:events";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../../src/log.ts";
import { Metrics } from "../../../src/server/metrics.ts";
import { installProcessGuards, type ProcessLike } from "../../../src/server/process-guard.ts";

function setup(max = 2) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(c: Buffer, _e, cb) {
      for (const l of c.toString().split("\n")) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  const proc = new EventEmitter();
  const metrics = new Metrics(undefined, { defaultMetrics: false });
  const reasons: string[] = [];
  const remove = installProcessGuards(proc as unknown as ProcessLike, {
    log: createLogger("info", sink),
    metrics,
    giveUp: (r) => reasons.push(r),
    maxInWindow: max,
  });
  return { proc, lines, metrics, reasons, remove };
}

describe("process guards", () => {
  it("logs and counts an uncaught exception and keeps the process alive", async () => {
    const { proc, lines, metrics, reasons } = setup();
    proc.emit("uncaughtException", new Error("boom in a timer"), "uncaughtException");
    proc.emit("unhandledRejection", new Error("forgotten promise"));
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => l.msg)).toEqual([
      "uncaught exception: logged and survived",
      "unhandled rejection: logged and survived",
    ]);
    expect((lines[0]?.err as { message: string }).message).toBe("boom in a timer");
    expect(await metrics.registry.getSingleMetricAsString("tenant_guard_uncaught_errors_total")).toMatch(
      / 2$/,
    );
    expect(reasons).toEqual([]);
  });

  it("gives up once (drain and exit) when errors come in a burst", () => {
    const { proc, reasons } = setup(2);
    for (let i = 0; i < 5; i++) proc.emit("uncaughtException", new Error(`e${i}`), "uncaughtException");
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/^3 uncaught errors within 60000 ms$/);
  });

  it("removes its handlers", () => {
    const { proc, remove } = setup();
    remove();
    expect(proc.listenerCount("uncaughtException")).toBe(0);
    expect(proc.listenerCount("unhandledRejection")).toBe(0);
  });
});
