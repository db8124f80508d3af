import { describe, expect, it } from "vitest";
import type { Operation } from "../../../../src/admission/types.ts";
import type { JsonRecord } from "../../../../src/k8s/access.ts";
import {
  SA_CLOUD_IDENTITY_CODE,
  saCloudIdentityRule as cloud,
} from "../../../../src/policy/rules/serviceaccount-cloud-identity.ts";
import {
  SA_SECRET_REFERENCE_CODE,
  saSecretReferenceRule as refs,
} from "../../../../src/policy/rules/serviceaccount-secret-reference.ts";
import { ALICE, codes, request, run } from "./world.ts";

const EKS = "eks.amazonaws.com/role-arn";
const GKE = "iam.gke.io/gcp-service-account";
const AZURE = "azure.workload.identity/client-id";

function sa(namespace: string, body: JsonRecord, operation: Operation = "CREATE", old?: JsonRecord) {
  const object = {
    apiVersion: "v1",
    kind: "ServiceAccount",
    ...body,
    metadata: { name: "runner", namespace, ...(body.metadata as JsonRecord) },
  };
  return request({
    resource: "serviceaccounts",
    kind: "ServiceAccount",
    namespace,
    name: "runner",
    operation,
    who: ALICE,
    object,
    oldObject: old,
  });
}
const annotated = (
  namespace: string,
  annotations: unknown,
  operation: Operation = "CREATE",
  old?: JsonRecord,
) => sa(namespace, { metadata: { annotations } }, operation, old);

describe(SA_CLOUD_IDENTITY_CODE, () => {
  it.each([
    ["alpha SA with an alpha role", annotated("alpha", { [EKS]: "arn:aws:iam::111:role/alpha-trainer" }), 0],
    [
      "alpha SA with an alpha GCP SA",
      annotated("alpha", { [GKE]: "alpha-x@proj.iam.gserviceaccount.com" }),
      0,
    ],
    ["alpha SA with a beta role", annotated("alpha", { [EKS]: "arn:aws:iam::111:role/beta-notebook" }), 1],
    ["alpha SA with a role nobody owns", annotated("alpha", { [EKS]: "arn:aws:iam::999:role/admin" }), 1],
    [
      "glob does not match across the prefix",
      annotated("alpha", { [EKS]: "xarn:aws:iam::111:role/alpha-a" }),
      1,
    ],
    [
      "three annotations, two bad",
      annotated("alpha", {
        [EKS]: "arn:aws:iam::111:role/alpha-a",
        [GKE]: "evil@p.iam",
        [AZURE]: "0000-1111",
      }),
      2,
    ],
    [
      "gamma has no cloudIdentities: any value denied",
      annotated("gamma", { [AZURE]: "11111111-2222-3333-4444-555555555555" }),
      1,
    ],
    ["gamma without identity annotations", annotated("gamma", { "example.com/x": "y" }), 0],
    [
      "unowned namespace, value claimed by alpha",
      annotated("shared", { [EKS]: "arn:aws:iam::111:role/alpha-x" }),
      1,
    ],
    ["unowned namespace, value nobody claims", annotated("shared", { [EKS]: "arn:aws:iam::999:role/x" }), 0],
    ["empty value binds nothing", annotated("gamma", { [EKS]: "" }), 0],
    ["non-string value is ignored", annotated("gamma", { [EKS]: 42 }), 0],
    ["annotations not a map", annotated("gamma", ["x"]), 0],
    [
      "UPDATE keeping a pre-existing value is not re-judged",
      annotated("gamma", { [EKS]: "arn:x", a: "b" }, "UPDATE", {
        metadata: { annotations: { [EKS]: "arn:x" } },
      }),
      0,
    ],
    [
      "UPDATE changing the value is judged",
      annotated("alpha", { [EKS]: "arn:aws:iam::111:role/beta-x" }, "UPDATE", {
        metadata: { annotations: { [EKS]: "arn:aws:iam::111:role/alpha-x" } },
      }),
      1,
    ],
  ] as const)("%s", (_name, req, n) => {
    expect(codes(run(cloud, req))).toEqual(Array(n).fill(SA_CLOUD_IDENTITY_CODE));
  });

  it("names the value, both tenants and the annotation", () => {
    const [f] = run(cloud, annotated("alpha", { [EKS]: "arn:aws:iam::111:role/beta-notebook" }));
    expect(f?.message).toBe(
      'serviceaccount "runner" in namespace "alpha" binds cloud identity "arn:aws:iam::111:role/beta-notebook", ' +
        'which is outside tenant "alpha"\'s spec.cloudIdentities; the value belongs to tenant "beta"; use an ' +
        'identity listed for tenant "alpha" or ask a cluster admin to add it to the Tenant\'s spec.cloudIdentities',
    );
    expect(f?.path).toBe('metadata.annotations["eks.amazonaws.com/role-arn"]');
  });

  it("says when the tenant has no cloudIdentities at all", () => {
    const [f] = run(cloud, annotated("gamma", { [EKS]: "arn:aws:iam::111:role/beta-x" }));
    expect(f?.message).toContain(
      'tenant "gamma" has no spec.cloudIdentities, so it may bind no cloud identity',
    );
    expect(f?.message).toContain('the value belongs to tenant "beta"');
  });
});

describe(SA_SECRET_REFERENCE_CODE, () => {
  const refsTo = (namespace: string, secrets: unknown, pull: unknown) =>
    sa(namespace, { secrets, imagePullSecrets: pull });
  it.each([
    [
      "pull secret labelled for beta",
      refsTo("alpha", [], [{ name: "alpha-registry" }, { name: "beta-creds" }]),
      ["imagePullSecrets[1].name"],
    ],
    [
      "mountable secret labelled for gamma",
      refsTo("alpha", [{ name: "gamma-creds" }], []),
      ["secrets[0].name"],
    ],
    [
      "both",
      refsTo("alpha", [{ name: "beta-creds" }], [{ name: "gamma-creds" }]),
      ["secrets[0].name", "imagePullSecrets[0].name"],
    ],
    [
      "unowned namespace, secret labelled for alpha",
      refsTo("shared", [], [{ name: "alpha-in-shared" }]),
      ["imagePullSecrets[0].name"],
    ],
    ["own secrets", refsTo("alpha", [{ name: "alpha-registry" }], [{ name: "alpha-registry" }]), []],
    ["unknown secret (namespace's tenant)", refsTo("alpha", [{ name: "not-there" }], []), []],
    ["secret of another namespace is never looked up", refsTo("beta", [{ name: "beta-creds" }], []), []],
    [
      "malformed entries",
      refsTo("alpha", [null, "beta-creds", { name: 3 }, { name: "" }], { name: "beta-creds" }),
      [],
    ],
  ] as const)("%s", (_name, req, paths) => {
    const found = run(refs, req);
    expect(found.map((f) => f.path)).toEqual(paths);
    expect(found.every((f) => f.code === SA_SECRET_REFERENCE_CODE)).toBe(true);
  });

  it("names the service account, the secret and both tenants", () => {
    const [f] = run(refs, refsTo("alpha", [], [{ name: "beta-creds" }]));
    expect(f?.message).toBe(
      'serviceaccount "runner" in namespace "alpha" (tenant "alpha") references secret "beta-creds", which is ' +
        'labelled for tenant "beta"; reference a secret of tenant "alpha", or have tenant "beta" share with ' +
        'tenant "alpha" (spec.sharedWith)',
    );
  });
});
