// TG-POD-REGISTRY covers every image a pod makes the kubelet pull, image volumes included
// (volumes[].image.reference): through the real HTTPS server against examples/cluster.yaml.
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
  const review = loadReview(fixture);
  const res = await server.review("/validate", review);
  expect(res.status).toBe(200);
  const body = res.json<Answer>();
  expect(body.response.uid).toBe(review.request.uid);
  return body.response;
}

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
