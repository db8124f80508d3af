// The gang arithmetic: how many pods of each replica type each operator runs (its defaults), and
// replicas x one pod's charge per budgeted key.
import { describe, expect, it } from "vitest";
import { gangOf, rayWorkers, type GangGroup } from "../../../../src/policy/workloads/gang.ts";
import { gangTotals } from "../../../../src/policy/rules/quota-gang.ts";
import { CUSTOM_RESOURCES, KUBERNETES_WORKLOADS } from "../../../../src/policy/workloads/known-kinds.ts";
import { GANG_RESOURCES } from "../../../../src/policy/workloads/gang.ts";
import type { ResourceAmount } from "../../../../src/tenancy/tenant-policy.ts";

const gpus = (n: number, extra: Record<string, string> = {}) => ({
  spec: {
    containers: [
      {
        name: "c",
        image: "x",
        resources: {
          requests: { "nvidia.com/gpu": String(n), ...extra },
          limits: { "nvidia.com/gpu": String(n) },
        },
      },
    ],
  },
});

const counts = (g: GangGroup[] | undefined): Record<string, number> =>
  Object.fromEntries((g ?? []).map((x) => [x.name, x.count]));

function hard(entries: Record<string, number>): Map<string, ResourceAmount> {
  return new Map(
    Object.entries(entries).map(([k, v]) => [k, { raw: String(v), value: v } as ResourceAmount]),
  );
}

describe("gang sizes with the operators' defaults", () => {
  it("Training Operator kinds: replicas default 1 per replica type", () => {
    const job = {
      spec: {
        pytorchReplicaSpecs: { Master: { template: gpus(1) }, Worker: { replicas: 3, template: gpus(2) } },
      },
    };
    expect(counts(gangOf("kubeflow.org", "pytorchjobs", job))).toEqual({ Master: 1, Worker: 3 });
    const tf = { spec: { tfReplicaSpecs: { PS: { template: gpus(0) }, Worker: { template: gpus(1) } } } };
    expect(counts(gangOf("kubeflow.org", "tfjobs", tf))).toEqual({ PS: 1, Worker: 1 });
    const jax = { spec: { jaxReplicaSpecs: { Worker: { replicas: 8, template: gpus(4) } } } };
    expect(counts(gangOf("kubeflow.org", "jaxjobs", jax))).toEqual({ Worker: 8 });
  });

  it("PyTorchJob elastic: the workers counted are elasticPolicy.minReplicas when fewer", () => {
    const job = {
      spec: {
        elasticPolicy: { minReplicas: 2, maxReplicas: 8 },
        pytorchReplicaSpecs: { Worker: { replicas: 6, template: gpus(1) } },
      },
    };
    expect(counts(gangOf("kubeflow.org", "pytorchjobs", job))).toEqual({ Worker: 2 });
  });

  it("MPIJob: Launcher defaults to 1, Worker to 0 (mpi-operator's defaulting)", () => {
    const job = {
      spec: { mpiReplicaSpecs: { Launcher: { template: gpus(0) }, Worker: { template: gpus(1) } } },
    };
    expect(counts(gangOf("kubeflow.org", "mpijobs", job))).toEqual({ Launcher: 1, Worker: 0 });
  });

  it("TrainJob: numNodes (default 1) pods of resourcesPerNode", () => {
    const tj = {
      spec: {
        runtimeRef: { name: "torch-distributed" },
        trainer: { numNodes: 4, resourcesPerNode: { requests: { "nvidia.com/gpu": "8" } } },
      },
    };
    const g = gangOf("trainer.kubeflow.org", "trainjobs", tj);
    expect(counts(g)).toEqual({ node: 4 });
    expect(gangTotals(g!, hard({ "requests.nvidia.com/gpu": 16 }))[0]?.total).toBe(32);
    const dflt = { spec: { trainer: { resourcesPerNode: { limits: { "nvidia.com/gpu": "2" } } } } };
    expect(counts(gangOf("trainer.kubeflow.org", "trainjobs", dflt))).toEqual({ node: 1 });
  });

  it("JobSet: replicas (default 1) x the Job's parallelism (default 1, at most completions)", () => {
    const js = {
      spec: {
        replicatedJobs: [
          { name: "driver", template: { spec: { template: gpus(0) } } },
          {
            name: "workers",
            replicas: 2,
            template: { spec: { parallelism: 4, completions: 4, template: gpus(1) } },
          },
          {
            name: "capped",
            replicas: 3,
            template: { spec: { parallelism: 5, completions: 2, template: gpus(1) } },
          },
        ],
      },
    };
    expect(counts(gangOf("jobset.x-k8s.io", "jobsets", js))).toEqual({ driver: 1, workers: 8, capped: 6 });
  });

  it("RayCluster: one head, worker groups clamped to min/max, minReplicas with autoscaling, x numOfHosts", () => {
    expect(rayWorkers({ replicas: 3, minReplicas: 1, maxReplicas: 5 }, false)).toBe(3);
    expect(rayWorkers({ replicas: 9, minReplicas: 1, maxReplicas: 5 }, false)).toBe(5);
    expect(rayWorkers({ replicas: 0, minReplicas: 2, maxReplicas: 5 }, false)).toBe(2);
    expect(rayWorkers({ minReplicas: 4, maxReplicas: 2 }, false)).toBe(2); // min > max: max
    expect(rayWorkers({ replicas: 5, minReplicas: 1, maxReplicas: 10 }, true)).toBe(1);
    expect(rayWorkers({ replicas: 2, numOfHosts: 4 }, false)).toBe(8);
    expect(rayWorkers({ replicas: 2, suspend: true }, false)).toBe(0);
    expect(rayWorkers({}, false)).toBe(0); // replicas and minReplicas default 0
    const rc = {
      spec: {
        headGroupSpec: { template: gpus(0) },
        workerGroupSpecs: [
          { groupName: "gpu", replicas: 3, minReplicas: 1, maxReplicas: 4, template: gpus(1) },
        ],
      },
    };
    expect(counts(gangOf("ray.io", "rayclusters", rc))).toEqual({ head: 1, gpu: 3 });
    const rj = { spec: { rayClusterSpec: { ...rc.spec, enableInTreeAutoscaling: true } } };
    expect(counts(gangOf("ray.io", "rayjobs", rj))).toEqual({ head: 1, gpu: 1 });
  });

  it("Deployment / StatefulSet replicas default 1; a Job runs parallelism pods at once, at most completions", () => {
    expect(counts(gangOf("apps", "deployments", { spec: { template: gpus(1) } }))).toEqual({ replicas: 1 });
    expect(counts(gangOf("apps", "statefulsets", { spec: { replicas: 5, template: gpus(1) } }))).toEqual({
      replicas: 5,
    });
    expect(counts(gangOf("batch", "jobs", { spec: { template: gpus(1) } }))).toEqual({ replicas: 1 });
    expect(
      counts(gangOf("batch", "jobs", { spec: { parallelism: 10, completions: 3, template: gpus(1) } })),
    ).toEqual({ replicas: 3 });
  });

  it("garbage counts fall back to the default; other kinds and non-objects have no gang", () => {
    expect(counts(gangOf("apps", "deployments", { spec: { replicas: "lots", template: gpus(1) } }))).toEqual({
      replicas: 1,
    });
    expect(counts(gangOf("apps", "deployments", { spec: { replicas: -3, template: gpus(1) } }))).toEqual({
      replicas: 1,
    });
    expect(gangOf("apps", "daemonsets", { spec: { template: gpus(1) } })).toBeUndefined();
    expect(gangOf("apps", "deployments", null)).toBeUndefined();
    expect(gangOf("apps", "deployments", { spec: {} })).toEqual([]);
  });

  it("every gang kind is a known workload kind (its templates are the ones the pod rules check)", () => {
    const known = new Set(
      [...KUBERNETES_WORKLOADS, ...CUSTOM_RESOURCES].map((k) => `${k.group}/${k.resource}`),
    );
    for (const r of GANG_RESOURCES)
      expect(known, `${r.group}/${r.resource}`).toContain(`${r.group}/${r.resource}`);
  });
});

