// HotHistogram must print exactly what prom-client's Histogram prints for the same observations:
// Prometheus, dashboards and alerts see no difference.
import { Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { HotHistogram } from "../../../src/server/hot-histogram.ts";

const BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25];
const opts = { name: "tg_test_seconds", help: "Test histogram", buckets: BUCKETS };

function pair() {
  const ours = new Registry();
  const theirs = new Registry();
  const hot = new HotHistogram({ ...opts, labelName: "route", registers: [ours] });
  const ref = new Histogram({ ...opts, labelNames: ["route"], registers: [theirs] });
  return { ours, theirs, hot, ref };
}

describe("HotHistogram", () => {
  it("prints what prom-client's Histogram prints, bucket bounds inclusive, per label value", async () => {
    const { ours, theirs, hot, ref } = pair();
    const obs: [string, number][] = [
      ["/validate", 0.00004],
      ["/validate", 0.00005], // exactly on a bound: counted in it (le is <=)
      ["/validate", 0.0003],
      ["/validate", 0.3], // above every bound: +Inf only
      ["/mutate", 0.002],
      ["/mutate", 0.002],
      ["/validate", 0.0099],
    ];
    const bound = { "/validate": hot.series("/validate"), "/mutate": hot.series("/mutate") };
    for (const [route, v] of obs) {
      bound[route as keyof typeof bound].observe(v);
      ref.observe({ route }, v);
    }
    const text = await ours.metrics();
    expect(text).toBe(await theirs.metrics());
    expect(text).toContain('tg_test_seconds_bucket{le="0.00005",route="/validate"} 2');
    expect(text).toContain('tg_test_seconds_bucket{le="+Inf",route="/validate"} 5');
    expect(text).toContain('tg_test_seconds_count{route="/mutate"} 2');
  });

  it("keeps a bound series working across reset, and ignores a non-finite value", async () => {
    const { ours, theirs, hot, ref } = pair();
    const s = hot.series("/validate");
    s.observe(0.001);
    ours.resetMetrics();
    s.observe(Number.NaN);
    s.observe(0.02);
    ref.observe({ route: "/validate" }, 0.02);
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });
});
