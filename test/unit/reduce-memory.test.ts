// The memory-reducing collections: after a large sync (debounced across informers, skipped for small
// lists), after a burst of reviews (once, when the burst is over), and - with a real
// `node --expose-gc` - one that actually gives the young generation back.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createLogger } from "../../src/log.ts";
import { AfterBurstGc } from "../../src/server/after-burst-gc.ts";
import { AfterSyncGc } from "../../src/tenancy/cluster/after-sync-gc.ts";

const ROOT = join(import.meta.dirname, "..", "..");

afterEach(() => vi.useRealTimers());

describe("after-sync collection", () => {
  it("runs once, a second after the last of several large lists", () => {
    vi.useFakeTimers();
    const gc = vi.fn();
    const after = new AfterSyncGc(createLogger("silent"), gc);
    after.listed(100_000);
    vi.advanceTimersByTime(600);
    after.listed(50_000); // another informer finishing restarts the wait
    vi.advanceTimersByTime(600);
    expect(gc).not.toHaveBeenCalled();
    vi.advanceTimersByTime(500);
    expect(gc).toHaveBeenCalledTimes(1);
  });

  it("leaves small lists alone, stops on close, and does nothing without --expose-gc", () => {
    vi.useFakeTimers();
    const gc = vi.fn();
    const after = new AfterSyncGc(createLogger("silent"), gc);
    after.listed(200);
    vi.advanceTimersByTime(5000);
    after.listed(20_000);
    after.close();
    vi.advanceTimersByTime(5000);
    expect(gc).not.toHaveBeenCalled();
    const without = new AfterSyncGc(createLogger("silent"), undefined);
    expect(without.enabled).toBe(false);
    without.listed(100_000); // no timer, no throw
  });

  it("after a burst, collects once when reviews have almost stopped, never while they flow", () => {
    vi.useFakeTimers();
    const gc = vi.fn();
    let reviews = 0;
    const opts = { windowMs: 1000, busy: 100, quiet: 5, minRssBytes: 0 };
    const after = new AfterBurstGc(() => reviews, createLogger("silent"), opts, gc);
    after.start();
    const windowWith = (n: number): void => {
      reviews += n;
      vi.advanceTimersByTime(1000);
    };
    windowWith(50); // steady low traffic: no burst
    windowWith(3);
    expect(gc).not.toHaveBeenCalled();
    windowWith(500); // a burst...
    windowWith(400); // ...still going
    windowWith(60); // slowing, not quiet yet
    expect(gc).not.toHaveBeenCalled();
    windowWith(2); // over
    expect(gc).toHaveBeenCalledTimes(1);
    windowWith(0);
    windowWith(1);
    expect(gc).toHaveBeenCalledTimes(1); // once per burst
    after.close();
    windowWith(500);
    windowWith(0);
    expect(gc).toHaveBeenCalledTimes(1);
  });

  it("after a burst, collects only while RSS is at or above server.reduceMemoryAboveMb", () => {
    vi.useFakeTimers();
    const gc = vi.fn();
    let reviews = 0;
    let rss = 120 * 2 ** 20;
    const lines: string[] = [];
    const log = createLogger("debug", { write: (s: string) => void lines.push(s) });
    const opts = { windowMs: 1000, busy: 100, quiet: 5, minRssBytes: 150 * 2 ** 20 };
    const after = new AfterBurstGc(
      () => reviews,
      log,
      opts,
      gc,
      () => rss,
    );
    after.start();
    const burstThenQuiet = (): void => {
      reviews += 500;
      vi.advanceTimersByTime(1000);
      vi.advanceTimersByTime(1000);
    };
    burstThenQuiet(); // 120 MB: the optimised code is worth more than 120 - resting MB
    expect(gc).not.toHaveBeenCalled();
    expect(
      lines.some((l) => l.includes("RSS below server.reduceMemoryAboveMb") && l.includes('"rssMb":120')),
    ).toBe(true);
    rss = 150 * 2 ** 20;
    burstThenQuiet();
    expect(gc).toHaveBeenCalledTimes(1);
    rss = 220 * 2 ** 20;
    burstThenQuiet();
    expect(gc).toHaveBeenCalledTimes(2);
    after.close();
  });

  it("with this Node's real gc(), shrinks a grown young generation and logs what it returned", () => {
    const script = `
      import { getHeapSpaceStatistics } from "node:v8";
      import { createLogger } from "./src/log.ts";
      import { AfterSyncGc } from "./src/tenancy/cluster/after-sync-gc.ts";
      const newSpace = () => getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size;
      let keep = [];
      for (let i = 0; i < 2e6; i++) { keep.push({ i, s: "x" + i }); if (keep.length > 2e5) keep = []; }
      const before = newSpace();
      const log = createLogger("info");
      const after = new AfterSyncGc(log);
      after.listed(100000);
      setTimeout(() => { console.error(JSON.stringify({ before, after: newSpace() })); process.exit(0); }, 1300);
    `;
    const r = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], {
      cwd: ROOT,
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(r.status).toBe(0);
    const sizes = JSON.parse(r.stderr.trim().split("\n").at(-1) ?? "{}") as { before: number; after: number };
    expect(sizes.before).toBeGreaterThan(8 * 2 ** 20);
    expect(sizes.after).toBeLessThanOrEqual(2 * 2 ** 20);
    expect(r.stdout).toContain("returned memory to the OS");
    expect(r.stdout).toContain("after an informer sync");
  });
});
