// Nodes in the directory: a file world's `kind: Node` keeps its name, labels and taints (nothing of
// its status), is counted like the other kinds, and the Tenants' pool tolerations say whose taint is whose.
import { describe, expect, it } from "vitest";
import { buildIndexFromObjects, nodeInfo } from "../../../src/tenancy/build.ts";
import { TenantIndex } from "../../../src/tenancy/tenant-index.ts";
import { tenantObject } from "../../support/objects.ts";

const LABEL = "tenant-guard.dev/tenant";
const POOL = "tenant-guard.dev/pool";

const gpuNode = {
  apiVersion: "v1",
  kind: "Node",
  metadata: {
    name: "alpha-gpu-1",
    labels: { [POOL]: "alpha-gpu", "kubernetes.io/hostname": "alpha-gpu-1" },
    annotations: { "node.alpha.kubernetes.io/ttl": "0" },
    managedFields: [{ manager: "kubelet" }],
  },
  spec: {
    podCIDR: "10.244.1.0/24",
    taints: [
      { key: POOL, value: "alpha-gpu", effect: "NoSchedule" },
      { key: "nvidia.com/gpu", effect: "NoExecute", timeAdded: "2026-12-01T00:00:00Z" },
      { value: "no-key", effect: "NoSchedule" },
    ],
  },
  status: { images: [{ names: ["registry.example.com/alpha/big:1"], sizeBytes: 1 }], capacity: { cpu: "8" } },
};

describe("Nodes in the directory", () => {
  it("keeps name, labels and taints (key, value, effect) only", () => {
    const ix = buildIndexFromObjects([gpuNode], LABEL);
    const n = ix.node("alpha-gpu-1");
    expect(n).toEqual({
      name: "alpha-gpu-1",
      labels: { [POOL]: "alpha-gpu", "kubernetes.io/hostname": "alpha-gpu-1" },
      taints: [
        { key: POOL, value: "alpha-gpu", effect: "NoSchedule" },
        { key: "nvidia.com/gpu", value: "", effect: "NoExecute" },
      ],
    });
    expect(JSON.stringify(n)).not.toMatch(/images|capacity|podCIDR|managedFields|ttl/);
    expect(Object.isFrozen(n)).toBe(true);
    expect(ix.node("beta-gpu-1")).toBeUndefined();
  });

  it("counts Nodes like the other kinds, and keeps the count at 0 once all are gone", () => {
    const ix = new TenantIndex(LABEL);
    expect(ix.counts().Node).toBeUndefined();
    ix.upsertNode(nodeInfo(gpuNode));
    ix.upsertNode(nodeInfo(gpuNode)); // an update, not a second node
    ix.upsertNode(nodeInfo({ metadata: { name: "cpu-1" } }));
    expect(ix.counts().Node).toBe(2);
    ix.deleteNode("alpha-gpu-1");
    ix.deleteNode("never-there");
    expect(ix.counts().Node).toBe(1);
    ix.deleteNode("cpu-1");
    expect(ix.counts().Node).toBe(0);
  });

  it("knows whose pool a taint marks from the Tenants' tolerations, as they change", () => {
    const ix = buildIndexFromObjects(
      [
        tenantObject("team-alpha", {
          nodePool: {
            tolerations: [{ key: POOL, operator: "Equal", value: "alpha-gpu", effect: "NoSchedule" }],
          },
        }),
        tenantObject("team-beta", {
          nodePool: { tolerations: [{ key: "dedicated-beta", operator: "Exists" }, { operator: "Exists" }] },
        }),
      ],
      LABEL,
    );
    expect(ix.poolTaintOwner(POOL, "alpha-gpu")).toBe("team-alpha");
    expect(ix.poolTaintOwner(POOL, "beta-gpu")).toBeUndefined();
    expect(ix.poolTaintOwner("dedicated-beta", "anything")).toBe("team-beta");
    expect(ix.poolTaintOwner("node.kubernetes.io/not-ready", "")).toBeUndefined(); // keyless Exists marks nothing
    ix.deleteTenant("team-alpha");
    expect(ix.poolTaintOwner(POOL, "alpha-gpu")).toBeUndefined();
  });
});
