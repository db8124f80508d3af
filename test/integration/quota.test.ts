// Team budgets (spec.quota) through the real HTTPS server, against test/fixtures/quota/world.yaml:
// team-ml already runs 5 GPUs over ml-train and ml-serve (a Succeeded pod and team-other's pod
// count nothing), hard 8, warnAt 80%. A 4-GPU pod is denied with the numbers, a 1-GPU pod allowed
// silently, a 2-GPU pod (7 of 8) allowed with a warning; a dry run is judged the same.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadReview, setPath, type ReviewJson } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { reviewObject, type ReviewResponse } from "../support/review.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ directory: { source: "file:test/fixtures/quota/world.yaml" } });
});
afterAll(async () => {
  await server?.close();
});

const review = (r: ReviewJson): Promise<ReviewResponse> => reviewObject(server, r);

describe("spec.quota through the real server", () => {
  it("denies a pod that would take the tenant past hard, with used, asked, hard and the top namespaces", async () => {
    const r = await review(loadReview("quota/gpu-past-hard-denied"));
    expect(r.allowed).toBe(false);
    expect(r.status?.code).toBe(403);
    const msg = r.status?.message ?? "";
    expect(msg).toContain("[TG-QUOTA-EXCEEDED]");
    expect(msg).toContain('pod "sft-run-worker-0" in namespace "ml-train"');
    expect(msg).toContain('tenant "team-ml"');
    expect(msg).toContain("requests.nvidia.com/gpu: used 5 + asked 4 = 9, hard 8");
    expect(msg).toContain("most used in ml-train (4), ml-serve (1)");
    // cpu (20 + 4 of 64) and pods (3 + 1 of 20) stay within: not named
    expect(msg).not.toContain("requests.cpu");
    expect(msg).not.toContain("pods:");
  });

  it("a dry run of the same pod is denied the same", async () => {
    const r = loadReview("quota/gpu-past-hard-denied");
    setPath(r, "request.dryRun", true);
    const res = await review(r);
    expect(res.allowed).toBe(false);
    expect(res.status?.message).toContain("used 5 + asked 4 = 9, hard 8");
  });

  it("allows a pod within budget and below warnAt without a warning", async () => {
    const r = await review(loadReview("quota/gpu-within-allowed"));
    expect(r.status?.message).toBeUndefined();
    expect(r.allowed).toBe(true);
    expect(r.warnings).toBeUndefined();
  });

  it("allows a pod that passes warnAt with a warning naming the numbers", async () => {
    const r = await review(loadReview("quota/gpu-past-warn-allowed"));
    expect(r.allowed).toBe(true);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings?.[0]).toContain("[TG-QUOTA-WARN]");
    expect(r.warnings?.[0]).toContain("past 80% of its budget");
    expect(r.warnings?.[0]).toContain("requests.nvidia.com/gpu: used 5 + asked 2 = 7, hard 8");
  });

  it("exposes used and hard per tenant and budgeted key on /metrics", async () => {
    const text = (await server.request("/metrics")).text;
    expect(text).toContain('tenant_guard_quota_used{tenant="team-ml",resource="requests.nvidia.com/gpu"} 5');
    expect(text).toContain('tenant_guard_quota_hard{tenant="team-ml",resource="requests.nvidia.com/gpu"} 8');
    expect(text).toContain('tenant_guard_quota_used{tenant="team-ml",resource="pods"} 3');
    expect(text).toContain('tenant_guard_quota_used{tenant="team-ml",resource="requests.cpu"} 20');
    expect(text).not.toMatch(/tenant_guard_quota_(used|hard)\{tenant="team-other"/); // no budget, no series
  });

  it("the same pod in a tenant without a budget is allowed", async () => {
    const r = loadReview("quota/gpu-past-hard-denied");
    setPath(r, "request.namespace", "other");
    setPath(r, "request.object.metadata.namespace", "other");
    const res = await review(r);
    expect(res.status?.message).toBeUndefined();
    expect(res.allowed).toBe(true);
  });
});
