// CompactListWatch's list half: pages are compacted into a fresh store as they stream in, the store
// replaces the cache only when the list completes (a list failing halfway leaves the last state),
// and a relist reports exactly what was added, changed and deleted.
import type { Watch } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { CompactListWatch } from "../../../src/tenancy/cluster/compact-list-watch.ts";
import {
  CompactValues,
  Interner,
  slimMetadataObject,
  type SlimObject,
} from "../../../src/tenancy/cluster/slim.ts";

const LABEL = "tenant-guard.dev/tenant";
const slim = slimMetadataObject(new Interner(), LABEL);
const sa = (ns: string, name: string, tenant?: string, rv = "1"): SlimObject =>
  slim({ metadata: { name, namespace: ns, resourceVersion: rv, labels: tenant ? { [LABEL]: tenant } : {} } });

/** A watch that opens and stays quiet; `end(err)` ends it the way client-node's Watch does. */
function quietWatch(): { watch: Watch; end: (err: unknown) => void } {
  let done: ((err: unknown) => void) | undefined;
  const watch = {
    watch: async (_p: string, _q: unknown, _cb: unknown, d: (err: unknown) => void) => {
      done = d;
      return new AbortController();
    },
  } as unknown as Watch;
  return { watch, end: (err) => done?.(err) };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("CompactListWatch lists", () => {
  it("streams pages into the cache, swaps it in whole, and reports a relist's differences", async () => {
    const values = new CompactValues();
    const { watch, end } = quietWatch();
    let pages: SlimObject[][] = [[sa("a", "x", "t1"), sa("a", "y")], [sa("b", "z", "t1")]];
    let failAfterFirstPage = false;
    const lw = new CompactListWatch(
      "/api/v1/serviceaccounts",
      watch,
      async (onItems) => {
        for (const [i, p] of pages.entries()) {
          if (i === 1 && failAfterFirstPage) throw new Error("page 2 failed");
          onItems(p);
        }
        return "100";
      },
      (o) => values.compact(o),
    );
    const events: string[] = [];
    const errors: unknown[] = [];
    for (const phase of ["add", "update", "delete"] as const)
      lw.on(phase, (o: SlimObject) => events.push(`${phase} ${o.metadata.namespace}/${o.metadata.name}`));
    lw.on("error", (e: unknown) => errors.push(e));

    await lw.start();
    expect(events.sort()).toEqual(["add a/x", "add a/y", "add b/z"]);
    expect(lw.get("x", "a")?.labels).toEqual({ [LABEL]: "t1" });
    expect(lw.get("x", "a")).toBe(lw.get("z", "b")); // one shared value for the same content

    // A relist (410 Gone) that fails on its second page: the first page changed nothing yet.
    events.length = 0;
    pages = [[sa("a", "x", "t2", "2")], [sa("c", "w")]];
    failAfterFirstPage = true;
    end({ statusCode: 410 });
    await tick();
    expect(errors).toHaveLength(1);
    expect(events).toEqual([]);
    expect(lw.get("x", "a")?.labels).toEqual({ [LABEL]: "t1" });
    expect(lw.get("y", "a")).toBeDefined();

    // The relist succeeds: x relabelled, y and z gone, w new; nothing else reported.
    failAfterFirstPage = false;
    await lw.start();
    expect(events.sort()).toEqual(["add c/w", "delete a/y", "delete b/z", "update a/x"]);
    expect(lw.get("x", "a")?.labels).toEqual({ [LABEL]: "t2" });
    expect(lw.get("y", "a")).toBeUndefined();

    // The same list again: no events at all.
    events.length = 0;
    end({ statusCode: 410 });
    await tick();
    expect(events).toEqual([]);
    await lw.stop();
  });
});
