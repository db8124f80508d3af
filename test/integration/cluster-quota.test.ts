// spec.quota in the cluster backend: the real pods informer against the fake API server. Full pods
// are listed and watched but only their quota charge is kept; a pod finishing (Succeeded) or being
// deleted gives its share back, and the real server's TG-QUOTA-EXCEEDED decision follows it live.
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startFakeCluster, waitFor, type FakeCluster } from "../support/fake-apiserver/harness.ts";
import { loadReview } from "../support/fixtures.ts";
import { startTestServer } from "../support/server.ts";

const TENANT = "tenant-guard.dev/tenant";
const SECRET_ENV = "hf_live_token_value_never_cached";

let world: FakeCluster;
beforeEach(async () => {
  world = await startFakeCluster();
  const s = world.fake.store;
  s.apply({
    apiVersion: "tenant-guard.dev/v1alpha1",
    kind: "Tenant",
    metadata: { name: "team-ml" },
    spec: { quota: { hard: { "requests.nvidia.com/gpu": "8" }, warnAt: 80 } },
  });
  for (const ns of ["ml-train", "ml-serve"])
    s.apply({ apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { [TENANT]: "team-ml" } } });
  s.apply(gpuPod("ml-train", "llama-ft-worker-0", 2, "Running"));
  s.apply(gpuPod("ml-train", "llama-ft-worker-1", 2, "Running"));
  s.apply(gpuPod("ml-serve", "vllm-0", 1, "Running"));
});
afterEach(async () => {
  await world.close();
});

function gpuPod(namespace: string, name: string, gpus: number, phase: string) {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, labels: { app: name } },
    spec: {
      containers: [
        {
          name: "main",
          image: "ghcr.io/example-org/trainer:1.4",
          env: [{ name: "HF_TOKEN", value: SECRET_ENV }],
          resources: {
            requests: { "nvidia.com/gpu": String(gpus) },
            limits: { "nvidia.com/gpu": String(gpus) },
          },
        },
      ],
    },
    status: { phase },
  };
}

describe("serve --directory cluster: team budgets follow the pods informer", () => {
  it("denies past hard, and allows once a pod finished and another was deleted", async () => {
    const srv = await startTestServer({ directory: { source: "cluster", kubeconfig: world.kubeconfig } });
    try {
      await waitFor("ready", () => srv.serving.directory.status().ready, 5000);
      const view = srv.serving.directory.view();
      expect(view.quotaUsage("team-ml").get("requests.nvidia.com/gpu")).toBe(5);
      const decide = async () =>
        (await srv.review("/validate", loadReview("quota/gpu-past-hard-denied"))).json<{
          response: { allowed: boolean; status?: { message: string }; warnings?: string[] };
        }>().response;
      const before = await decide();
      expect(before.allowed).toBe(false);
      expect(before.status?.message).toContain("used 5 + asked 4 = 9, hard 8");
      // A training worker finishes: a Succeeded pod counts only count/pods.
      world.fake.store.apply(gpuPod("ml-train", "llama-ft-worker-0", 2, "Succeeded"));
      await waitFor("finished", () => view.quotaUsage("team-ml").get("requests.nvidia.com/gpu") === 3);
      const after = await decide();
      expect(after.allowed).toBe(true);
      expect(after.warnings?.[0]).toContain("used 3 + asked 4 = 7, hard 8");
      world.fake.store.remove("Pod", "ml-serve", "vllm-0");
      await waitFor("deleted", () => view.quotaUsage("team-ml").get("requests.nvidia.com/gpu") === 2);
      // llama-ft-worker-1, and the Succeeded worker: still in storage, it counts count/pods
      expect(srv.serving.directory.status().counts.Pod).toBe(2);
      expect(view.quotaUsage("team-ml").get("count/pods")).toBe(2);
      expect(view.quotaUsage("team-ml").get("pods")).toBe(1);
      // The API server sent whole pods; the directory kept none of their spec.
      const dump = inspect(srv.serving.directory, { depth: Infinity, maxStringLength: Infinity });
      expect(dump).toContain("llama-ft-worker-1");
      expect(dump).not.toContain(SECRET_ENV);
    } finally {
      await srv.close();
    }
  });
});
