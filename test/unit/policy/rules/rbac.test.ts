import { describe, expect, it } from "vitest";
import type { JsonRecord } from "../../../../src/k8s/access.ts";
import {
  RBAC_CLUSTERROLEBINDING_CODE,
  rbacClusterRoleBindingRule as crbRule,
} from "../../../../src/policy/rules/rbac-clusterrolebinding.ts";
import {
  RBAC_ROLEBINDING_SUBJECT_CODE,
  rbacRoleBindingSubjectRule as rbRule,
} from "../../../../src/policy/rules/rbac-rolebinding-subject.ts";
import { ADMIN, ALICE, request, run, settings } from "./world.ts";

const RBAC = "rbac.authorization.k8s.io";
const sa = (name: string, namespace?: string): JsonRecord => ({
  kind: "ServiceAccount",
  name,
  ...(namespace ? { namespace } : {}),
});
const user = (name: string): JsonRecord => ({ kind: "User", apiGroup: RBAC, name });
const group = (name: string): JsonRecord => ({ kind: "Group", apiGroup: RBAC, name });

function rb(namespace: string, subjects: unknown) {
  const object = {
    apiVersion: `${RBAC}/v1`,
    kind: "RoleBinding",
    metadata: { name: "rb", namespace },
    roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: "edit" },
    subjects,
  };
  return request({
    group: RBAC,
    resource: "rolebindings",
    kind: "RoleBinding",
    namespace,
    name: "rb",
    who: ALICE,
    object,
  });
}
function crb(subjects: unknown, name = "crb", role = "view") {
  const object = {
    apiVersion: `${RBAC}/v1`,
    kind: "ClusterRoleBinding",
    metadata: { name },
    roleRef: { apiGroup: RBAC, kind: "ClusterRole", name: role },
    subjects,
  };
  return request({
    group: RBAC,
    resource: "clusterrolebindings",
    kind: "ClusterRoleBinding",
    name,
    who: ADMIN,
    object,
  });
}

describe(RBAC_ROLEBINDING_SUBJECT_CODE, () => {
  it.each([
    ["beta SA bound in alpha", rb("alpha", [sa("notebook", "beta")]), ["subjects[0]"]],
    [
      "SA labelled for beta in alpha's own namespace",
      rb("alpha", [sa("beta-sync", "alpha")]),
      ["subjects[0]"],
    ],
    [
      "SA subject without namespace defaults to the binding's",
      rb("alpha", [sa("beta-sync")]),
      ["subjects[0]"],
    ],
    ["beta owner user", rb("alpha", [user("bob")]), ["subjects[0]"]],
    ["beta SA as a User name", rb("alpha", [user("system:serviceaccount:beta:notebook")]), ["subjects[0]"]],
    ["beta owner group", rb("alpha", [group("beta-devs")]), ["subjects[0]"]],
    ["all SAs of a beta namespace", rb("alpha", [group("system:serviceaccounts:beta")]), ["subjects[0]"]],
    ["every authenticated user", rb("alpha", [group("system:authenticated")]), ["subjects[0]"]],
    ["every service account", rb("alpha", [group("system:serviceaccounts")]), ["subjects[0]"]],
    ["every unauthenticated caller", rb("alpha", [group("system:unauthenticated")]), ["subjects[0]"]],
    ["the anonymous user", rb("alpha", [user("system:anonymous")]), ["subjects[0]"]],
    [
      "only the foreign ones of a mix",
      rb("alpha", [sa("trainer", "alpha"), user("carol"), group("alpha-devs")]),
      ["subjects[1]"],
    ],
    [
      "alpha binding alpha subjects",
      rb("alpha", [
        sa("trainer", "alpha"),
        sa("deployer", "alpha-ci"),
        user("alice"),
        group("alpha-devs"),
        group("system:serviceaccounts:alpha-ci"),
      ]),
      [],
    ],
    [
      "gamma subjects in beta (beta shares with gamma)",
      rb("beta", [sa("inference", "gamma"), user("carol")]),
      [],
    ],
    ["beta subjects in gamma (gamma shares with nobody)", rb("gamma", [user("bob")]), ["subjects[0]"]],
    ["subjects of no tenant", rb("alpha", [user("dave"), sa("tool", "shared"), group("oncall")]), []],
    ["binding in an unowned namespace", rb("shared", [user("bob"), sa("notebook", "beta")]), []],
    [
      "malformed subjects",
      rb("alpha", [null, "bob", { kind: "User" }, { kind: "Robot", name: "bob" }, { kind: "User", name: 5 }]),
      [],
    ],
    ["subjects not a list", rb("alpha", { kind: "User", name: "bob" }), []],
  ] as const)("%s", (_name, req, paths) => {
    const found = run(rbRule, req);
    expect(found.map((f) => f.path)).toEqual(paths);
    expect(found.every((f) => f.code === RBAC_ROLEBINDING_SUBJECT_CODE)).toBe(true);
  });

  it("names the binding, the subject, both tenants and the fix", () => {
    const [f] = run(rbRule, rb("alpha", [sa("notebook", "beta")]));
    expect(f?.message).toBe(
      'rolebinding "rb" in namespace "alpha" (tenant "alpha") binds ServiceAccount "beta/notebook", which ' +
        'belongs to tenant "beta"; bind subjects of tenant "alpha" only, or have tenant "alpha" list "beta" in ' +
        "spec.sharedWith of its Tenant",
    );
  });
});

