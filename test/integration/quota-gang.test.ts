// Gang-aware budgets through the real HTTPS server, against test/fixtures/quota/world.yaml: team-ml
// may hold 8 GPUs and already runs 5. A gang that can never fit 8 is denied at apply time with its
// arithmetic; its twin that fits 8 but not the 3 left now is admitted with a warning (it will wait);
// one that fits what is left is admitted silently.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadReview, setPath, type ReviewJson } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { reviewObject, type ReviewResponse } from "../support/review.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ directory: { source: "file:test/fixtures/quota/world.yaml" } });
});
afterAll(async () => {
  await server?.close();
});

const review = (r: ReviewJson): Promise<ReviewResponse> => reviewObject(server, r);

function denial(r: ReviewResponse): string {
  expect(r.allowed).toBe(false);
  expect(r.status?.code).toBe(403);
  return r.status?.message ?? "";
}

describe("TG-QUOTA-GANG through the real server", () => {
  it("denies a PyTorchJob whose whole gang can never fit hard, with the arithmetic per replica type", async () => {
    const msg = denial(await review(loadReview("quota/pytorchjob-gang-never-denied")));
    expect(msg).toContain("[TG-QUOTA-GANG]");
    expect(msg).toContain('pytorchjob "llama-sft" in namespace "ml-train"');
    expect(msg).toContain('tenant "team-ml"');
    expect(msg).toContain("requests.nvidia.com/gpu: Master 1 x 2 + Worker 4 x 2 = 10 > hard 8");
    // cpu (5 x 8 = 40 of 64) and pods (5 of 20) fit: not named
    expect(msg).not.toContain("requests.cpu");
  });

  it("a dry run of the same gang is denied the same", async () => {
    const r = loadReview("quota/pytorchjob-gang-never-denied");
    setPath(r, "request.dryRun", true);
    expect(denial(await review(r))).toContain("Master 1 x 2 + Worker 4 x 2 = 10 > hard 8");
  });

  it("its twin that fits hard but not what is left now is allowed with a warning: it will wait", async () => {
    const r = await review(loadReview("quota/pytorchjob-gang-wait-allowed"));
    expect(r.allowed).toBe(true);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings?.[0]).toContain("[TG-QUOTA-GANG-WAIT]");
    expect(r.warnings?.[0]).toContain("will wait");
    expect(r.warnings?.[0]).toContain(
      "requests.nvidia.com/gpu: used 5 + Master 1 x 2 + Worker 1 x 2 = 9 > hard 8",
    );
  });

  it("a gang that fits what is left is allowed without a warning", async () => {
    const r = loadReview("quota/pytorchjob-gang-wait-allowed");
    setPath(r, "request.object.spec.pytorchReplicaSpecs.Worker.replicas", 0);
    const res = await review(r);
    expect(res.status?.message).toBeUndefined();
    expect(res.allowed).toBe(true);
    expect(res.warnings).toBeUndefined();
  });

  it("a RayCluster counts its head and its workers at replicas; with autoscaling at minReplicas", async () => {
    const msg = denial(await review(loadReview("quota/raycluster-gang-never-denied")));
    expect(msg).toContain("[TG-QUOTA-GANG]");
    expect(msg).toContain("requests.nvidia.com/gpu: gpu 10 x 1 = 10 > hard 8");
    expect(msg).not.toContain("requests.cpu"); // head 2 + 10 x 4 = 42 of 64
    const twin = loadReview("quota/raycluster-gang-never-denied");
    setPath(twin, "request.object.spec.enableInTreeAutoscaling", true);
    const r = await review(twin);
    expect(r.status?.message).toBeUndefined();
    expect(r.allowed).toBe(true); // head + 1 worker: 1 GPU, 5 + 1 of 8
  });

  it("a TrainJob counts numNodes x resourcesPerNode", async () => {
    const msg = denial(await review(loadReview("quota/trainjob-gang-never-denied")));
    expect(msg).toContain('trainjob "qwen-ft"');
    expect(msg).toContain("requests.nvidia.com/gpu: node 3 x 4 = 12 > hard 8");
    const twin = loadReview("quota/trainjob-gang-never-denied");
    setPath(twin, "request.object.spec.trainer.numNodes", 2);
    const r = await review(twin);
    expect(r.allowed).toBe(true);
    expect(r.warnings?.[0]).toContain("[TG-QUOTA-GANG-WAIT]"); // 8 fits 8, not the 3 left
  });

  it("a JobSet counts replicas x the Job's parallelism; a Deployment its replicas", async () => {
    expect(denial(await review(loadReview("quota/jobset-gang-never-denied")))).toContain(
      "requests.nvidia.com/gpu: workers 10 x 1 = 10 > hard 8",
    );
    const js = loadReview("quota/jobset-gang-never-denied");
    setPath(js, "request.object.spec.replicatedJobs.0.template.spec.parallelism", 1); // 5 x 1
    expect((await review(js)).warnings?.[0]).toContain("used 5 + workers 5 x 1 = 10 > hard 8");
    expect(denial(await review(loadReview("quota/deployment-gang-never-denied")))).toContain(
      "requests.nvidia.com/gpu: replicas 3 x 3 = 9 > hard 8",
    );
  });

  it("an UPDATE is denied only when it grows a gang past hard", async () => {
    const grown = loadReview("quota/deployment-gang-never-denied");
    const old = structuredClone(grown.request.object) as Record<string, unknown>;
    setPath(old, "spec.replicas", 1);
    setPath(grown, "request.operation", "UPDATE");
    setPath(grown, "request.oldObject", old);
    setPath(grown, "request.options", { kind: "UpdateOptions", apiVersion: "meta.k8s.io/v1" });
    expect(denial(await review(grown))).toContain("replicas 3 x 3 = 9 > hard 8");
    // the same too-big gang (admitted under a larger budget) relabelled: not this edit's doing
    const same = structuredClone(grown);
    const oldSame = structuredClone(grown.request.object) as Record<string, unknown>;
    setPath(same, "request.oldObject", oldSame);
    setPath(same, "request.object.metadata.labels", { team: "serving" });
    const r = await review(same);
    expect(r.status?.message).toBeUndefined();
    expect(r.allowed).toBe(true);
  });
});
