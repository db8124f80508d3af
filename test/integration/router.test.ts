// One dispatcher (src/server/router.ts) answers every request: the admission routes by exact path,
// unknown paths and case variants with the catalogue's 404, the same refusals, metrics and one
// review log line per review.
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

describe("one request path", () => {
  const pod = JSON.stringify(loadReview("pod-create"));

  it("serves /validate and gives the catalogue's 404 to /VALIDATE and /validate/", async () => {
    const ok = await postRaw("/validate?timeout=10s", pod);
    expect(ok.status).toBe(200);
    expect(ok.json<{ response: { allowed: boolean } }>().response.allowed).toBe(true);
    for (const path of ["/VALIDATE", "/validate/", "/Mutate", "/mutate/"]) {
      const r = await postRaw(path, pod);
      expect(r.status, path).toBe(404);
      expect(r.json<{ error: { code: string } }>().error.code, path).toBe("TG_NOT_FOUND");
    }
  });

  it("keeps the route's refusals: 415 for another content type, 400 for bad JSON", async () => {
    const r415 = await postRaw("/validate", pod, { "content-type": "text/plain" });
    expect(r415.status).toBe(415);
    expect(r415.json<{ error: { code: string } }>().error.code).toBe("TG_UNSUPPORTED_MEDIA_TYPE");
    const r400 = await postRaw("/validate", "{not json");
    expect(r400.status).toBe(400);
    expect(r400.json<{ error: { code: string } }>().error.code).toBe("TG_INVALID_JSON");
  });

  it("answers other methods with 405 and other paths with 404", async () => {
    expect((await srv.request("/validate")).status).toBe(405);
    expect((await postRaw("/validatex", pod)).status).toBe(404);
  });

  it("counts and logs each review once", async () => {
    const uid = "router-counted-once";
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