describe("gang totals: replicas x per-pod effective requests", () => {
  it("sums each replica type's count x charge, and names the terms", () => {
    const job = {
      spec: {
        pytorchReplicaSpecs: {
          Master: { template: gpus(4, { cpu: "8" }) },
          Worker: { replicas: 4, template: gpus(4, { cpu: "8" }) },
        },
      },
    };
    const t = gangTotals(
      gangOf("kubeflow.org", "pytorchjobs", job)!,
      hard({ "requests.nvidia.com/gpu": 16, "requests.cpu": 64, pods: 20 }),
    );
    const by = Object.fromEntries(t.map((x) => [x.key, x]));
    expect(by["requests.nvidia.com/gpu"]?.total).toBe(20);
    expect(by["requests.nvidia.com/gpu"]?.terms).toEqual(["Master 1 x 4", "Worker 4 x 4"]);
    expect(by["requests.cpu"]?.total).toBe(40);
    expect(by["pods"]?.total).toBe(5);
  });

  it("uses effective requests: the largest init container and pod overhead count", () => {
    const spec = {
      spec: {
        overhead: { cpu: "250m" },
        initContainers: [{ name: "fetch", image: "x", resources: { requests: { cpu: "4" } } }],
        containers: [{ name: "c", image: "x", resources: { requests: { cpu: "1" } } }],
      },
    };
    const t = gangTotals(
      gangOf("apps", "statefulsets", { spec: { replicas: 2, template: spec } })!,
      hard({ "requests.cpu": 100 }),
    );
    expect(t[0]?.total).toBeCloseTo(8.5); // 2 x (max(1, 4) + 0.25)
  });

  it("zero-replica groups and keys nobody asks for are left out", () => {
    const job = {
      spec: { mpiReplicaSpecs: { Launcher: { template: gpus(0) }, Worker: { template: gpus(8) } } },
    };
    const t = gangTotals(
      gangOf("kubeflow.org", "mpijobs", job)!,
      hard({ "requests.nvidia.com/gpu": 1, pods: 10 }),
    );
    expect(t.map((x) => x.key)).toEqual(["pods"]);
  });
});
