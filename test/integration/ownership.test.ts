// Who owns a labelled object, through the real HTTPS server (port 0, examples/cluster.yaml) with
// real-shaped reviews from test/fixtures/admission/ownership/: relabelling another tenant's object
// is denied, admins and controllers doing maintenance are not, updates that add nothing never
// wedge a deletion, and a tenant's Audit mode does not weaken the tenant a finding protects.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadReview, setPath } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { worldWith, type ReviewOut } from "../unit/audit/support/world.ts";

type Response = ReviewOut["response"];

let srv: TestServer;
let alphaAudit: TestServer;
let notebooks: TestServer;
beforeAll(async () => {
  [srv, alphaAudit, notebooks] = await Promise.all([
    startTestServer(),
    // team-alpha's Tenant in Audit; team-beta keeps the global Enforce.
    worldWith("{mode: Audit}").then((source) => startTestServer({ directory: { source } })),
    startTestServer({
      workloads: {
        templates: [
          { group: "kubeflow.org", kind: "Notebook", resource: "notebooks", templates: ["spec.template"] },
        ],
      },
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([srv?.close(), alphaAudit?.close(), notebooks?.close()]);
});

async function validate(review: unknown, server = srv): Promise<Response> {
  const res = await server.review("/validate", review);
  expect(res.status).toBe(200);
  return res.json<ReviewOut>().response;
}

function codes(r: Response): string[] {
  return [...(r.status?.message ?? "").matchAll(/\[(TG-[A-Z-]+)\]/g)].map((m) => m[1] as string);
}

describe("another tenant's labelled object cannot be taken over", () => {
  it.each([
    ["ownership/serviceaccount-relabel-denied", ["TG-TENANT-LABEL-CHANGE"]],
    ["ownership/serviceaccount-unlabel-denied", ["TG-TENANT-LABEL-CHANGE"]],
    ["ownership/secret-unlabel-denied", ["TG-TENANT-LABEL-CHANGE"]],
    ["ownership/pvc-terminating-relabel-denied", ["TG-TENANT-LABEL-CHANGE"]],
    // Keeping the label but rewriting the data is still a tenant writing another tenant's secret.
    ["ownership/secret-rotate-tenant-denied", ["TG-TENANT-LABEL"]],
    ["ownership/podtemplate-claim-denied", ["TG-TENANT-LABEL"]],
    ["ownership/pytorchjob-claim-denied", ["TG-TENANT-LABEL"]],
    ["ownership/deployment-update-env-new-reference-denied", ["TG-POD-REFERENCE"]],
  ])("%s", async (fixture, want) => {
    const r = await validate(loadReview(fixture));
    expect(r.allowed).toBe(false);
    expect(r.status?.code).toBe(403);
    expect(codes(r)).toEqual(want);
  });

  it("names the object, both tenants and the fix", async () => {
    const r = await validate(loadReview("ownership/serviceaccount-relabel-denied"));
    expect(r.status?.message).toBe(
      "tenant-guard denied ServiceAccount team-alpha/beta-sync: [TG-TENANT-LABEL-CHANGE] " +
        '"alice@example.com" moves serviceaccount "beta-sync" in namespace "team-alpha" from tenant ' +
        '"team-beta" to tenant "team-alpha" (the namespace belongs to tenant "team-alpha"); only a ' +
        "cluster admin may change which tenant owns an object: keep the tenant label " +
        '"team-beta", and use an object of your own tenant instead (metadata.labels["tenant-guard.dev/tenant"])',
    );
  });

  it("a kind listed in workloads.templates has its tenant label checked too", async () => {
    const review = loadReview("workloads/notebook-service-account-denied");
    setPath(review.request, "object.metadata.labels", { "tenant-guard.dev/tenant": "team-beta" });
    const checked = await validate(review, notebooks);
    expect(codes(checked)).toContain("TG-TENANT-LABEL");
    // The default server does not know the Notebook kind: the label is not its business there.
    const unknown = await validate(review);
    expect(codes(unknown)).not.toContain("TG-TENANT-LABEL");
  });
});

describe("maintenance and updates that add nothing are allowed", () => {
  it.each([
    // An admin may move an object between tenants (and fix a grandfathered one).
    "ownership/serviceaccount-relabel-admin-allowed",
    // An admin rotates a grandfathered secret (labelled team-beta in team-alpha's namespace).
    "ownership/secret-rotate-admin-allowed",
    // The pvc-protection controller lets go of a Terminating PVC labelled for another tenant.
    "ownership/pvc-terminating-finalizer-allowed",
    "ownership/podtemplate-own-label-allowed",
    // Removing env[0] moves a grandfathered reference to a new index: it is not new.
    "ownership/deployment-update-env-shift-allowed",
  ])("%s", async (fixture) => {
    const r = await validate(loadReview(fixture));
    expect(r.status?.message).toBeUndefined();
    expect(r.allowed).toBe(true);
  });

  it("a tenant removing a finalizer from another tenant's object is still a cross-tenant write", async () => {
    const review = loadReview("ownership/pvc-terminating-finalizer-allowed");
    review.request.userInfo = {
      username: "bob@example.com",
      groups: ["team-beta-devs", "system:authenticated"],
    };
    const r = await validate(review);
    expect(r.allowed).toBe(false);
    expect(codes(r)).toEqual(["TG-REQUESTER-CROSS-TENANT"]);
  });
});

describe("the victim's mode", () => {
  it("team-alpha in Audit running a pod as team-beta's service account is still denied", async () => {
    const r = await validate(loadReview("pod/service-account-denied"), alphaAudit);
    expect(r.allowed).toBe(false);
    expect(codes(r)).toEqual(["TG-POD-SERVICE-ACCOUNT"]);
    const line = alphaAudit.logs.filter((l) => l.msg === "review").at(-1);
    expect(line?.findings).toMatchObject([
      { code: "TG-POD-SERVICE-ACCOUNT", mode: "Enforce", modeSource: "victim" },
    ]);
  });

  it("team-alpha in Audit relabelling team-beta's service account is still denied", async () => {
    const r = await validate(loadReview("ownership/serviceaccount-relabel-denied"), alphaAudit);
    expect(r.allowed).toBe(false);
    expect(codes(r)).toEqual(["TG-TENANT-LABEL-CHANGE"]);
  });

  it.each(["pod/node-pool-denied", "pod/node-name-alpha-beta-denied"])(
    "team-alpha in Audit reaching team-beta's node pool is still denied (%s)",
    async (fixture) => {
      const r = await validate(loadReview(fixture), alphaAudit);
      expect(r.allowed).toBe(false);
      expect(new Set(codes(r))).toEqual(new Set(["TG-POD-NODE-POOL"]));
      const line = alphaAudit.logs.filter((l) => l.msg === "review").at(-1);
      const findings = (line?.findings ?? []) as { mode: string; modeSource: string }[];
      expect(findings.length).toBeGreaterThan(0);
      for (const f of findings) expect(f).toMatchObject({ mode: "Enforce", modeSource: "victim" });
    },
  );

  it("team-alpha in Audit leaving its own pool for one no tenant owns stays in Audit", async () => {
    const r = await validate(loadReview("pod/node-pool-leave-denied"), alphaAudit);
    expect(r.allowed).toBe(true);
    expect(r.auditAnnotations?.["tg-pod-node-pool"]).toMatch(/^Audit: /);
  });

  it("team-alpha's own findings stay in Audit", async () => {
    // An image outside team-alpha's registries protects no other tenant.
    const r = await validate(loadReview("pod/registry-denied"), alphaAudit);
    expect(r.allowed).toBe(true);
    expect(r.auditAnnotations?.["tg-pod-registry"]).toMatch(/^Audit: /);
  });
});
