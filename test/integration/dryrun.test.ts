// dryRun: true gets exactly the decision a real request gets (validate and mutate, allowed and
// denied), has no side effect on the directory, and is marked as a dry run in logs and metrics.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JsonRecord } from "../../src/k8s/access.ts";
import { loadReview } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { metric, podClaiming, worldWith, type ReviewOut } from "../unit/audit/support/world.ts";

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({
    directory: { source: await worldWith(undefined) },
    enforcement: { mode: "Enforce" },
  });
});
afterAll(async () => {
  await srv.close();
});

async function answer(path: "/validate" | "/mutate", body: unknown): Promise<ReviewOut["response"]> {
  const res = await srv.review(path, body);
  expect(res.status).toBe(200);
  return res.json<ReviewOut>().response;
}

function logOf(uid: string): JsonRecord | undefined {
  return srv.logs.find((l) => l.msg === "review" && l.uid === uid);
}

describe("dry runs", () => {
  it("the API server's dry-run fixture is decoded as a dry run and logged as one", async () => {
    const review = loadReview("pod-create-dryrun");
    const r = await answer("/validate", review);
    expect(r.uid).toBe(review.request.uid);
    expect(logOf(review.request.uid)).toMatchObject({ dryRun: true, kind: "Pod", decision: "allowed" });
  });

  for (const [what, tenant] of [
    ["denied", "team-beta"],
    ["allowed", undefined],
  ] as const) {
    it(`a ${what} request gets the same answer with and without dryRun, on both endpoints`, async () => {
      for (const path of ["/validate", "/mutate"] as const) {
        const uidReal = `real-${what}-${path.slice(1)}`;
        const uidDry = `dry-${what}-${path.slice(1)}`;
        const real = await answer(path, podClaiming(tenant, { dryRun: false, uid: uidReal }));
        const dry = await answer(path, podClaiming(tenant, { dryRun: true, uid: uidDry }));
        expect(dry).toEqual({ ...real, uid: uidDry });
        // Only /validate runs the rules; /mutate allows and patches either way.
        expect(real.allowed).toBe(path === "/mutate" || what === "allowed");
        expect(logOf(uidDry)).toMatchObject({ dryRun: true, decision: logOf(uidReal)?.decision });
        expect(logOf(uidReal)?.dryRun).toBe(false);
      }
    });
  }

  it("metrics count dry runs apart, and the directory is untouched", async () => {
    const before = srv.serving.directory.status().counts;
    const text0 = (await srv.request("/metrics")).text;
    const labels = { route: "/validate", kind: "Pod", decision: "denied" };
    const dry0 = metric(text0, "tenant_guard_admission_requests_total", { ...labels, dry_run: "true" });
    const finding = { route: "/validate", rule: "TG-TENANT-LABEL", mode: "Enforce" };
    const dryFindings0 = metric(text0, "tenant_guard_rule_findings_total", { ...finding, dry_run: "true" });
    const realFindings0 = metric(text0, "tenant_guard_rule_findings_total", { ...finding, dry_run: "false" });
    const real0 = metric(text0, "tenant_guard_admission_requests_total", { ...labels, dry_run: "false" });
    await answer("/validate", podClaiming("team-beta", { dryRun: true, uid: "dry-metrics" }));
    const text1 = (await srv.request("/metrics")).text;
    expect(metric(text1, "tenant_guard_admission_requests_total", { ...labels, dry_run: "true" })).toBe(
      dry0 + 1,
    );
    expect(metric(text1, "tenant_guard_admission_requests_total", { ...labels, dry_run: "false" })).toBe(
      real0,
    );
    // Findings of dry runs are counted apart too, so a dry-run sweep does not inflate real ones.
    expect(metric(text1, "tenant_guard_rule_findings_total", { ...finding, dry_run: "true" })).toBe(
      dryFindings0 + 1,
    );
    expect(metric(text1, "tenant_guard_rule_findings_total", { ...finding, dry_run: "false" })).toBe(
      realFindings0,
    );
    expect(srv.serving.directory.status().counts).toEqual(before);
  });
});
