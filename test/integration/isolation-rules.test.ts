// Cross-tenant attempts of every kind through the real HTTPS server (port 0, examples/cluster.yaml)
// with real-shaped AdmissionReviews from test/fixtures/admission/isolation/: each is denied with the
// rule's code and an actionable message, and the legitimate same-tenant version is allowed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codesIn, reviewFixture, type ReviewResponse } from "../support/review.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const MY_CODES = [
  "TG-REQUESTER-CROSS-TENANT",
  "TG-SECRET-SA-TOKEN",
  "TG-SA-CLOUD-IDENTITY",
  "TG-SA-SECRET-REFERENCE",
  "TG-RBAC-ROLEBINDING-SUBJECT",
  "TG-RBAC-CLUSTERROLEBINDING",
  "TG-TOKEN-CROSS-TENANT",
  "TG-NS-CREATE-NON-OWNER",
  "TG-NS-CREATE-UNLABELLED",
  "TG-NS-TENANT-LABEL-CHANGE",
];

let srv: TestServer;
let warnSrv: TestServer;
beforeAll(async () => {
  [srv, warnSrv] = await Promise.all([
    startTestServer(),
    startTestServer({ rbac: { clusterRoleBindings: "warn" } }),
  ]);
});
afterAll(async () => {
  await Promise.all([srv.close(), warnSrv.close()]);
});

const validate = (fixture: string, s = srv): Promise<ReviewResponse> => reviewFixture(s, fixture);

/** The rule codes a denial lists, in order: "[TG-X] ..." entries of status.message. */
function deniedCodes(r: ReviewResponse): string[] {
  return codesIn(r.status?.message ?? "");
}

/** My codes among the findings of an allowed answer (annotations carry every finding). */
function myFindings(r: ReviewResponse): string[] {
  return Object.values(r.auditAnnotations ?? {})
    .flatMap((v) => [...v.matchAll(/\[(TG-[A-Z-]+)\]/g)].map((m) => m[1] as string))
    .filter((c) => MY_CODES.includes(c));
}

describe("denied cross-tenant attempts", () => {
  it.each([
    ["isolation/requester-exec-cross-tenant", ["TG-REQUESTER-CROSS-TENANT"]],
    ["isolation/requester-portforward-cross-tenant", ["TG-REQUESTER-CROSS-TENANT"]],
    ["isolation/requester-ephemeral-cross-tenant", ["TG-REQUESTER-CROSS-TENANT"]],
    ["isolation/secret-sa-token-cross-tenant", ["TG-SECRET-SA-TOKEN"]],
    ["isolation/serviceaccount-cloud-identity-cross-tenant", ["TG-SA-CLOUD-IDENTITY"]],
    ["isolation/serviceaccount-cloud-identity-unconfigured", ["TG-SA-CLOUD-IDENTITY"]],
    ["isolation/serviceaccount-pull-secret-cross-tenant", ["TG-SA-SECRET-REFERENCE"]],
    ["isolation/rolebinding-cross-tenant", ["TG-RBAC-ROLEBINDING-SUBJECT", "TG-RBAC-ROLEBINDING-SUBJECT"]],
    ["isolation/clusterrolebinding-tenant-subject", ["TG-RBAC-CLUSTERROLEBINDING"]],
    ["isolation/token-cross-tenant", ["TG-TOKEN-CROSS-TENANT"]],
    ["isolation/namespace-create-non-owner", ["TG-NS-CREATE-NON-OWNER"]],
    ["isolation/namespace-create-unlabelled", ["TG-NS-CREATE-UNLABELLED"]],
    ["isolation/namespace-remove-label", ["TG-NS-TENANT-LABEL-CHANGE"]],
    ["isolation/namespace-claim-unowned", ["TG-NS-TENANT-LABEL-CHANGE"]],
    ["isolation/namespace-status-label-kube-system", ["TG-NS-TENANT-LABEL-CHANGE"]],
    ["isolation/namespace-finalize-label-change", ["TG-REQUESTER-CROSS-TENANT", "TG-NS-TENANT-LABEL-CHANGE"]],
  ])("%s", async (fixture, want) => {
    const r = await validate(fixture);
    expect(r.allowed).toBe(false);
    expect(r.status?.code).toBe(403);
    // Other rules (pods, say) may add their own findings; mine must all be listed, in this order.
    expect(deniedCodes(r).filter((c) => MY_CODES.includes(c))).toEqual(want);
  });
});

