import { describe, expect, it } from "vitest";
import type { Operation } from "../../../../src/admission/types.ts";
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
  type Who,
} from "./world.ts";

const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "web-1" } };
const exec = { kind: "PodExecOptions", apiVersion: "v1", stdin: true, tty: true, command: ["sh"] };

/** A request by `who` doing `op` on `resource[/sub]` "web-1" in `ns` (a pod unless said otherwise). */
function on(who: Who, op: Operation, resource: string, ns: string, sub = "", extra: Partial<Req> = {}): Req {
  const kind = resource === "namespaces" ? "Namespace" : op === "CONNECT" ? "PodExecOptions" : "Pod";
  const object = op === "CONNECT" ? exec : op === "DELETE" ? undefined : pod;
  return {
    resource,
    kind,
    subResource: sub,
    namespace: ns,
    name: "web-1",
    operation: op,
    who,
    object,
    ...extra,
  };
}

const cases: [string, Req, boolean][] = [
  // denied: a tenant identity acting in another tenant's namespace
  ["bob creates a pod in alpha", on(BOB, "CREATE", "pods", "alpha"), true],
  ["bob deletes a secret in alpha", on(BOB, "DELETE", "secrets", "alpha", "", { kind: "Secret" }), true],
  ["beta SA execs into an alpha pod", on(sa("beta", "notebook"), "CONNECT", "pods", "alpha", "exec"), true],
  ["bob attaches in alpha", on(BOB, "CONNECT", "pods", "alpha", "attach"), true],
  ["bob port-forwards in alpha", on(BOB, "CONNECT", "pods", "alpha", "portforward"), true],
  [
    "bob adds an ephemeral container in alpha",
    on(BOB, "UPDATE", "pods", "alpha", "ephemeralcontainers"),
    true,
  ],
  [
    "bob updates namespace alpha (name only, old API server)",
    on(BOB, "UPDATE", "namespaces", "", "", { name: "alpha" }),
    true,
  ],
  [
    "bob patches namespaces/status of alpha",
    on(BOB, "UPDATE", "namespaces", "alpha", "status", { name: "alpha" }),
    true,
  ],
  ["bob finalizes namespace alpha", on(BOB, "UPDATE", "namespaces", "", "finalize", { name: "alpha" }), true],
  ["bob deletes namespace alpha", on(BOB, "DELETE", "namespaces", "alpha", "", { name: "alpha" }), true],
  [
    "beta group member writes in alpha-ci",
    on({ username: "eve", groups: ["beta-devs"] }, "CREATE", "deployments", "alpha-ci", "", {
      group: "apps",
      kind: "Deployment",
    }),
    true,
  ],
  [
    "alpha writes in beta (beta shares with gamma, not alpha)",
    on(ALICE, "CREATE", "configmaps", "beta", "", { kind: "ConfigMap" }),
    true,
  ],
  // allowed
  ["alice in her own namespace", on(ALICE, "CREATE", "pods", "alpha"), false],
  [
    "alice deletes her own namespace",
    on(ALICE, "DELETE", "namespaces", "alpha", "", { name: "alpha" }),
    false,
  ],
  [
    "alpha-ci deployer in another alpha namespace",
    on(sa("alpha-ci", "deployer"), "CONNECT", "pods", "alpha", "exec"),
    false,
  ],
  ["gamma in beta (beta shares with gamma)", on(CAROL, "CREATE", "pods", "beta"), false],
  [
    "owner of alpha and beta in beta",
    on({ username: "alice", groups: ["beta-devs"] }, "CREATE", "pods", "beta"),
    false,
  ],
  ["bob in an unowned namespace", on(BOB, "CREATE", "pods", "shared"), false],
  ["user of no tenant in alpha (RBAC decides)", on(NOBODY, "CREATE", "pods", "alpha"), false],
  ["kubelet updates pod status in alpha", on(KUBELET, "UPDATE", "pods", "alpha", "status"), false],
  ["controller manager deletes in alpha", on(KCM, "DELETE", "pods", "alpha"), false],
  ["cluster admin in alpha", on(ADMIN, "CREATE", "secrets", "alpha", "", { kind: "Secret" }), false],
  [
    "bob creates a cluster-scoped object",
    on(BOB, "CREATE", "clusterroles", "", "", { group: "rbac.authorization.k8s.io", kind: "ClusterRole" }),
    false,
  ],
  [
    "token requests are TG-TOKEN-CROSS-TENANT's",
    on(BOB, "CREATE", "serviceaccounts", "alpha", "token", { kind: "TokenRequest" }),
    false,
  ],
];

describe(REQUESTER_CROSS_TENANT_CODE, () => {
  it.each(cases)("%s", (_name, r, denied) => {
    expect(codes(run(rule, request(r)))).toEqual(denied ? [REQUESTER_CROSS_TENANT_CODE] : []);
  });

  it("names the identity, both tenants, the action and the fix", () => {
    const [f] = run(rule, request(on(BOB, "CONNECT", "pods", "alpha", "exec")));
    expect(f?.message).toBe(
      '"bob" acts for tenant "beta" and may not exec into pod "web-1" in namespace "alpha", ' +
        'which belongs to tenant "alpha"; use an identity of "alpha", or have tenant "alpha" list "beta" ' +
        "in spec.sharedWith of its Tenant",
    );
    expect(f?.path).toBe("userInfo.username");
    expect(f?.tenant).toBe("alpha");
  });

  it("targets the namespace named by a cluster-scoped namespaces/finalize request", () => {
    const [f] = run(rule, request(on(BOB, "UPDATE", "namespaces", "", "finalize", { name: "alpha" })));
    expect(f?.message).toContain(
      'may not update namespaces/finalize of namespace "alpha", which belongs to tenant "alpha";',
    );
  });
});
