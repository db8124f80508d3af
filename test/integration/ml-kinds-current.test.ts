// ML kinds read from their current published schemas, through the real HTTPS server against
// examples/cluster.yaml: Trainer v2.2+ runtimePatches, TrainingRuntime (a JobSet template, whose
// dataset initializer's STORAGE_URI is not a model), KServe LLMInferenceService, KubeRay RayCronJob,
// and Argo inline DAG templates and podSpecPatch strings.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadReview } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

interface Answer {
  response: { uid: string; allowed: boolean; status?: { code: number; message: string } };
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

async function validate(fixture: string): Promise<Answer["response"]> {
  const review = loadReview(`workloads/${fixture}`);
  const res = await server.review("/validate", review);
  expect(res.status).toBe(200);
  const body = res.json<Answer>();
  expect(body.response.uid).toBe(review.request.uid);
  return body.response;
}

const codesIn = (message: string): string[] =>
  [...message.matchAll(/\[(TG-[A-Z-]+)\]/g)].map((m) => m[1] ?? "").sort();

const PATCH_POD =
  "spec.runtimePatches[0].trainingRuntimeSpec.template.spec.replicatedJobs[0].template.spec.template.spec";

describe("ML kinds at their current upstream paths", () => {
  it("a TrainJob runtime patch with another tenant's service account, node pool and a hostPath is denied", async () => {
    const r = await validate("trainjob-runtime-patch-denied");
    expect(r.allowed).toBe(false);
    const msg = r.status?.message ?? "";
    // The node pool twice: beta's nodeSelector and beta's toleration.
    expect(codesIn(msg)).toEqual([
      "TG-POD-HOSTPATH",
      "TG-POD-NODE-POOL",
      "TG-POD-NODE-POOL",
      "TG-POD-SERVICE-ACCOUNT",
    ]);
    expect(msg).toContain(`(${PATCH_POD}.serviceAccountName)`);
    expect(msg).toContain(`${PATCH_POD}.nodeSelector`);
    expect(msg).toContain(`${PATCH_POD}.volumes[0].hostPath`);
    expect(msg).toContain('"team-beta"');
  });

  it("a Trainer v2.0 podSpecOverrides entry with another tenant's service account, pool and a hostPath is denied", async () => {
    const r = await validate("trainjob-v20-overrides-denied");
    expect(r.allowed).toBe(false);
    const msg = r.status?.message ?? "";
    expect(codesIn(msg)).toEqual([
      "TG-POD-HOSTPATH",
      "TG-POD-NODE-POOL",
      "TG-POD-NODE-POOL",
      "TG-POD-SERVICE-ACCOUNT",
    ]);
    expect(msg).toContain("(spec.podSpecOverrides[0].serviceAccountName)");
    expect(msg).toContain("spec.podSpecOverrides[0].nodeSelector");
    expect(msg).toContain("spec.podSpecOverrides[0].volumes[0].hostPath");
  });

  it("a TrainingRuntime's model initializer reading another tenant's model is denied naming both", async () => {
    const r = await validate("trainingruntime-denied");
    expect(r.allowed).toBe(false);
    const msg = r.status?.message ?? "";
    expect(codesIn(msg)).toEqual(["TG-MODEL-STORAGE"]);
    expect(msg).toContain(
      '"s3://models/team-beta/llama-3-8b-instruct/", which belongs to tenant "team-beta"',
    );
    expect(msg).toContain(
      "spec.template.spec.replicatedJobs[1].template.spec.template.spec.containers[0].env[0].value",
    );
  });

  it("an LLMInferenceService with another tenant's model, service account and pool is denied", async () => {
    const r = await validate("llminferenceservice-denied");
    expect(r.allowed).toBe(false);
    const msg = r.status?.message ?? "";
    expect(codesIn(msg)).toEqual([
      "TG-MODEL-STORAGE",
      "TG-POD-NODE-POOL",
      "TG-POD-NODE-POOL",
      "TG-POD-SERVICE-ACCOUNT",
    ]);
    expect(msg).toContain("(spec.model.uri)");
    expect(msg).toContain("(spec.template.serviceAccountName)");
  });

  it("a RayCronJob's head and workers on another tenant's pool are denied", async () => {
    const r = await validate("raycronjob-denied");
    expect(r.allowed).toBe(false);
    const msg = r.status?.message ?? "";
    expect(codesIn(msg)).toContain("TG-POD-NODE-POOL");
    expect(msg).toContain("spec.jobTemplate.rayClusterSpec.headGroupSpec.template.spec");
    expect(msg).toContain("spec.jobTemplate.rayClusterSpec.workerGroupSpecs[0].template.spec");
  });

  it("an Argo inline DAG template's hostPath and a podSpecPatch's pool and service account are denied", async () => {
    const r = await validate("workflow-inline-patch-denied");
    expect(r.allowed).toBe(false);
    const msg = r.status?.message ?? "";
    expect(codesIn(msg)).toEqual(["TG-POD-HOSTPATH", "TG-POD-NODE-POOL", "TG-POD-SERVICE-ACCOUNT"]);
    expect(msg).toContain("spec.templates[0].dag.tasks[0].inline.volumes[0].hostPath");
    expect(msg).toContain("(spec.templates[1].podSpecPatch.serviceAccountName)");
    expect(msg).toContain("spec.templates[1].podSpecPatch.nodeSelector");
  });

  it.each([
    "trainjob-runtime-patch-allowed",
    "trainjob-v20-overrides-allowed",
    // Its dataset initializer's STORAGE_URI (hf://) is outside team-alpha's modelStorage: not a model.
    "trainingruntime-allowed",
    "llminferenceservice-allowed",
    "raycronjob-allowed",
    "workflow-inline-patch-allowed",
  ])("%s (the legitimate twin) is allowed", async (fixture) => {
    const r = await validate(fixture);
    expect(r.status?.message).toBeUndefined();
    expect(r.allowed).toBe(true);
  });
});
