// CI checks of deploy/: it parses, the kustomizations point at files that exist, and the base is
// least-privilege and hardened the way the README promises.
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import {
  DEPLOY,
  build,
  findObject,
  readKustomization,
  readYamlDocs,
  yamlFilesUnder,
  type K8sObject,
} from "./support/kustomize.ts";
import { existsSync } from "node:fs";
import { configSchema } from "../../src/config/schema.ts";

const files = yamlFilesUnder(DEPLOY);
const kustomizationDirs = files.filter((f) => f.endsWith("/kustomization.yaml")).map((f) => join(f, ".."));
const base = build(join(DEPLOY, "base"));

interface Container {
  args: string[];
  ports: { containerPort: number; name: string }[];
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  securityContext: Record<string, unknown>;
  volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[];
}
interface PodSpec {
  serviceAccountName: string;
  automountServiceAccountToken: boolean;
  terminationGracePeriodSeconds: number;
  securityContext: Record<string, unknown>;
  topologySpreadConstraints?: { topologyKey: string }[];
  affinity?: { podAntiAffinity?: unknown };
  containers: Container[];
  volumes: { name: string; secret?: { secretName: string } }[];
}
type Deployment = K8sObject & {
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
  };
};

const dep = findObject(base, "Deployment", "tenant-guard") as Deployment;
const pod = dep.spec.template.spec;
const container = pod.containers[0]!;
const podLabels = dep.spec.template.metadata.labels;
const selects = (sel: Record<string, string>): boolean =>
  Object.entries(sel).every(([k, v]) => podLabels[k] === v);

