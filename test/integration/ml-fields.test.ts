// ML fields the pod rules used not to read, through the real HTTPS server against
// examples/cluster.yaml: a Kubeflow TrainJob's trainer.resourcesPerNode (TG-POD-RESOURCES, per node's
// pod) and KServe's `storage: {key, path, parameters}` model location (TG-MODEL-STORAGE).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codesIn, reviewFixture, type ReviewResponse } from "../support/review.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const validate = (fixture: string): Promise<ReviewResponse> => reviewFixture(server, `workloads/${fixture}`);

describe("fields that reach another tenant or past a maximum", () => {
  it("a TrainJob asking more GPUs per node than maxPerPod is denied at resourcesPerNode", async () => {
    const r = await validate("trainjob-resources-denied");
    expect(r.allowed).toBe(false);
    const msg = r.status?.message ?? "";
    expect(codesIn(msg)).toEqual([
      "TG-POD-RESOURCES",
      "TG-POD-RESOURCES",
      "TG-POD-RESOURCES",
      "TG-POD-RESOURCES",
    ]);
    expect(msg).toContain('(spec.trainer.resourcesPerNode.requests["nvidia.com/gpu"])');
    expect(msg).toContain('(spec.trainer.resourcesPerNode.limits["nvidia.com/gpu"])');
    expect(msg).toContain("(spec.trainer.resourcesPerNode.requests.cpu)");
    expect(msg).toContain("(spec.trainer.resourcesPerNode.requests.memory)");
    expect(msg).toContain('requests 8 nvidia.com/gpu, over the maximum of 2 per pod of tenant "team-alpha"');
  });

  it("a KServe storage spec whose bucket path is another tenant's is denied naming both", async () => {
    const r = await validate("inferenceservice-storage-spec-denied");
    expect(r.allowed).toBe(false);
    const msg = r.status?.message ?? "";
    expect(codesIn(msg)).toEqual(["TG-MODEL-STORAGE"]);
    expect(msg).toContain('"s3://models/team-beta/llama-3-8b-instruct", which belongs to tenant "team-beta"');
    expect(msg).toContain('the namespace belongs to tenant "team-alpha"');
    expect(msg).toContain("(spec.predictor.model.storage)");
  });

  it("a bare storage key hides the location from a tenant with modelStorage: denied, with the fix", async () => {
    const r = await validate("inferenceservice-storage-key-denied");
    expect(r.allowed).toBe(false);
    const msg = r.status?.message ?? "";
    expect(codesIn(msg)).toEqual(["TG-MODEL-STORAGE"]);
    expect(msg).toContain('key "localMinIO" of secret "storage-config"');
    expect(msg).toContain("parameters.type and parameters.bucket");
  });

  it.each(["trainjob-resources-allowed", "trainjob-allowed", "inferenceservice-storage-spec-allowed"])(
    "%s (the legitimate twin) is allowed",
    async (fixture) => {
      const r = await validate(fixture);
      expect(r.status?.message).toBeUndefined();
      expect(r.allowed).toBe(true);
    },
  );
});