describe(RBAC_CLUSTERROLEBINDING_CODE, () => {
  it.each([
    ["alpha SA", crb([sa("trainer", "alpha")]), ["alpha"]],
    ["beta owner user and group", crb([user("bob"), group("beta-devs")]), ["beta", "beta"]],
    ["SA group of a gamma namespace", crb([group("system:serviceaccounts:gamma")]), ["gamma"]],
    [
      "system groups and plain users",
      crb([group("system:masters"), group("system:nodes"), user("dave")]),
      [],
    ],
    ["SA of kube-system", crb([sa("coredns", "kube-system")]), []],
    ["SA subject without namespace is skipped", crb([sa("trainer")]), []],
  ] as const)("%s", (_name, req, tenants) => {
    const found = run(crbRule, req);
    expect(found.map((f) => f.tenant)).toEqual(tenants);
    expect(found.every((f) => f.code === RBAC_CLUSTERROLEBINDING_CODE && f.mode === undefined)).toBe(true);
  });

  it.each([
    ["system:authenticated", group("system:authenticated")],
    ["system:unauthenticated", group("system:unauthenticated")],
    ["system:serviceaccounts", group("system:serviceaccounts")],
    ["system:anonymous", user("system:anonymous")],
  ])("a grant to everyone (%s) is denied like a tenant's subject", (_name, subject) => {
    const found = run(crbRule, crb([user("dave"), subject]));
    expect(found.map((f) => [f.code, f.path, f.tenant])).toEqual([
      [RBAC_CLUSTERROLEBINDING_CODE, "subjects[1]", undefined],
    ]);
    expect(found[0]?.message).toContain("which includes every tenant's identities");
  });

  it.each([
    ["system:discovery", "system:discovery", [group("system:authenticated")], []],
    [
      "system:public-info-viewer",
      "system:public-info-viewer",
      [group("system:authenticated"), group("system:unauthenticated")],
      [],
    ],
    [
      "system:service-account-issuer-discovery",
      "system:service-account-issuer-discovery",
      [group("system:serviceaccounts")],
      [],
    ],
    ["system:discovery", "cluster-admin", [group("system:authenticated")], ["subjects[0]"]],
    ["my-discovery", "system:discovery", [group("system:authenticated")], ["subjects[0]"]],
  ] as const)("bootstrap default: binding %s of role %s", (name, role, subjects, paths) => {
    expect(run(crbRule, crb(subjects, name, role)).map((f) => f.path)).toEqual(paths);
  });

  it("the bootstrap exception covers only everyone grants, not a tenant's subject added to it", () => {
    const found = run(
      crbRule,
      crb([group("system:authenticated"), user("bob")], "system:discovery", "system:discovery"),
    );
    expect(found.map((f) => [f.path, f.tenant])).toEqual([["subjects[1]", "beta"]]);
  });

  it("with rbac.clusterRoleBindings=warn, suggests Warn; with allow, says nothing", () => {
    const warn = run(crbRule, crb([user("bob")]), {
      settings: settings({ rbac: { clusterRoleBindings: "warn" } }),
    });
    expect(warn.map((f) => f.mode)).toEqual(["Warn"]);
    const allow = run(crbRule, crb([user("bob")]), {
      settings: settings({ rbac: { clusterRoleBindings: "allow" } }),
    });
    expect(allow).toEqual([]);
  });

  it("names the binding, the subject and its tenant", () => {
    const [f] = run(crbRule, crb([sa("trainer", "alpha")]));
    expect(f?.message).toBe(
      'clusterrolebinding "crb" grants its cluster role in every namespace to ServiceAccount "alpha/trainer" ' +
        'of tenant "alpha", reaching every other tenant\'s namespaces; use a RoleBinding in each of the ' +
        "tenant's namespaces instead",
    );
    expect(f?.path).toBe("subjects[0]");
  });
});
