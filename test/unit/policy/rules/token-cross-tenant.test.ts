import { describe, expect, it } from "vitest";
import {
  TOKEN_CROSS_TENANT_CODE,
  tokenCrossTenantRule as rule,
} from "../../../../src/policy/rules/token-cross-tenant.ts";
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
  type Who,
} from "./world.ts";

function token(namespace: string, name: string, who: Who) {
  return request({
    group: "",
    resource: "serviceaccounts",
    kind: "TokenRequest",
    subResource: "token",
    namespace,
    name,
    who,
    object: {
      kind: "TokenRequest",
      apiVersion: "authentication.k8s.io/v1",
      metadata: { name, namespace },
      spec: { audiences: ["api"] },
    },
  });
}

describe(TOKEN_CROSS_TENANT_CODE, () => {
  it.each([
    ["bob for an alpha SA", token("alpha", "trainer", BOB), true],
    ["a beta SA for an alpha SA", token("alpha", "trainer", sa("beta", "notebook")), true],
    ["alice for beta-sync (labelled beta, in alpha's namespace)", token("alpha", "beta-sync", ALICE), true],
    ["bob for beta-sync (his SA, but alpha's namespace)", token("alpha", "beta-sync", BOB), true],
    ["alpha for a beta SA (beta shares with gamma only)", token("beta", "notebook", ALICE), true],
    ["alice for an alpha SA", token("alpha", "trainer", ALICE), false],
    ["alpha-ci deployer for an alpha SA", token("alpha", "trainer", sa("alpha-ci", "deployer")), false],
    ["gamma for a beta SA (shared)", token("beta", "notebook", CAROL), false],
    ["kubelet for a pod's SA", token("alpha", "trainer", KUBELET), false],
    ["controller manager", token("beta", "notebook", KCM), false],
    ["cluster admin", token("alpha", "trainer", ADMIN), false],
    ["user of no tenant (RBAC decides)", token("alpha", "trainer", NOBODY), false],
    ["bob for an SA of an unowned namespace", token("shared", "tool", BOB), false],
  ] as const)("%s", (_name, req, denied) => {
    expect(codes(run(rule, req))).toEqual(denied ? [TOKEN_CROSS_TENANT_CODE] : []);
  });

  it("names requester, service account, both tenants and the fix", () => {
    const [f] = run(rule, token("alpha", "trainer", BOB));
    expect(f?.message).toBe(
      '"bob" acts for tenant "beta" and may not request a token for service account "trainer" in ' +
        'namespace "alpha", which belongs to tenant "alpha"; request tokens only for service accounts ' +
        'of your own tenant, or have tenant "alpha" list "beta" in spec.sharedWith of its Tenant',
    );
    expect(f?.path).toBe("metadata.name");
    expect(f?.tenant).toBe("alpha");
  });

  it("blames the service account's own tenant when it differs from the namespace's", () => {
    const [f] = run(rule, token("alpha", "beta-sync", ALICE));
    expect(f?.tenant).toBe("beta");
    expect(f?.message).toContain('which belongs to tenant "beta"');
  });

  it("runs only on CREATE", () => {
    expect(rule.operations).toEqual(["CREATE"]);
  });
});
