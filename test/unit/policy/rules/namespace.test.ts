import { describe, expect, it } from "vitest";
import type { Operation } from "../../../../src/admission/types.ts";
import type { JsonRecord } from "../../../../src/k8s/access.ts";
import {
  NS_CREATE_NON_OWNER_CODE,
  NS_CREATE_UNLABELLED_CODE,
  namespaceCreateNonOwnerRule as nonOwner,
  namespaceCreateUnlabelledRule as unlabelled,
} from "../../../../src/policy/rules/namespace-create.ts";
import {
  NS_TENANT_LABEL_CHANGE_CODE,
  namespaceLabelChangeRule as change,
} from "../../../../src/policy/rules/namespace-label-change.ts";
import { buildEngine } from "./engine-support.ts";
import {
  ADMIN,
  ALICE,
  BOB,
  KCM,
  LABEL,
  NOBODY,
  codes,
  request,
  run,
  sa,
  worldView,
  type Who,
} from "./world.ts";

const nsObject = (name: string, labels: unknown): JsonRecord => ({
  apiVersion: "v1",
  kind: "Namespace",
  metadata: { name, labels },
  spec: { finalizers: ["kubernetes"] },
});

/** API servers since 1.20 send the namespace's own name in request.namespace too. */
function create(name: string, tenant: string | undefined, who: Who, namespaceField = name) {
  const labels = {
    "kubernetes.io/metadata.name": name,
    ...(tenant === undefined ? {} : { [LABEL]: tenant }),
  };
  return request({
    resource: "namespaces",
    kind: "Namespace",
    name,
    namespace: namespaceField,
    who,
    object: nsObject(name, labels),
  });
}

function update(
  name: string,
  before: unknown,
  after: unknown,
  who: Who,
  subResource = "",
  operation: Operation = "UPDATE",
) {
  const labels = (t: unknown) => (t === undefined ? { a: "b" } : { a: "b", [LABEL]: t });
  return request({
    resource: "namespaces",
    kind: "Namespace",
    subResource,
    name,
    namespace: name,
    operation,
    who,
    object: nsObject(name, labels(after)),
    oldObject: nsObject(name, labels(before)),
  });
}

describe(NS_CREATE_NON_OWNER_CODE, () => {
  it.each([
    ["bob creates a namespace for alpha", create("alpha-x", "alpha", BOB), true],
    ["a beta SA creates one for alpha", create("alpha-x", "alpha", sa("beta", "notebook")), true],
    ["user of no tenant creates one for alpha", create("alpha-x", "alpha", NOBODY), true],
    ["anyone but an admin, for a tenant without a Tenant object", create("delta-1", "delta", ALICE), true],
    ["alice labels an exempt name for her tenant", create("kube-public", "alpha", ALICE), true],
    ["old API server: no request.namespace", create("alpha-x", "alpha", BOB, ""), true],
    ["alice (owner user) creates one for alpha", create("alpha-x", "alpha", ALICE), false],
    ["owner group member", create("alpha-x", "alpha", { username: "zed", groups: ["alpha-devs"] }), false],
    ["owner service account", create("alpha-x", "alpha", sa("alpha-ci", "deployer")), false],
    ["service account of an alpha namespace", create("alpha-x", "alpha", sa("alpha", "trainer")), false],
    ["cluster admin for any tenant", create("delta-1", "delta", ADMIN), false],
    ["unlabelled namespace (the other rule's case)", create("free", undefined, BOB), false],
  ] as const)("%s", (_name, req, denied) => {
    expect(codes(run(nonOwner, req))).toEqual(denied ? [NS_CREATE_NON_OWNER_CODE] : []);
  });

  it("names the namespace, the requester, both tenants and the label", () => {
    const [f] = run(nonOwner, create("alpha-x", "alpha", BOB));
    expect(f?.message).toBe(
      'namespace "alpha-x" is labelled for tenant "alpha", but "bob" acts for tenant "beta" and is not an ' +
        'owner of "alpha"; ask an owner of "alpha" or a cluster admin to create it, or label it for your own tenant',
    );
    expect(f?.path).toBe(`metadata.labels["${LABEL}"]`);
    expect(f?.tenant).toBe("alpha");
  });
});

