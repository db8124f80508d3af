// The core contract through the real HTTPS server on port 0 with the embedded example directory.
import { connect } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadReview, patchOf, type ReviewJson } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv.close();
});

interface ReviewOut {
  apiVersion: string;
  kind: string;
  response: {
    uid: string;
    allowed: boolean;
    status?: { code: number; message: string };
    patch?: string;
    patchType?: string;
    warnings?: string[];
    auditAnnotations?: Record<string, string>;
  };
}

async function post(path: "/validate" | "/mutate", body: unknown): Promise<ReviewOut> {
  const res = await srv.review(path, body);
  expect(res.status).toBe(200);
  expect(res.headers["content-type"]).toMatch(/application\/json/);
  return res.json<ReviewOut>();
}

function podWithTenantLabel(tenant: string): ReviewJson {
  const r = loadReview("pod-create");
  const labels = (r.request.object!.metadata as Record<string, Record<string, string>>).labels!;
  labels["tenant-guard.dev/tenant"] = tenant;
  return r;
}

describe("admission reviews", () => {
  it("denies a pod in team-alpha's namespace labelled for team-beta, with 403 and a clear message", async () => {
    const r = loadReview("pod-create");
    (r.request.object!.metadata as Record<string, Record<string, string>>).labels![
      "tenant-guard.dev/tenant"
    ] = "team-beta";
    const out = await post("/validate", r);
    expect(out.apiVersion).toBe("admission.k8s.io/v1");
    expect(out.kind).toBe("AdmissionReview");
    expect(out.response.uid).toBe(r.request.uid);
    expect(out.response.allowed).toBe(false);
    expect(out.response.status?.code).toBe(403);
    expect(out.response.status?.message).toContain("TG-TENANT-LABEL");
    expect(out.response.status?.message).toContain('tenant "team-beta"');
    expect(out.response.status?.message).toContain('tenant "team-alpha"');
    expect(out.response.status?.message).toContain('metadata.labels["tenant-guard.dev/tenant"]');
    expect(out.response.patch).toBeUndefined();
  });

  it("allows the same pod with the right label, with neither warnings nor audit annotations", async () => {
    const out = await post("/validate", podWithTenantLabel("team-alpha"));
    expect(out.response).toEqual({ uid: "705ab4f5-6393-11e8-b7cc-42010a800002", allowed: true });
  });

  it("answers /mutate with a base64 JSONPatch that adds the tenant label, and /validate never patches", async () => {
    const r = loadReview("pod-create");
    const m = await post("/mutate", r);
    expect(m.response.allowed).toBe(true);
    expect(m.response.patchType).toBe("JSONPatch");
    expect(patchOf(m.response)).toContainEqual({
      op: "add",
      path: "/metadata/labels/tenant-guard.dev~1tenant",
      value: "team-alpha",
    });
    const v = await post("/validate", r);
    expect(v.response.patch).toBeUndefined();
    expect(v.response.patchType).toBeUndefined();
  });

  it("answers a v1beta1 review in v1beta1", async () => {
    const r = podWithTenantLabel("team-beta");
    r.apiVersion = "admission.k8s.io/v1beta1";
    const out = await post("/validate", r);
    expect(out.apiVersion).toBe("admission.k8s.io/v1beta1");
    expect(out.response.allowed).toBe(false);
  });

  it("gives a dryRun request the same decision and marks it in the log", async () => {
    const dry = loadReview("pod-create-dryrun");
    (dry.request.object!.metadata as Record<string, Record<string, string>>).labels![
      "tenant-guard.dev/tenant"
    ] = "team-gamma";
    const wet = structuredClone(dry);
    wet.request.dryRun = false;
    wet.request.uid = "wet-" + wet.request.uid;
    const [d, w] = await Promise.all([post("/validate", dry), post("/validate", wet)]);
    expect(d.response.allowed).toBe(false);
    expect(d.response.status).toEqual(w.response.status);
    const line = srv.logs.find((l) => l.uid === dry.request.uid);
    expect(line).toMatchObject({ dryRun: true, decision: "denied", kind: "Pod", namespace: "team-alpha" });
  });

  it.each([
    "pod-update",
    "secret-create",
    "serviceaccount-create",
    "rolebinding-create",
    "namespace-create",
    "tokenrequest-create",
    "deployment-create",
  ])("answers the real-shaped %s fixture with a well-formed review", async (name) => {
    const r = loadReview(name);
    const out = await post("/validate", r);
    expect(out.response.uid).toBe(r.request.uid);
    expect(typeof out.response.allowed).toBe("boolean");
    if (!out.response.allowed) expect(out.response.status?.code).toBe(403);
  });

  it("denies a secret labelled for another tenant through the same rule", async () => {
    const r = loadReview("secret-create");
    (r.request.object!.metadata as Record<string, Record<string, string>>).labels![
      "tenant-guard.dev/tenant"
    ] = "team-beta";
    const out = await post("/validate", r);
    expect(out.response.allowed).toBe(false);
    expect(out.response.status?.message).toMatch(/secret "s3-credentials" in namespace "team-alpha"/);
  });

  it("logs one line per review with the fields operators need", async () => {
    const r = loadReview("serviceaccount-create");
    r.request.uid = "log-line-check";
    await post("/validate", r);
    const line = srv.logs.find((l) => l.uid === "log-line-check");
    expect(line).toMatchObject({
      msg: "review",
      route: "/validate",
      kind: "ServiceAccount",
      namespace: "team-alpha",
      name: "trainer-v2",
      operation: "CREATE",
      dryRun: false,
    });
    expect(typeof line?.latencyMs).toBe("number");
  });
});