describe("deploy/ files", () => {
  it("every YAML file parses", () => {
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) expect(() => readYamlDocs(f), relative(DEPLOY, f)).not.toThrow();
  });

  it("every kustomization lists files and directories that exist, and every file is used", () => {
    const used = new Set<string>();
    for (const dir of kustomizationDirs) {
      const k = readKustomization(dir);
      used.add(join(dir, "kustomization.yaml"));
      const refs = [
        ...(k.resources ?? []),
        ...(k.components ?? []),
        ...(k.patches ?? []).flatMap((p) => p.path ?? []),
        ...(k.configMapGenerator ?? []).flatMap((g) => g.files ?? []),
      ];
      for (const r of refs) {
        const p = join(dir, r);
        expect(existsSync(p), `${relative(DEPLOY, dir)} -> ${r}`).toBe(true);
        used.add(p);
      }
    }
    const unused = files.filter((f) => !used.has(f) && !f.includes("/kind/")).map((f) => relative(DEPLOY, f));
    expect(unused).toEqual([]);
  });

  it("every overlay builds, with unique objects", () => {
    for (const dir of kustomizationDirs) {
      if (readKustomization(dir).kind === "Component") continue;
      const objs = build(dir);
      const ids = objs.map((o) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`);
      expect(new Set(ids).size, relative(DEPLOY, dir)).toBe(ids.length);
    }
  });
});

describe("deploy/base RBAC: exactly what the cluster directory lists and watches", () => {
  it("a ClusterRole with get/list/watch on namespaces, nodes, SAs, secrets, config maps, PVCs, PVs and tenants, and patch on tenants/status only", () => {
    interface Rule {
      apiGroups: string[];
      resources: string[];
      verbs: string[];
      resourceNames?: string[];
      nonResourceURLs?: string[];
    }
    const role = findObject(base, "ClusterRole", "tenant-guard") as K8sObject & { rules: Rule[] };
    const grants = new Set<string>();
    for (const r of role.rules) {
      expect(r.resourceNames ?? r.nonResourceURLs).toBeUndefined();
      for (const g of r.apiGroups)
        for (const res of r.resources) for (const v of r.verbs) grants.add(`${g}/${res}:${v}`);
    }
    const expected = [
      "/namespaces",
      "/nodes",
      "/serviceaccounts",
      "/secrets",
      "/configmaps",
      "/persistentvolumeclaims",
      "/persistentvolumes",
      "/pods",
      "tenant-guard.dev/tenants",
    ]
      .flatMap((r) => ["get", "list", "watch"].map((v) => `${r}:${v}`))
      .concat("tenant-guard.dev/tenants/status:patch") // directory.writeTenantStatus, quota ledger
      .concat("tenant-guard.dev/tenants/status:get") // quota ledger: read before the conditional patch
      .concat(["list", "watch"].map((v) => `networking.k8s.io/ingresses:${v}`)); // claimed hosts
    expect([...grants].sort()).toEqual(expected.sort());
  });

  it("is bound to the tenant-guard service account only, and no other role exists", () => {
    const binding = findObject(base, "ClusterRoleBinding", "tenant-guard") as K8sObject & {
      roleRef: { kind: string; name: string };
      subjects: unknown[];
    };
    expect(binding.roleRef).toMatchObject({ kind: "ClusterRole", name: "tenant-guard" });
    expect(binding.subjects).toEqual([
      { kind: "ServiceAccount", name: "tenant-guard", namespace: "tenant-guard-system" },
    ]);
    expect(pod.serviceAccountName).toBe("tenant-guard");
    const rbacKinds = base
      .filter((o) => /Role/.test(o.kind))
      .map((o) => o.kind)
      .sort();
    expect(rbacKinds).toEqual(["ClusterRole", "ClusterRoleBinding"]);
  });
});

describe("deploy/base Deployment", () => {
  it("runs 2+ replicas spread over nodes, with a PodDisruptionBudget", () => {
    expect(dep.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(pod.topologySpreadConstraints?.map((t) => t.topologyKey)).toContain("kubernetes.io/hostname");
    expect(pod.affinity?.podAntiAffinity).toBeDefined();
    const pdb = findObject(base, "PodDisruptionBudget", "tenant-guard") as K8sObject & {
      spec: { minAvailable?: number; selector: { matchLabels: Record<string, string> } };
    };
    expect(pdb.metadata.namespace).toBe("tenant-guard-system");
    expect(pdb.spec.minAvailable).toBeGreaterThanOrEqual(1);
    expect(pdb.spec.minAvailable).toBeLessThan(dep.spec.replicas);
    expect(selects(pdb.spec.selector.matchLabels)).toBe(true);
    expect(selects(dep.spec.selector.matchLabels)).toBe(true);
  });

  it("is hardened: non-root, read-only root, no privilege escalation, seccomp, no capabilities", () => {
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 65532,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      seccompProfile: { type: "RuntimeDefault" },
      capabilities: { drop: ["ALL"] },
    });
    expect(container.securityContext.capabilities).not.toHaveProperty("add");
    expect(container.resources.requests).toMatchObject({
      cpu: expect.any(String),
      memory: expect.any(String),
    });
    expect(container.resources.limits).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
  });

  it("serves the cluster directory over HTTPS 8443 with the tenant-guard-tls certificate", () => {
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(pod.terminationGracePeriodSeconds).toBe(30);
    expect(container.args).toEqual([
      "serve",
      "--directory",
      "cluster",
      "--tls-cert",
      "/etc/tenant-guard/tls/tls.crt",
      "--tls-key",
      "/etc/tenant-guard/tls/tls.key",
    ]);
    expect(container.ports).toEqual([{ name: "https", containerPort: 8443, protocol: "TCP" }]);
    expect(container.volumeMounts).toContainEqual({
      name: "tls",
      mountPath: "/etc/tenant-guard/tls",
      readOnly: true,
    });
    expect(pod.volumes).toContainEqual(
      expect.objectContaining({
        name: "tls",
        secret: expect.objectContaining({ secretName: "tenant-guard-tls" }),
      }),
    );
    for (const probe of ["readinessProbe", "livenessProbe"] as const) {
      const p = (container as unknown as Record<string, { httpGet: { port: string; scheme: string } }>)[
        probe
      ]!;
      expect(p.httpGet, probe).toMatchObject({ port: "https", scheme: "HTTPS" });
    }
  });

  it("gives the app's graceful shutdown (delay + drain deadline in main.ts) time to finish", () => {
    const server = configSchema.parse({}).server as { shutdownDelayMs: number; drainTimeoutMs?: number };
    expect(server.shutdownDelayMs).toBe(3000);
    // main.ts's hard exit after SIGTERM: delay + drain timeout + 5 s (delay + 20 s before drainTimeoutMs
    // existed). The kubelet must not SIGKILL before that.
    const deadline =
      server.shutdownDelayMs + (server.drainTimeoutMs !== undefined ? server.drainTimeoutMs + 5000 : 20_000);
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(deadline);
  });

  it("is reached through a Service 443 -> 8443 and a NetworkPolicy that opens 8443, the API server and DNS", () => {
    const svc = findObject(base, "Service", "tenant-guard") as K8sObject & {
      spec: { selector: Record<string, string>; ports: { port: number; targetPort: string }[] };
    };
    expect(selects(svc.spec.selector)).toBe(true);
    expect(svc.spec.ports).toEqual([expect.objectContaining({ port: 443, targetPort: "https" })]);
    interface Port {
      port: number;
      protocol: string;
    }
    const np = findObject(base, "NetworkPolicy", "tenant-guard") as K8sObject & {
      spec: {
        podSelector: { matchLabels: Record<string, string> };
        policyTypes: string[];
        ingress: { from?: unknown[]; ports: Port[] }[];
        egress: { to?: unknown[]; ports: Port[] }[];
      };
    };
    expect(selects(np.spec.podSelector.matchLabels)).toBe(true);
    expect(np.spec.policyTypes.sort()).toEqual(["Egress", "Ingress"]);
    expect(np.spec.ingress.flatMap((r) => r.ports)).toEqual([{ protocol: "TCP", port: 8443 }]);
    const egress = np.spec.egress.flatMap((r) => r.ports.map((p) => `${p.protocol}/${p.port}`)).sort();
    expect(egress).toEqual(["TCP/443", "TCP/53", "TCP/6443", "UDP/53"]);
  });

  it("lives in tenant-guard-system, like every namespaced object of the base", () => {
    const ns = findObject(base, "Namespace", "tenant-guard-system");
    expect(ns).toBeDefined();
    const clusterScoped = new Set([
      "Namespace",
      "PriorityClass",
      "ClusterRole",
      "ClusterRoleBinding",
      "CustomResourceDefinition",
      "ValidatingWebhookConfiguration",
      "MutatingWebhookConfiguration",
    ]);
    for (const o of base) {
      if (clusterScoped.has(o.kind)) expect(o.metadata.namespace, o.kind).toBeUndefined();
      else expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBe("tenant-guard-system");
    }
  });
});
