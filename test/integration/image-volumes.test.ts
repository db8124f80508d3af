// TG-POD-REGISTRY covers every image a pod makes the kubelet pull, image volumes included
// (volumes[].image.reference): through the real HTTPS server against examples/cluster.yaml.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reviewFixture, type ReviewResponse } from "../support/review.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const validate = (fixture: string): Promise<ReviewResponse> => reviewFixture(server, fixture);

describe("image volumes", () => {
  it("an image volume from another tenant's registry path is denied at its reference", async () => {
    const r = await validate("pod/image-volume-denied");
    expect(r.allowed).toBe(false);
    expect(r.status?.code).toBe(403);
    const msg = r.status?.message ?? "";
    expect([...msg.matchAll(/\[(TG-[A-Z-]+)\]/g)].map((m) => m[1])).toEqual(["TG-POD-REGISTRY"]);
    expect(msg).toContain('image volume "model-weights"');
    expect(msg).toContain('"registry.example.com/beta/llama-3-8b-weights:1"');
    expect(msg).toContain('tenant "team-alpha"');
    expect(msg).toContain("(spec.volumes[4].image.reference)");
  });

  it("the same volume from the tenant's own registry is allowed", async () => {
    const r = await validate("pod/image-volume-allowed");
    expect(r.status?.message).toBeUndefined();
    expect(r.allowed).toBe(true);
  });
});