describe(NS_CREATE_UNLABELLED_CODE, () => {
  it.each([
    ["alice creates an unlabelled namespace", create("free", undefined, ALICE), true],
    ["a tenant SA creates one", create("free", undefined, sa("gamma", "inference")), true],
    ["empty label counts as none", create("free", "", ALICE), true],
    ["user of no tenant (RBAC decides)", create("free", undefined, NOBODY), false],
    ["cluster admin", create("free", undefined, ADMIN), false],
    ["labelled namespace", create("alpha-x", "alpha", ALICE), false],
  ] as const)("%s", (_name, req, denied) => {
    expect(codes(run(unlabelled, req))).toEqual(denied ? [NS_CREATE_UNLABELLED_CODE] : []);
  });

  it("tells a single-tenant owner which label to add", () => {
    const [f] = run(unlabelled, create("free", undefined, ALICE));
    expect(f?.message).toContain(`set the label to "alpha"`);
    expect(f?.tenant).toBe("alpha");
  });

  it("lists the choices for an owner of several tenants", () => {
    const [f] = run(unlabelled, create("free", undefined, { username: "alice", groups: ["beta-devs"] }));
    expect(f?.message).toContain(`set the label to one of "alpha", "beta"`);
  });
});

describe(NS_TENANT_LABEL_CHANGE_CODE, () => {
  it.each([
    // CVE-2022-46167: the tenant's own identity detaches its namespace
    ["alice removes alpha's label", update("alpha", "alpha", undefined, ALICE), true],
    ["an alpha SA removes it", update("alpha", "alpha", undefined, sa("alpha", "trainer")), true],
    ["alice empties it", update("alpha", "alpha", "", ALICE), true],
    // CVE-2024-39690: claiming a namespace no tenant owns
    ["alice claims the unowned namespace", update("shared", undefined, "alpha", ALICE), true],
    // CVE-2025-55205: label injection into a system namespace
    ["alice labels kube-system", update("kube-system", undefined, "alpha", ALICE), true],
    ["bob moves alpha to beta", update("alpha", "alpha", "beta", BOB), true],
    ["via namespaces/status", update("alpha", "alpha", "beta", ALICE, "status"), true],
    ["via namespaces/finalize", update("alpha", "alpha", undefined, ALICE, "finalize"), true],
    ["alice changes another label only", update("alpha", "alpha", "alpha", ALICE), false],
    ["finalize without label change", update("alpha", "alpha", "alpha", KCM, "finalize"), false],
    ["cluster admin moves a namespace", update("alpha", "alpha", "beta", ADMIN), false],
    [
      "namespace controller",
      update("alpha", "alpha", undefined, sa("kube-system", "namespace-controller")),
      false,
    ],
    ["unowned stays unowned", update("shared", undefined, undefined, BOB), false],
  ] as const)("%s", (_name, req, denied) => {
    expect(codes(run(change, req))).toEqual(denied ? [NS_TENANT_LABEL_CHANGE_CODE] : []);
  });

  it("falls back to the directory when oldObject is missing", () => {
    const req = { ...update("alpha", "alpha", undefined, ALICE), oldObject: undefined };
    expect(codes(run(change, req))).toEqual([NS_TENANT_LABEL_CHANGE_CODE]);
  });

  it("says what moved, through which subresource, and who may do it", () => {
    const [f] = run(change, update("alpha", "alpha", "beta", ALICE, "status"));
    expect(f?.message).toBe(
      '"alice" moves namespace "alpha" from tenant "alpha" to tenant "beta" through the status subresource; ' +
        'only a cluster admin may change which tenant owns a namespace: keep the tenant label "alpha"',
    );
    expect(f?.path).toBe(`metadata.labels["${LABEL}"]`);
  });

  it("tells a claimer to leave an unowned namespace unlabelled", () => {
    const [f] = run(change, update("shared", undefined, "alpha", ALICE));
    expect(f?.message).toContain('adds tenant label "alpha" to namespace "shared", which no tenant owns');
    expect(f?.message).toContain("keep the tenant label unset");
    expect(f?.tenant).toBe("alpha");
  });

  it("is not skipped by the engine for exempt namespaces (CVE-2025-55205)", () => {
    const d = buildEngine().decide(update("kube-system", undefined, "alpha", ALICE, "status"), worldView());
    expect(d.allowed).toBe(false);
    expect(d.findings.map((f) => f.code)).toEqual([NS_TENANT_LABEL_CHANGE_CODE]);
  });

  it("still lets the engine skip objects inside exempt namespaces", () => {
    const pod = request({
      resource: "pods",
      kind: "Pod",
      namespace: "kube-system",
      who: BOB,
      object: { metadata: { labels: { [LABEL]: "beta" } } },
    });
    expect(buildEngine().decide(pod, worldView()).allowed).toBe(true);
  });
});
