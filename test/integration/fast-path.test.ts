// The admission fast path (src/server/fast-path.ts) answers POST /validate and /mutate before
// express; every other request still goes through express. Both ways must give the same answers,
// the same errors, the same metrics and the same review log line.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadReview } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv.close();
});

const JSON_HEADERS = { "content-type": "application/json" };

async function postRaw(path: string, body: string, headers: Record<string, string> = JSON_HEADERS) {
  return srv.request(path, { method: "POST", body, headers });
}

describe("admission fast path", () => {
  const pod = JSON.stringify(loadReview("pod-create"));

  it("answers with the same review as the express route (which still serves /validate/)", async () => {
    const fast = await postRaw("/mutate?timeout=10s", pod);
    const viaExpress = await postRaw("/mutate/", pod);
    expect(fast.status).toBe(200);
    expect(viaExpress.status).toBe(200);
    expect(fast.text).toBe(viaExpress.text);
    expect(fast.json<{ response: { patchType?: string } }>().response.patchType).toBe("JSONPatch");
  });

  it("keeps the route's refusals: 415 for another content type, 400 for bad JSON", async () => {
    const r415 = await postRaw("/validate", pod, { "content-type": "text/plain" });
    expect(r415.status).toBe(415);
    expect(r415.json<{ error: { code: string } }>().error.code).toBe("TG_UNSUPPORTED_MEDIA_TYPE");
    const r400 = await postRaw("/validate", "{not json");
    expect(r400.status).toBe(400);
    expect(r400.json<{ error: { code: string } }>().error.code).toBe("TG_INVALID_JSON");
  });

  it("leaves other methods and paths to express: 405 and 404", async () => {
    expect((await srv.request("/validate")).status).toBe(405);
    expect((await postRaw("/validatex", pod)).status).toBe(404);
  });

  it("counts and logs each review once", async () => {
    const uid = "fast-path-counted-once";
    const review = loadReview("secret-create");
    review.request.uid = uid;
    const res = await postRaw("/validate", JSON.stringify(review));
    expect(res.json<{ response: { uid: string } }>().response.uid).toBe(uid);
    await new Promise((r) => setTimeout(r, 50));
    expect(srv.logs.filter((l) => l.msg === "review" && l.uid === uid)).toHaveLength(1);
    const metrics = (await srv.request("/metrics")).text;
    expect(metrics).toMatch(
      /tenant_guard_admission_requests_total\{route="\/validate",kind="Secret"[^}]*\} [1-9]/,
    );
  });
});
