// A rule's suggested mode (Finding.mode) through the real engine: rbac.clusterRoleBindings=warn makes
// TG-RBAC-CLUSTERROLEBINDING findings Warn unless forced or a per-rule setting names the rule.
import { describe, expect, it } from "vitest";
import { RBAC_CLUSTERROLEBINDING_CODE } from "../../../../src/policy/rules/rbac-clusterrolebinding.ts";
import { buildEngine } from "./engine-support.ts";
import { ADMIN, request, worldView } from "./world.ts";

const RBAC = "rbac.authorization.k8s.io";
const crbForBob = request({
  group: RBAC,
  resource: "clusterrolebindings",
  kind: "ClusterRoleBinding",
  name: "crb",
  who: ADMIN,
  object: {
    apiVersion: `${RBAC}/v1`,
    kind: "ClusterRoleBinding",
    metadata: { name: "crb" },
    roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: "view" },
    subjects: [{ kind: "User", apiGroup: RBAC, name: "bob" }],
  },
});

describe("Finding.mode through the engine", () => {
  // The finding's suggested mode goes through the real engine: Warn unless config or a Tenant names the rule.
  it.each([
    ["warn setting -> Warn", { rbac: { clusterRoleBindings: "warn" } }, [], "Warn"],
    ["deny setting -> Enforce", { rbac: { clusterRoleBindings: "deny" } }, [], "Enforce"],
    [
      "warn + global Audit mode -> the rule's Warn",
      { rbac: { clusterRoleBindings: "warn" }, enforcement: { mode: "Audit" } },
      [],
      "Warn",
    ],
    [
      "warn + enforcement.rules names it -> config wins",
      {
        rbac: { clusterRoleBindings: "warn" },
        enforcement: { rules: { [RBAC_CLUSTERROLEBINDING_CODE]: "Enforce" } },
      },
      [],
      "Enforce",
    ],
    [
      "warn + forced -> Enforce",
      { rbac: { clusterRoleBindings: "warn" }, enforcement: { forced: [RBAC_CLUSTERROLEBINDING_CODE] } },
      [],
      "Enforce",
    ],
    [
      "warn + Tenant per-rule Audit -> Audit",
      { rbac: { clusterRoleBindings: "warn" } },
      [{ [RBAC_CLUSTERROLEBINDING_CODE]: "Audit" }],
      "Audit",
    ],
  ] as const)("engine resolves %s", (_name, cfg, tenantRules, want) => {
    const extra = tenantRules.map((rules) => ({
      apiVersion: "tenant-guard.dev/v1alpha1",
      kind: "Tenant",
      metadata: { name: "beta" },
      spec: { owners: [{ kind: "User", name: "bob" }], enforcement: { mode: "Enforce", rules } },
    }));
    const engine = buildEngine(cfg);
    const d = engine.decide(crbForBob, worldView(extra));
    expect(d.findings.map((f) => f.mode)).toEqual([want]);
    expect(d.allowed).toBe(want !== "Enforce");
  });
});
