// Overlapping modelStorage prefixes through the real HTTPS server: the most specific prefix owns a
// URI. team-gamma lists the broad "s3://models/"; team-alpha lists "s3://models/team-alpha/". A
// gamma InferenceService reading alpha's models is denied (it was allowed by gamma's own broad
// prefix before), while one under a location only gamma's prefix covers is allowed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reviewFixture, type ReviewResponse } from "../support/review.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const GAMMA_STORAGE = 'modelStorage: ["s3://models/team-gamma/", "gs://gamma-models/"]';

let server: TestServer;
let dir: string;

beforeAll(async () => {
  const text = readFileSync("examples/cluster.yaml", "utf8");
  if (text.split(GAMMA_STORAGE).length !== 2) throw new Error("examples/cluster.yaml changed shape");
  dir = mkdtempSync(join(tmpdir(), "tg-storage-"));
  const world = join(dir, "cluster.yaml");
  writeFileSync(world, text.replace(GAMMA_STORAGE, 'modelStorage: ["s3://models/", "gs://gamma-models/"]'));
  server = await startTestServer({ directory: { source: `file:${world}`, watchFile: false } });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const validate = (fixture: string): Promise<ReviewResponse> => reviewFixture(server, `workloads/${fixture}`);

describe("nested modelStorage prefixes: the most specific wins", () => {
  it("a broad prefix does not reach into another tenant's narrower one", async () => {
    const r = await validate("inferenceservice-nested-storage-denied");
    expect(r.allowed).toBe(false);
    expect(r.status?.message).toContain(
      '[TG-MODEL-STORAGE] inferenceservice "llama-eval" in namespace "team-gamma" uses model storage "s3://models/team-alpha/llama-3-8b-instruct/", which belongs to tenant "team-alpha"',
    );
    expect(r.status?.message).toContain("(spec.predictor.model.storageUri)");
  });

  it("its twin under a location only the broad prefix covers is allowed", async () => {
    const r = await validate("inferenceservice-nested-storage-allowed");
    expect(r.status?.message).toBeUndefined();
    expect(r.allowed).toBe(true);
  });
});
