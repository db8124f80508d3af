// deploy/components/background-audit: the flag on the Deployment, and RBAC that covers every
// collection the background audit lists and every report write it makes, nothing more.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { backgroundSources } from "../../src/audit/background-sources.ts";
import { parseServeArgs } from "../../src/cli/args.ts";
import { buildConfig } from "../../src/policy/config.ts";
import { DEPLOY, build, findObject, type K8sObject } from "./support/kustomize.ts";

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

const objects = build(join(DEPLOY, "overlays/background-audit"));

function grants(name: string): Set<string> {
  const role = findObject(objects, "ClusterRole", name) as K8sObject & { rules: Rule[] };
  const out = new Set<string>();
  for (const r of role.rules) {
    expect(r.resourceNames).toBeUndefined();
    for (const g of r.apiGroups)
      for (const res of r.resources) for (const v of r.verbs) out.add(`${g}/${res}:${v}`);
  }
  return out;
}

/** "/apis/apps/v1/deployments" -> "apps/deployments"; "/api/v1/pods" -> "/pods". */
function groupResource(path: string): string {
  const parts = path.split("/").filter(Boolean);
  return parts[0] === "api" ? `/${parts[2]}` : `${parts[1]}/${parts[3]}`;
}

describe("deploy/components/background-audit", () => {
  it("adds --background-audit with a valid interval to the tenant-guard container", () => {
    const deploy = findObject(objects, "Deployment", "tenant-guard") as K8sObject & {
      spec: { template: { spec: { containers: { name: string; args: string[] }[] } } };
    };
    const args = deploy.spec.template.spec.containers[0]!.args;
    expect(args.slice(-2)).toEqual(["--background-audit", "10m"]);
    const parsed = parseServeArgs(args.slice(1), {});
    expect(buildConfig(undefined, parsed.overrides).audit.background.interval).toBe("10m");
  });

  it("grants list on every collection the background audit reads, with deploy/base's role", () => {
    const all = new Set([...grants("tenant-guard"), ...grants("tenant-guard-background-audit")]);
    const missing = backgroundSources(true)
      .map((s) => `${groupResource(s.path)}:list`)
      .filter((g) => !all.has(g));
    expect(missing).toEqual([]);
  });

  it("writes only reports: list/create/patch/delete on policyreports and clusterpolicyreports, list elsewhere", () => {
    const extra = [...grants("tenant-guard-background-audit")];
    const writes = extra.filter((g) => !g.endsWith(":list")).sort();
    expect(writes).toEqual(
      ["create", "patch", "delete"]
        .flatMap((v) => [`wgpolicyk8s.io/policyreports:${v}`, `wgpolicyk8s.io/clusterpolicyreports:${v}`])
        .sort(),
    );
    // nothing listed that the audit does not read (besides its own reports)
    const read = new Set(backgroundSources(true).map((s) => `${groupResource(s.path)}:list`));
    const unused = extra.filter(
      (g) => g.endsWith(":list") && !read.has(g) && !g.startsWith("wgpolicyk8s.io/"),
    );
    expect(unused).toEqual([]);
  });

  it("binds the extra role to the tenant-guard service account", () => {
    const binding = findObject(
      objects,
      "ClusterRoleBinding",
      "tenant-guard-background-audit",
    ) as K8sObject & {
      roleRef: { name: string };
      subjects: unknown[];
    };
    expect(binding.roleRef.name).toBe("tenant-guard-background-audit");
    expect(binding.subjects).toEqual([
      { kind: "ServiceAccount", name: "tenant-guard", namespace: "tenant-guard-system" },
    ]);
  });

  it("lets the replicas elect one auditor: get/update of its one Lease, create, in tenant-guard's namespace only", () => {
    const cfg = buildConfig(undefined, {}).audit.background.leaderElection;
    const role = findObject(objects, "Role", "tenant-guard-background-audit-lease") as K8sObject & {
      metadata: { namespace: string };
      rules: Rule[];
    };
    expect(role.metadata.namespace).toBe("tenant-guard-system");
    const named = role.rules.find((r) => r.resourceNames !== undefined);
    expect(named).toEqual({
      apiGroups: ["coordination.k8s.io"],
      resources: ["leases"],
      resourceNames: [cfg.leaseName],
      verbs: ["get", "update"],
    });
    const rest = role.rules.filter((r) => r !== named);
    expect(rest).toEqual([{ apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["create"] }]);
    const binding = findObject(objects, "RoleBinding", "tenant-guard-background-audit-lease") as K8sObject & {
      roleRef: { kind: string; name: string };
      subjects: { kind: string; name: string; namespace: string }[];
    };
    expect(binding.roleRef).toMatchObject({ kind: "Role", name: role.metadata.name });
    expect(binding.subjects).toEqual([
      { kind: "ServiceAccount", name: "tenant-guard", namespace: "tenant-guard-system" },
    ]);
  });

  it("gives each replica its pod name and namespace (holder identity) from the downward API", () => {
    const deploy = findObject(objects, "Deployment", "tenant-guard") as K8sObject & {
      spec: {
        replicas: number;
        template: { spec: { containers: { env: { name: string; valueFrom?: unknown }[] }[] } };
      };
    };
    expect(deploy.spec.replicas).toBeGreaterThan(1); // why the election matters
    const env = deploy.spec.template.spec.containers[0]!.env;
    expect(env.find((e) => e.name === "POD_NAME")?.valueFrom).toEqual({
      fieldRef: { fieldPath: "metadata.name" },
    });
    expect(env.find((e) => e.name === "POD_NAMESPACE")?.valueFrom).toEqual({
      fieldRef: { fieldPath: "metadata.namespace" },
    });
  });
});