describe("the legitimate versions are allowed", () => {
  it.each([
    "isolation/requester-exec-same-tenant",
    "isolation/requester-exec-shared",
    "isolation/requester-delete-garbage-collector",
    "isolation/secret-sa-token-same-tenant",
    "isolation/serviceaccount-cloud-identity-update-own",
    "serviceaccount-create",
    "isolation/rolebinding-shared",
    "rolebinding-create",
    "isolation/clusterrolebinding-system-subject",
    "tokenrequest-create",
    "isolation/token-kubelet",
    "isolation/namespace-create-owner",
    "isolation/namespace-update-other-label",
    "isolation/namespace-finalize-controller",
  ])("%s", async (fixture) => {
    const r = await validate(fixture);
    expect(r.status?.message).toBeUndefined();
    expect(r.allowed).toBe(true);
    expect(myFindings(r)).toEqual([]);
  });
});

describe("messages a user can act on", () => {
  it("exec into another tenant's pod names both tenants and the fix", async () => {
    const r = await validate("isolation/requester-exec-cross-tenant");
    expect(r.status?.message).toBe(
      "tenant-guard denied pods/exec team-alpha/checkout-api-7d9f8c6b5d-x2k9p: [TG-REQUESTER-CROSS-TENANT] " +
        '"bob@example.com" acts for tenant "team-beta" and may not exec into pod ' +
        '"checkout-api-7d9f8c6b5d-x2k9p" in namespace "team-alpha", which belongs to tenant "team-alpha"; ' +
        'use an identity of "team-alpha", or have tenant "team-alpha" list "team-beta" in spec.sharedWith ' +
        "of its Tenant (userInfo.username)",
    );
  });

  it("a cloud identity of another tenant is named with that tenant", async () => {
    const r = await validate("isolation/serviceaccount-cloud-identity-cross-tenant");
    expect(r.status?.message).toContain('outside tenant "team-alpha"\'s spec.cloudIdentities');
    expect(r.status?.message).toContain('the value belongs to tenant "team-beta"');
    expect(r.status?.message).toContain('(metadata.annotations["eks.amazonaws.com/role-arn"])');
  });

  it("every foreign RoleBinding subject is listed, the tenant's own is not", async () => {
    const r = await validate("isolation/rolebinding-cross-tenant");
    const m = r.status?.message ?? "";
    expect(m).toContain('binds ServiceAccount "team-beta/notebook", which belongs to tenant "team-beta"');
    expect(m).toContain("(subjects[0])");
    expect(m).toContain('binds Group "team-beta-devs", which belongs to tenant "team-beta"');
    expect(m).toContain("(subjects[1])");
    expect(m).not.toContain("subjects[2]");
  });

  it("a label change through namespaces/status says so", async () => {
    const r = await validate("isolation/namespace-status-label-kube-system");
    expect(r.status?.message).toContain(
      '"alice@example.com" adds tenant label "team-alpha" to namespace "kube-system", which no tenant owns ' +
        "(claiming it) through the status subresource",
    );
  });

  it("a token for another tenant's service account has its own code", async () => {
    const r = await validate("isolation/token-cross-tenant");
    expect(r.status?.message).toContain(
      '[TG-TOKEN-CROSS-TENANT] "bob@example.com" acts for tenant "team-beta" and may not request a token for ' +
        'service account "trainer" in namespace "team-alpha", which belongs to tenant "team-alpha"',
    );
  });
});

describe("rbac.clusterRoleBindings: warn", () => {
  it("allows the ClusterRoleBinding and warns with the finding", async () => {
    const r = await validate("isolation/clusterrolebinding-tenant-subject", warnSrv);
    expect(r.allowed).toBe(true);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings?.[0]).toContain(
      '[TG-RBAC-CLUSTERROLEBINDING] clusterrolebinding "alpha-trainer-view-all"',
    );
    expect(r.warnings?.[0]).toContain('ServiceAccount "team-alpha/trainer" of tenant "team-alpha"');
  });

  it("still denies every other rule there", async () => {
    const r = await validate("isolation/token-cross-tenant", warnSrv);
    expect(r.allowed).toBe(false);
  });
});
