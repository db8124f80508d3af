// A generated platform for the scaling benchmark: T tenants, each with a Tenant object (the
// settings of examples/cluster.yaml's team-alpha, its own node pool and owners), one namespace,
// and W workloads (a service account and a secret each), plus the objects the fixture pod refers
// to. The pod under test runs in the middle tenant's namespace as its last workload's account.
import type { JsonRecord } from "../src/k8s/access.ts";

export const LABEL = "tenant-guard.dev/tenant";

function tenantObject(name: string): JsonRecord {
  return {
    apiVersion: "tenant-guard.dev/v1alpha1",
    kind: "Tenant",
    metadata: { name },
    spec: {
      owners: [
        { kind: "Group", name: `${name}-devs` },
        { kind: "User", name: `lead@${name}.example.com` },
      ],
      enforcement: { mode: "Enforce" },
      podDefaults: {
        labels: { "cost-center": `cc-${name}` },
        resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "2", memory: "4Gi" } },
        maxPerPod: { cpu: "16", memory: "128Gi", "nvidia.com/gpu": "2" },
      },
      nodePool: {
        nodeSelector: { "tenant-guard.dev/pool": `${name}-pool` },
        tolerations: [
          { key: "tenant-guard.dev/pool", operator: "Equal", value: `${name}-pool`, effect: "NoSchedule" },
        ],
      },
      allowedRegistries: ["registry.example.com/storefront/", "registry.example.com/mirror/"],
      cloudIdentities: [`arn:aws:iam::123456789012:role/${name}-*`],
    },
  };
}

const meta = (kind: string, namespace: string, name: string): JsonRecord => ({
  apiVersion: "v1",
  kind,
  metadata: { name, namespace },
});

export function tenantName(i: number): string {
  return `tenant-${String(i).padStart(5, "0")}`;
}

/** Every object of the platform, in the order a directory would receive them. */
export function platformObjects(tenants: number, workloads: number): JsonRecord[] {
  const out: JsonRecord[] = [];
  for (let i = 0; i < tenants; i++) {
    const t = tenantName(i);
    out.push(tenantObject(t));
    out.push({ apiVersion: "v1", kind: "Namespace", metadata: { name: t, labels: { [LABEL]: t } } });
    out.push(meta("ServiceAccount", t, "default"), meta("ServiceAccount", t, "checkout-api"));
    out.push(meta("Secret", t, "checkout-db-credentials"));
    out.push(meta("ConfigMap", t, "checkout-api-config"), meta("ConfigMap", t, "kube-root-ca.crt"));
    for (let w = 0; w < workloads; w++) {
      out.push(meta("ServiceAccount", t, `workload-${w}`), meta("Secret", t, `workload-${w}-token`));
    }
  }
  return out;
}

/** The fixture pod moved into the middle tenant, running as its last workload's service account. */
export function podReview(fixture: JsonRecord, tenants: number, workloads: number): JsonRecord {
  const review = structuredClone(fixture);
  const ns = tenantName(Math.floor(tenants / 2));
  const req = review.request as JsonRecord;
  const obj = req.object as JsonRecord;
  req.namespace = ns;
  (obj.metadata as JsonRecord).namespace = ns;
  (obj.spec as JsonRecord).serviceAccountName = `workload-${workloads - 1}`;
  return review;
}
