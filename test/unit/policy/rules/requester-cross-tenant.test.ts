import { describe, expect, it } from "vitest";
import {
  REQUESTER_CROSS_TENANT_CODE,
  requesterCrossTenantRule as rule,
} from "../../../../src/policy/rules/requester-cross-tenant.ts";
import {
  ADMIN,
  ALICE,
  BOB,
  CAROL,
  KCM,
  KUBELET,
  NOBODY,
  codes,
  request,
  run,
  sa,
  type Req,
} from "./world.ts";

const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "web-1" } };
const exec = { kind: "PodExecOptions", apiVersion: "v1", stdin: true, tty: true, command: ["sh"] };

const cases: [string, Req, boolean][] = [
  // denied: a tenant identity acting in another tenant's namespace
  [
    "bob creates a pod in alpha",
    { resource: "pods", kind: "Pod", namespace: "alpha", who: BOB, object: pod },
    true,
  ],
  [
    "bob deletes a secret in alpha",
    { resource: "secrets", kind: "Secret", namespace: "alpha", name: "x", operation: "DELETE", who: BOB },
    true,
  ],
  [
    "beta SA execs into an alpha pod",
    {
      resource: "pods",
      kind: "PodExecOptions",
      subResource: "exec",
      namespace: "alpha",
      name: "web-1",
      operation: "CONNECT",
      who: sa("beta", "notebook"),
      object: exec,
    },
    true,
  ],
  [
    "bob attaches in alpha",
    {
      resource: "pods",
      kind: "PodAttachOptions",
      subResource: "attach",
      namespace: "alpha",
      name: "web-1",
      operation: "CONNECT",
      who: BOB,
    },
    true,
  ],
  [
    "bob port-forwards in alpha",
    {
      resource: "pods",
      kind: "PodPortForwardOptions",
      subResource: "portforward",
      namespace: "alpha",
      name: "web-1",
      operation: "CONNECT",
      who: BOB,
    },
    true,
  ],
  [
    "bob adds an ephemeral container in alpha",
    {
      resource: "pods",
      kind: "Pod",
      subResource: "ephemeralcontainers",
      namespace: "alpha",
      name: "web-1",
      operation: "UPDATE",
      who: BOB,
      object: pod,
      oldObject: pod,
    },
    true,
  ],
  [
    "bob updates namespace alpha (cluster-scoped, name only)",
    { resource: "namespaces", kind: "Namespace", name: "alpha", operation: "UPDATE", who: BOB },
    true,
  ],
  [
    "bob patches namespaces/status of alpha",
    {
      resource: "namespaces",
      kind: "Namespace",
      subResource: "status",
      namespace: "alpha",
      name: "alpha",
      operation: "UPDATE",
      who: BOB,
    },
    true,
  ],
  [
    "bob finalizes namespace alpha",
    {
      resource: "namespaces",
      kind: "Namespace",
      subResource: "finalize",
      name: "alpha",
      operation: "UPDATE",
      who: BOB,
    },
    true,
  ],
  [
    "beta group member writes in alpha",
    {
      group: "apps",
      resource: "deployments",
      kind: "Deployment",
      namespace: "alpha-ci",
      name: "d",
      who: { username: "eve", groups: ["beta-devs"] },
    },
    true,
  ],
  [
    "alpha writes in beta (beta shares with gamma, not alpha)",
    { resource: "configmaps", kind: "ConfigMap", namespace: "beta", name: "c", who: ALICE },
    true,
  ],
  // allowed
  [
    "alice in her own namespace",
    { resource: "pods", kind: "Pod", namespace: "alpha", who: ALICE, object: pod },
    false,
  ],
  [
    "alpha-ci deployer in another alpha namespace",
    {
      resource: "pods",
      kind: "PodExecOptions",
      subResource: "exec",
      namespace: "alpha",
      name: "web-1",
      operation: "CONNECT",
      who: sa("alpha-ci", "deployer"),
    },
    false,
  ],
  [
    "gamma in beta (beta shares with gamma)",
    { resource: "pods", kind: "Pod", namespace: "beta", who: CAROL, object: pod },
    false,
  ],
  [
    "owner of alpha and beta in beta",
    {
      resource: "pods",
      kind: "Pod",
      namespace: "beta",
      who: { username: "alice", groups: ["beta-devs"] },
      object: pod,
    },
    false,
  ],
  [
    "bob in an unowned namespace",
    { resource: "pods", kind: "Pod", namespace: "shared", who: BOB, object: pod },
    false,
  ],
  [
    "user of no tenant in alpha (RBAC decides)",
    { resource: "pods", kind: "Pod", namespace: "alpha", who: NOBODY, object: pod },
    false,
  ],
  [
    "kubelet updates pod status in alpha",
    {
      resource: "pods",
      kind: "Pod",
      subResource: "status",
      namespace: "alpha",
      name: "web-1",
      operation: "UPDATE",
      who: KUBELET,
      object: pod,
    },
    false,
  ],
  [
    "controller manager deletes in alpha",
    { resource: "pods", kind: "Pod", namespace: "alpha", name: "web-1", operation: "DELETE", who: KCM },
    false,
  ],
  [
    "cluster admin in alpha",
    { resource: "secrets", kind: "Secret", namespace: "alpha", name: "s", who: ADMIN },
    false,
  ],
  [
    "bob creates a cluster-scoped object",
    {
      group: "rbac.authorization.k8s.io",
      resource: "clusterroles",
      kind: "ClusterRole",
      name: "r",
      who: BOB,
    },
    false,
  ],
  [
    "token requests are TG-TOKEN-CROSS-TENANT's",
    {
      resource: "serviceaccounts",
      kind: "TokenRequest",
      subResource: "token",
      namespace: "alpha",
      name: "trainer",
      who: BOB,
    },
    false,
  ],
];

describe(REQUESTER_CROSS_TENANT_CODE, () => {
  it.each(cases)("%s", (_name, r, denied) => {
    expect(codes(run(rule, request(r)))).toEqual(denied ? [REQUESTER_CROSS_TENANT_CODE] : []);
  });

  it("names the identity, both tenants, the action and the fix", () => {
    const [f] = run(
      rule,
      request({
        resource: "pods",
        kind: "PodExecOptions",
        subResource: "exec",
        namespace: "alpha",
        name: "web-1",
        operation: "CONNECT",
        who: BOB,
      }),
    );
    expect(f?.message).toBe(
      '"bob" acts for tenant "beta" and may not exec into pods/exec "web-1" in namespace "alpha", ' +
        'which belongs to tenant "alpha"; use an identity of "alpha", or have tenant "alpha" list "beta" ' +
        "in spec.sharedWith of its Tenant",
    );
    expect(f?.path).toBe("userInfo.username");
    expect(f?.tenant).toBe("alpha");
  });

  it("targets the namespace named by a cluster-scoped namespaces/finalize request", () => {
    const [f] = run(
      rule,
      request({
        resource: "namespaces",
        kind: "Namespace",
        subResource: "finalize",
        name: "alpha",
        operation: "UPDATE",
        who: BOB,
      }),
    );
    expect(f?.message).toContain(
      'namespaces/finalize "alpha" in namespace "alpha", which belongs to tenant "alpha"',
    );
  });
});
