import { describe, expect, it } from "vitest";
import { Deadlines } from "../../../src/server/coarse-deadlines.ts";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const deadlines = (tickMs: number): Deadlines => new Deadlines(tickMs);

describe("Deadlines", () => {
  it("fires each deadline once, no earlier than asked and within a tick after", async () => {
    const d = deadlines(10);
    const fired: [string, number][] = [];
    const start = performance.now();
    d.add(60, () => fired.push(["late", performance.now() - start]));
    d.add(20, () => fired.push(["early", performance.now() - start]));
    await sleep(150);
    expect(fired.map(([n]) => n)).toEqual(["early", "late"]);
    const [early, late] = fired.map(([, t]) => t) as [number, number];
    expect(early).toBeGreaterThanOrEqual(20);
    expect(late).toBeGreaterThanOrEqual(60);
    expect(late).toBeLessThan(60 + 80); // a tick late at most, with room for a loaded CI machine
    expect(d.size).toBe(0);
  });

  it("never fires a removed deadline and forgets it at once", async () => {
    const d = deadlines(10);
    let fired = 0;
    const a = d.add(20, () => fired++);
    d.add(20, () => fired++);
    d.remove(a);
    expect(d.size).toBe(1);
    await sleep(80);
    expect(fired).toBe(1);
    expect(d.size).toBe(0);
  });

  it("keeps no timer while nothing is pending, and starts one again for the next deadline", async () => {
    const d = deadlines(10);
    expect(d.ticking).toBe(false);
    const x = d.add(1000, () => undefined);
    expect(d.ticking).toBe(true);
    d.remove(x);
    await sleep(30); // the next tick sees an empty set and stops the interval
    expect(d.ticking).toBe(false);
    let fired = false;
    d.add(15, () => (fired = true));
    await sleep(60);
    expect(fired).toBe(true);
    expect(d.ticking).toBe(false);
  });
});
