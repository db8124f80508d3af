// Hostile and invalid quantities through the real HTTPS server. Kubeflow's CRDs accept any string
// their quantity pattern allows (including an exponent with a fraction, "1e2.5", which the API
// server's own parser refuses), so the webhook sees values the API server never parsed: they must
// be denied with TG-POD-RESOURCES, never counted as 0, and a 30,000-digit one must not hold the
// server up.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadReview, type ReviewJson } from "../support/fixtures.ts";
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

async function validate(review: ReviewJson): Promise<Answer["response"]> {
  const res = await server.review("/validate", review);
  expect(res.status).toBe(200);
  const body = res.json<Answer>();
  expect(body.response.uid).toBe(review.request.uid);
  return body.response;
}

const HOSTILE = `${"9".repeat(30_000)}e2.5`;
const WORKER = "spec.pytorchReplicaSpecs.Worker.template.spec.containers[0].resources.requests.cpu";
const POD = "spec.containers[1].resources.limits.cpu";

/** The fixture with its invalid "1e2.5" replaced by the 30,000-digit version. */
function hostile(fixture: string): ReviewJson {
  return JSON.parse(
    JSON.stringify(loadReview(fixture)).replace('"1e2.5"', JSON.stringify(HOSTILE)),
  ) as ReviewJson;
}

describe("invalid quantities through the real server", () => {
  it.each([
    [
      "workloads/pytorchjob-quantity-denied",
      WORKER,
      'sets cpu requests to "1e2.5", which is not a valid quantity',
    ],
    ["pod/resources-quantity-denied", POD, 'sets cpu limits to "1e2.5", which is not a valid quantity'],
  ])("%s is denied with TG-POD-RESOURCES at the field", async (fixture, path, says) => {
    const r = await validate(loadReview(fixture));
    expect(r.allowed).toBe(false);
    expect(r.status?.code).toBe(403);
    expect(r.status?.message).toContain("[TG-POD-RESOURCES]");
    expect(r.status?.message).toContain(says);
    expect(r.status?.message).toContain(`(${path})`);
  });

  it.each([
    ["workloads/pytorchjob-quantity-denied", WORKER],
    ["pod/resources-quantity-denied", POD],
  ])("%s with 30,000 digits + e2.5 is denied, and answered promptly", async (fixture, path) => {
    const t0 = performance.now();
    const r = await validate(hostile(fixture));
    const ms = performance.now() - t0;
    expect(r.allowed).toBe(false);
    expect(r.status?.message).toContain("is not a valid quantity");
    expect(r.status?.message).toContain("(30004 characters)");
    expect(r.status?.message).toContain(`(${path})`);
    expect(ms).toBeLessThan(1000); // the old regex took 1.5-3.4 s on this value
  });

  it.each(["workloads/pytorchjob-secret-allowed", "pod/resources-allowed"])(
    "%s (the twin with valid quantities) is allowed",
    async (fixture) => {
      const r = await validate(loadReview(fixture));
      expect(r.allowed, r.status?.message).toBe(true);
    },
  );

  it("answers other reviews promptly while hostile ones arrive", async () => {
    const floods = Array.from({ length: 4 }, () => validate(hostile("workloads/pytorchjob-quantity-denied")));
    const t0 = performance.now();
    const r = await validate(loadReview("pod/resources-allowed"));
    const ms = performance.now() - t0;
    expect(r.allowed).toBe(true);
    expect(ms).toBeLessThan(1000);
    for (const f of await Promise.all(floods)) expect(f.allowed).toBe(false);
  });
});