describe("bad input gets a JSON error, never a crash or a hang", () => {
  const json = { "content-type": "application/json" };
  it.each([
    ["wrong content type", { "content-type": "text/plain" }, "{}", 415, "TG_UNSUPPORTED_MEDIA_TYPE"],
    ["no content type", {}, "{}", 415, "TG_UNSUPPORTED_MEDIA_TYPE"],
    ["invalid JSON", json, "{not json", 400, "TG_INVALID_JSON"],
    ["empty body", json, "", 400, "TG_EMPTY_BODY"],
    ["not an AdmissionReview", json, '{"kind":"Pod","apiVersion":"v1"}', 400, "TG_NOT_ADMISSION_REVIEW"],
    [
      "missing uid",
      json,
      '{"kind":"AdmissionReview","apiVersion":"admission.k8s.io/v1","request":{"operation":"CREATE"}}',
      400,
      "TG_MISSING_UID",
    ],
  ])("%s -> %i %s", async (_n, headers, body, status, code) => {
    for (const path of ["/validate", "/mutate"]) {
      const res = await srv.request(path, { method: "POST", body, headers });
      expect(res.status).toBe(status);
      expect(res.json()).toMatchObject({ error: { code, status } });
    }
  });

  it("refuses a body over the limit with 413 and closes the connection", async () => {
    const big = Buffer.alloc(srv.config.server.bodyLimitBytes + 10, " ");
    const res = await srv.request("/validate", {
      method: "POST",
      body: big,
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(413);
    expect(res.json()).toMatchObject({ error: { code: "TG_BODY_TOO_LARGE" } });
    expect(res.headers.connection).toBe("close");
  });

  it("answers unknown routes with 404 and wrong methods with 405, as JSON", async () => {
    const nf = await srv.request("/nope");
    expect(nf.status).toBe(404);
    expect(nf.json()).toMatchObject({ error: { code: "TG_NOT_FOUND" } });
    const na = await srv.request("/validate");
    expect(na.status).toBe(405);
    expect(na.json()).toMatchObject({ error: { code: "TG_METHOD_NOT_ALLOWED" } });
  });

  it("survives a client that sends half a request and disconnects", async () => {
    const url = new URL(srv.url);
    await new Promise<void>((resolve, reject) => {
      const sock = connect({ host: url.hostname, port: Number(url.port), ca: srv.ca }, () => {
        sock.write(
          'POST /validate HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"kind":',
        );
        setTimeout(() => sock.destroy(), 50);
      });
      sock.on("close", () => resolve());
      sock.on("error", reject);
    });
    const ok = await srv.request("/healthz");
    expect(ok.status).toBe(200);
  });
});

describe("probes and metrics", () => {
  it("is healthy and ready with the example directory", async () => {
    expect((await srv.request("/healthz")).json()).toEqual({ status: "ok" });
    const ready = await srv.request("/readyz");
    expect(ready.status).toBe(200);
    expect(ready.json()).toMatchObject({ status: "ready" });
  });

  it("counts reviews by route, kind, operation and decision, and findings by rule code", async () => {
    await post("/validate", podWithTenantLabel("team-beta"));
    const text = (await srv.request("/metrics")).text;
    expect(text).toMatch(
      /tenant_guard_admission_requests_total\{route="\/validate",kind="Pod",operation="CREATE",decision="denied",dry_run="false"\} \d+/,
    );
    expect(text).toMatch(
      /tenant_guard_rule_findings_total\{route="\/validate",rule="TG-TENANT-LABEL",mode="Enforce",dry_run="false"\} \d+/,
    );
    expect(text).toMatch(
      /tenant_guard_admission_duration_seconds_bucket\{le="0.001",route="\/validate"\} \d+/,
    );
    expect(text).toMatch(/tenant_guard_http_errors_total\{route="\/validate",code="TG_INVALID_JSON"\} \d+/);
    expect(text).toMatch(/tenant_guard_directory_ready 1/);
  });
});
