// `kubectl get tenants` shows a team budget: the quota reconciliation of a real ClusterDirectory
// (real client-node informers) writes status.quota.used / display / summary / overBudget to the
// Tenant's status subresource on the fake API server, from what the pods informer counts, and keeps
// it current: a budget lowered below usage shows overBudget (the pods keep running), a key dropped
// from hard leaves used, a finished pod stops counting.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JsonRecord } from "../../src/k8s/access.ts";
import { loadKubeConfig } from "../../src/tenancy/cluster/kubeconfig.ts";
import { ClusterDirectory } from "../../src/tenancy/cluster/cluster-directory.ts";
import { createLogger } from "../../src/log.ts";
import { startFakeCluster, waitFor, type FakeCluster } from "../support/fake-apiserver/harness.ts";

const TENANT = "tenant-guard.dev/tenant";

let world: FakeCluster;

function gpuPod(name: string, ns: string, gpus: number, phase = "Running"): JsonRecord {
  const r = { "nvidia.com/gpu": String(gpus), cpu: "4", memory: "32Gi" };
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: ns, uid: `uid-${name}` },
    spec: { containers: [{ name: "m", image: "x", resources: { requests: r, limits: r } }] },
    status: { phase },
  };
}

function tenant(hard: Record<string, string>): JsonRecord {
  const current = world.fake.store.get("Tenant", undefined, "team-ml");
  return {
    apiVersion: "tenant-guard.dev/v1alpha1",
    kind: "Tenant",
    metadata: { name: "team-ml" },
    spec: { quota: { hard } },
    // A spec update leaves the status subresource as it is.
    ...(current?.status !== undefined ? { status: current.status } : {}),
  };
}

interface QuotaStatus {
  used?: Record<string, string>;
  display?: Record<string, string>;
  summary?: string;
  overBudget?: boolean;
  pending?: unknown[];
}

function quota(): QuotaStatus {
  const t = world.fake.store.get("Tenant", undefined, "team-ml") as { status?: { quota?: QuotaStatus } };
  return t.status?.quota ?? {};
}

beforeEach(async () => {
  world = await startFakeCluster();
  world.fake.recordRequests = false;
  world.fake.store.apply(
    tenant({ "requests.nvidia.com/gpu": "8", "requests.cpu": "64", "limits.memory": "512Gi", pods: "20" }),
  );
  for (const ns of ["ml-train", "ml-serve"])
    world.fake.store.apply({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: ns, labels: { [TENANT]: "team-ml" } },
    });
  world.fake.store.apply(gpuPod("train-0", "ml-train", 2));
  world.fake.store.apply(gpuPod("train-1", "ml-train", 2));
  world.fake.store.apply(gpuPod("serve-0", "ml-serve", 1));
  world.fake.store.apply(gpuPod("eval-done", "ml-train", 4, "Succeeded")); // counts nothing
});
afterEach(async () => {
  await world.close();
});

