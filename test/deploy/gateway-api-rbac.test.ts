// deploy/components/gateway-api's ClusterRole: list and watch on every Gateway API kind the cluster
// directory's host-claim informers read with --gateway-api (the optional v1.6 ones included, which
// it watches once served), nothing more, bound to tenant-guard's service account.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GATEWAY_API_SOURCES, OPTIONAL_GATEWAY_API_SOURCES } from "../../src/tenancy/cluster/host-claims.ts";
import { DEPLOY, build, findObject, type K8sObject } from "./support/kustomize.ts";

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

const objects = build(join(DEPLOY, "overlays/gateway-api"));

describe("deploy/components/gateway-api RBAC", () => {
  it("grants list and watch on exactly the kinds the directory watches for host claims", () => {
    const role = findObject(objects, "ClusterRole", "tenant-guard-gateway-api") as K8sObject & {
      rules: Rule[];
    };
    const grants = new Set<string>();
    for (const r of role.rules) {
      expect(r.resourceNames).toBeUndefined();
      for (const g of r.apiGroups)
        for (const res of r.resources) for (const v of r.verbs) grants.add(`${g}/${res}:${v}`);
    }
    const watched = [...GATEWAY_API_SOURCES, ...OPTIONAL_GATEWAY_API_SOURCES].flatMap(([, path]) => {
      const [, , group, , resource] = path.split("/");
      return [`${group}/${resource}:list`, `${group}/${resource}:watch`];
    });
    expect([...grants].sort()).toEqual(watched.sort());
    const binding = findObject(objects, "ClusterRoleBinding", "tenant-guard-gateway-api") as K8sObject & {
      roleRef: { name: string };
      subjects: { name: string }[];
    };
    expect(binding.roleRef.name).toBe("tenant-guard-gateway-api");
    expect(binding.subjects.map((s) => s.name)).toEqual(["tenant-guard"]);
  });
});
