// Bookkeeping queued with afterAnswers runs after the I/O callbacks of the current loop turn, in
// order, with the time it was queued, and an entry that throws loses nothing queued after it.
import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { AfterAnswers, type AfterAnswer } from "../../src/server/after-answers.ts";

// One queue per test, as one per server.
function queue(): {
  afterAnswers: <T>(fn: AfterAnswer<T>, item: T) => void;
  drainAfterAnswers: () => void;
  queuedAfterAnswers: () => number;
} {
  const q = new AfterAnswers();
  return {
    afterAnswers: (fn, item) => q.add(fn, item),
    drainAfterAnswers: () => q.drain(),
    queuedAfterAnswers: () => q.queued,
  };
}

describe("afterAnswers", () => {
  it("runs queued work after the current callback, in order, with the time it was queued", async () => {
    const { afterAnswers, queuedAfterAnswers } = queue();
    const ran: [string, number][] = [];
    const before = Date.now();
    afterAnswers((item: string, at: number) => ran.push([item, at]), "first");
    afterAnswers((item: string, at: number) => ran.push([item, at]), "second");
    expect(ran).toEqual([]);
    expect(queuedAfterAnswers()).toBe(2);
    await nextTurn();
    expect(ran.map(([item]) => item)).toEqual(["first", "second"]);
    for (const [, at] of ran) {
      expect(at).toBeGreaterThanOrEqual(before);
      expect(at).toBeLessThanOrEqual(Date.now());
    }
    expect(queuedAfterAnswers()).toBe(0);
  });

  it("runs after every I/O callback of the same turn, not between them", async () => {
    const { afterAnswers } = queue();
    const order: string[] = [];
    // Two timers due in the same turn stand in for two sockets that were ready together.
    await new Promise<void>((resolve) => {
      setTimeout(() => {
        order.push("answer 1");
        afterAnswers(() => order.push("book 1"), undefined);
      }, 1);
      setTimeout(() => {
        order.push("answer 2");
        afterAnswers(() => {
          order.push("book 2");
          resolve();
        }, undefined);
      }, 1);
      // Both timers must be due when the timers phase runs: on a loaded machine the two calls above
      // can straddle a millisecond, and the second timer would then fire a turn later.
      const due = Date.now() + 3;
      while (Date.now() < due);
    });
    expect(order).toEqual(["answer 1", "answer 2", "book 1", "book 2"]);
  });

  it("drops an entry that throws, and still runs the ones queued after it", async () => {
    const { afterAnswers, drainAfterAnswers, queuedAfterAnswers } = queue();
    const ran: number[] = [];
    afterAnswers((n: number) => ran.push(n), 1);
    afterAnswers(() => {
      throw new Error("bookkeeping bug");
    }, 2);
    afterAnswers((n: number) => ran.push(n), 3);
    expect(() => drainAfterAnswers()).toThrow("bookkeeping bug");
    expect(ran).toEqual([1]);
    expect(queuedAfterAnswers()).toBe(1);
    await nextTurn();
    expect(ran).toEqual([1, 3]);
    expect(queuedAfterAnswers()).toBe(0);
  });
});