describe("status.quota: the budget kubectl get tenants shows", () => {
  it("writes used, the columns' used/hard, a summary and overBudget, and keeps them current", async () => {
    const dir = new ClusterDirectory({
      kubeconfig: loadKubeConfig(world.kubeconfig),
      tenantLabel: TENANT,
      log: createLogger("silent"),
      ledger: { reconcileMs: 100 },
    });
    await dir.start();
    try {
      await waitFor("status.quota written", () => quota().display?.gpus === "5/8", 5000);
      const q = quota();
      expect(q.used).toEqual({
        "requests.nvidia.com/gpu": "5",
        "requests.cpu": "12",
        "limits.memory": "96Gi",
        pods: "3",
      });
      expect(q.display).toEqual({ gpus: "5/8", cpu: "12/64", memory: "96Gi/512Gi", pods: "3/20" });
      expect(q.overBudget).toBe(false);
      expect(q.summary).toBe(
        "limits.memory 96Gi/512Gi, pods 3/20, requests.cpu 12/64, requests.nvidia.com/gpu 5/8",
      );

      // An admin lowers the GPU budget below usage and drops the memory budget: over budget, shown;
      // the memory column and used entry go away (merge patch nulls), the pods keep running.
      world.fake.store.apply(tenant({ "requests.nvidia.com/gpu": "4", "requests.cpu": "64", pods: "20" }));
      await waitFor("over budget shown", () => quota().overBudget === true, 5000);
      expect(quota().display).toEqual({ gpus: "5/4", cpu: "12/64", pods: "3/20" });
      expect(quota().used).not.toHaveProperty("limits.memory");
      expect(quota().summary).toBe(
        "over budget: pods 3/20, requests.cpu 12/64, requests.nvidia.com/gpu 5/4 (over)",
      );
      expect(world.fake.store.get("Pod", "ml-train", "train-0")).toBeDefined();

      // A pod finishes: it stops counting, and the tenant is within budget again.
      world.fake.store.apply(gpuPod("train-1", "ml-train", 2, "Succeeded"));
      await waitFor("usage follows the pods", () => quota().display?.gpus === "3/4", 5000);
      expect(quota().overBudget).toBe(false);
      expect(quota().pending).toEqual([]);
    } finally {
      await dir.close();
    }
  });

  it("a reconciliation that changes nothing writes nothing (no resourceVersion churn for the ledger)", async () => {
    const dir = new ClusterDirectory({
      kubeconfig: loadKubeConfig(world.kubeconfig),
      tenantLabel: TENANT,
      log: createLogger("silent"),
      ledger: { reconcileMs: 50 },
    });
    await dir.start();
    try {
      await waitFor("status.quota written", () => quota().display?.gpus === "5/8", 5000);
      const rv = (world.fake.store.get("Tenant", undefined, "team-ml")!.metadata as JsonRecord)
        .resourceVersion;
      await new Promise((r) => setTimeout(r, 400)); // several reconcile periods
      expect(
        (world.fake.store.get("Tenant", undefined, "team-ml")!.metadata as JsonRecord).resourceVersion,
      ).toBe(rv);
    } finally {
      await dir.close();
    }
  });
});

describe("the pods informer counts as the ResourceQuota evaluator does", () => {
  it("a pod stuck terminating stops counting when its grace period ends, with no event; count/pods keeps every pod", async () => {
    world.fake.store.apply(tenant({ "requests.nvidia.com/gpu": "8", pods: "20", "count/pods": "50" }));
    const stuck = gpuPod("stuck-0", "ml-serve", 2);
    (stuck.metadata as JsonRecord).deletionTimestamp = new Date(Date.now())
      .toISOString()
      .replace(/\.\d+Z$/, "Z");
    (stuck.metadata as JsonRecord).deletionGracePeriodSeconds = 2;
    world.fake.store.apply(stuck);
    const dir = new ClusterDirectory({
      kubeconfig: loadKubeConfig(world.kubeconfig),
      tenantLabel: TENANT,
      log: createLogger("silent"),
    });
    await dir.start();
    try {
      await waitFor("ready", () => dir.status().ready, 5000);
      const usage = () => dir.view().quotaUsage("team-ml");
      // 2 + 2 + 1 running, 2 terminating within its grace; the Succeeded pod only in count/pods
      expect(usage().get("requests.nvidia.com/gpu")).toBe(7);
      expect(usage().get("pods")).toBe(4);
      expect(usage().get("count/pods")).toBe(5);
      // The node is gone: no kubelet confirms the deletion, no watch event comes.
      await waitFor("grace over", () => usage().get("requests.nvidia.com/gpu") === 5, 6000);
      expect(usage().get("pods")).toBe(3);
      expect(usage().get("count/pods")).toBe(5); // still in storage
      world.fake.store.remove("Pod", "ml-serve", "stuck-0");
      await waitFor("deleted", () => usage().get("count/pods") === 4, 5000);
    } finally {
      await dir.close();
    }
  });
});
