// Object-count budgets (count/<resource>.<group>, and ResourceQuota's legacy `secrets`) through the
// real HTTPS server, against test/fixtures/quota/counted-world.yaml: one RayCluster create and one
// Secret create, sent into tenants at, near and far from their limits: denied with the numbers and
// the namespaces that use most, warned past warnAt, allowed silently; a dry run is judged the same.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadReview, setPath, type ReviewJson } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { reviewObject, type ReviewResponse } from "../support/review.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ directory: { source: "file:test/fixtures/quota/counted-world.yaml" } });
});
afterAll(async () => {
  await server?.close();
});

/** The fixture, created in `namespace` (request and object agree, as the API server sends them). */
function into(fixture: string, namespace: string, dryRun = false): ReviewJson {
  const r = loadReview(fixture);
  setPath(r, "request.namespace", namespace);
  setPath(r, "request.object.metadata.namespace", namespace);
  setPath(r, "request.dryRun", dryRun);
  return r;
}

const review = (r: ReviewJson): Promise<ReviewResponse> => reviewObject(server, r);

describe("count/<resource>.<group> budgets through the real server", () => {
  it("the directory counts budgeted objects over each tenant's namespaces, and no one's for a tenant without a budget", async () => {
    const text = (await server.request("/metrics")).text;
    expect(text).toContain(
      'tenant_guard_quota_used{tenant="team-full",resource="count/rayclusters.ray.io"} 4',
    );
    expect(text).toContain(
      'tenant_guard_quota_hard{tenant="team-full",resource="count/rayclusters.ray.io"} 4',
    );
    expect(text).toContain('tenant_guard_quota_used{tenant="team-full",resource="count/secrets"} 3');
    expect(text).toContain('tenant_guard_quota_used{tenant="team-near",resource="secrets"} 4');
    expect(text).not.toContain('tenant="team-other"');
  });

  it("RayCluster: denied past hard with used, asked, hard and the namespaces that use most", async () => {
    const r = await review(into("quota/raycluster-create", "full-b"));
    expect(r.allowed).toBe(false);
    expect(r.status?.code).toBe(403);
    const msg = r.status?.message ?? "";
    expect(msg).toContain("[TG-QUOTA-EXCEEDED]");
    expect(msg).toContain('raycluster "tune-sweep" in namespace "full-b"');
    expect(msg).toContain('tenant "team-full"');
    expect(msg).toContain("count/rayclusters.ray.io: used 4 + asked 1 = 5, hard 4");
    expect(msg).toContain("most used in full-a (3), full-b (1)");
    expect(msg).toContain("delete rayclusters the tenant no longer needs");
    // Its GPUs (2 workers) are not a pod's: a RayCluster charges its count only.
    expect(msg).not.toContain("nvidia.com/gpu");
  });

  it("RayCluster: a dry run is denied the same", async () => {
    const r = await review(into("quota/raycluster-create", "full-a", true));
    expect(r.allowed).toBe(false);
    expect(r.status?.message).toContain("used 4 + asked 1 = 5, hard 4");
  });

  it("RayCluster: warned past warnAt (5 of 5 > 80%), allowed", async () => {
    const r = await review(into("quota/raycluster-create", "near-b"));
    expect(r.status?.message).toBeUndefined();
    expect(r.allowed).toBe(true);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings?.[0]).toContain("[TG-QUOTA-WARN]");
    expect(r.warnings?.[0]).toContain('tenant "team-near" past 80% of its budget');
    expect(r.warnings?.[0]).toContain("count/rayclusters.ray.io: used 4 + asked 1 = 5, hard 5");
  });

  it("RayCluster: allowed without a warning well within budget; a tenant without a budget is not judged", async () => {
    for (const ns of ["roomy-a", "other"]) {
      const r = await review(into("quota/raycluster-create", ns));
      expect(r.status?.message, ns).toBeUndefined();
      expect(r.allowed, ns).toBe(true);
      expect(r.warnings, ns).toBeUndefined();
    }
  });

  it("Secret (count/secrets): denied past hard, with the numbers", async () => {
    const r = await review(into("quota/secret-create", "full-a"));
    expect(r.allowed).toBe(false);
    const msg = r.status?.message ?? "";
    expect(msg).toContain('secret "wandb-api-key" in namespace "full-a"');
    expect(msg).toContain("count/secrets: used 3 + asked 1 = 4, hard 3");
    expect(msg).toContain("most used in full-a (2), full-b (1)");
  });

  it("Secret (legacy key `secrets`): warned past warnAt, allowed within it, dry run the same", async () => {
    const near = await review(into("quota/secret-create", "near-b"));
    expect(near.allowed).toBe(true);
    expect(near.warnings?.[0]).toContain("secrets: used 4 + asked 1 = 5, hard 5");
    const dry = await review(into("quota/secret-create", "near-b", true));
    expect(dry.warnings).toEqual(near.warnings);
    const roomy = await review(into("quota/secret-create", "roomy-a"));
    expect(roomy.allowed).toBe(true);
    expect(roomy.warnings).toBeUndefined();
  });

  it("a kind no budget counts (a ConfigMap into the full tenant) is not judged", async () => {
    const r = into("quota/secret-create", "full-a");
    for (const p of ["kind", "requestKind"]) setPath(r, `request.${p}.kind`, "ConfigMap");
    for (const p of ["resource", "requestResource"]) setPath(r, `request.${p}.resource`, "configmaps");
    setPath(r, "request.object.kind", "ConfigMap");
    const res = await review(r);
    expect(res.allowed).toBe(true);
    expect(res.warnings).toBeUndefined();
  });
});
