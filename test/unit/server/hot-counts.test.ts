import { Counter, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { HotCounts } from "../../../src/server/hot-counts.ts";

type L = "route" | "kind";

function setup(): { counts: HotCounts<L>; registry: Registry; made: string[] } {
  const registry = new Registry();
  const counts = new HotCounts<L>();
  const counter: Counter<L> = new Counter({
    name: "reviews_total",
    help: "test",
    labelNames: ["route", "kind"],
    registers: [registry],
    collect: () => counts.drainInto(counter),
  });
  return { counts, registry, made: [] };
}

const inc = (s: ReturnType<typeof setup>, route: string, kind: string): void =>
  s.counts.inc(`${route} ${kind}`, () => {
    s.made.push(`${route} ${kind}`);
    return { route, kind };
  });

describe("HotCounts", () => {
  it("shows what was counted at each scrape, once, and keeps counting after it", async () => {
    const s = setup();
    for (let i = 0; i < 3; i++) inc(s, "/mutate", "Pod");
    inc(s, "/validate", "Secret");
    let text = await s.registry.metrics();
    expect(text).toContain('reviews_total{route="/mutate",kind="Pod"} 3');
    expect(text).toContain('reviews_total{route="/validate",kind="Secret"} 1');
    // a second scrape adds nothing that was already moved
    text = await s.registry.metrics();
    expect(text).toContain('reviews_total{route="/mutate",kind="Pod"} 3');
    inc(s, "/mutate", "Pod");
    text = await s.registry.metrics();
    expect(text).toContain('reviews_total{route="/mutate",kind="Pod"} 4');
    expect(text).toContain('reviews_total{route="/validate",kind="Secret"} 1');
  });

  it("builds a key's labels only the first time it is seen", () => {
    const s = setup();
    for (let i = 0; i < 5; i++) inc(s, "/mutate", "Pod");
    inc(s, "/mutate", "Secret");
    expect(s.made).toEqual(["/mutate Pod", "/mutate Secret"]);
  });
});
