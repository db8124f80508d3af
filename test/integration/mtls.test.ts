// Mutual TLS through the real server: /validate and /mutate need a client certificate from the
// configured CA; the kubelet's probes (no certificate) still reach /healthz and /readyz.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, request as httpsRequestRaw } from "node:https";
import type { TLSSocket } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadReview } from "../support/fixtures.ts";
import { makeCa, makeLeaf, type Pem } from "../support/pki.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let srv: TestServer;
let serverCa: Pem;
let apiserver: Pem; // the API server's client certificate, from the trusted client CA
let rogue: Pem; // same CN, but from a CA the server does not trust
let otherName: Pem; // trusted CA, but a name not in auth.clientNames
const body = JSON.stringify(loadReview("pod-create"));

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "tg-mtls-"));
  serverCa = await makeCa("server-ca");
  const clientCa = await makeCa("client-ca");
  const leaf = await makeLeaf(serverCa, { cn: "tenant-guard", usage: "server" });
  apiserver = await makeLeaf(clientCa, { cn: "kube-apiserver", usage: "client" });
  otherName = await makeLeaf(clientCa, { cn: "someone-else", usage: "client" });
  rogue = await makeLeaf(await makeCa("rogue-ca"), { cn: "kube-apiserver", usage: "client" });
  writeFileSync(join(dir, "tls.crt"), leaf.cert);
  writeFileSync(join(dir, "tls.key"), leaf.key);
  writeFileSync(join(dir, "client-ca.crt"), clientCa.cert);
  srv = await startTestServer({
    server: {
      tlsCert: join(dir, "tls.crt"),
      tlsKey: join(dir, "tls.key"),
      clientCa: join(dir, "client-ca.crt"),
    },
    auth: { clientNames: ["kube-apiserver"] },
  });
});
afterAll(async () => {
  await srv?.close();
});

function call(path: string, client?: Pem) {
  return srv.request(path, {
    ca: serverCa.cert,
    method: path === "/validate" || path === "/mutate" ? "POST" : "GET",
    body: path === "/validate" || path === "/mutate" ? body : undefined,
    headers: { "content-type": "application/json" },
    ...(client === undefined ? {} : { cert: client.cert, key: client.key }),
  });
}

describe("mutual TLS", () => {
  it("serves /validate and /mutate to a client certificate from the configured CA", async () => {
    for (const path of ["/validate", "/mutate"]) {
      const res = await call(path, apiserver);
      expect(res.status).toBe(200);
      expect(res.json<{ response: { uid: string } }>().response.uid).toBe(
        loadReview("pod-create").request.uid,
      );
    }
  });

  it("refuses a call without a client certificate with 401 TG_UNAUTHENTICATED", async () => {
    const res = await call("/validate", undefined);
    expect(res.status).toBe(401);
    expect(res.headers.connection).toBe("close");
    expect(res.json()).toEqual({
      error: {
        code: "TG_UNAUTHENTICATED",
        status: 401,
        message: "caller is not authenticated: client_cert_missing",
      },
    });
  });

  it("refuses a certificate from another CA, and one from the CA with a name not allowed", async () => {
    const untrusted = await call("/mutate", rogue);
    expect(untrusted.status).toBe(401);
    expect(untrusted.text).toContain("client_cert_untrusted");
    const wrongName = await call("/validate", otherName);
    expect(wrongName.status).toBe(401);
    expect(wrongName.text).toContain("client_cert_name");
  });

  it("answers the kubelet's probes and Prometheus without a certificate (defaults)", async () => {
    expect((await call("/healthz")).status).toBe(200);
    expect((await call("/readyz")).status).toBe(200);
    const metrics = await call("/metrics");
    expect(metrics.status).toBe(200);
    // every refusal above was counted, by reason
    expect(metrics.text).toMatch(
      /tenant_guard_auth_failures_total\{route="\/validate",reason="client_cert_missing"\} [1-9]/,
    );
    expect(metrics.text).toMatch(
      /tenant_guard_auth_failures_total\{route="\/mutate",reason="client_cert_untrusted"\} 1/,
    );
    expect(metrics.text).toMatch(
      /tenant_guard_serving_cert_expiry_timestamp_seconds\{file="client-ca"\} \d+/,
    );
  });

  it("keeps the client identity on a resumed TLS session, and refuses one without a certificate", async () => {
    const once = (agent: Agent, client?: Pem) =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const req = httpsRequestRaw(
          `${srv.url}/validate`,
          {
            method: "POST",
            agent,
            ca: serverCa.cert,
            headers: { "content-type": "application/json" },
            ...(client === undefined ? {} : { cert: client.cert, key: client.key }),
          },
          (res) => {
            res.resume();
            res.on("end", () =>
              resolve({ status: res.statusCode ?? 0, reused: (res.socket as TLSSocket).isSessionReused() }),
            );
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    // a new connection per request, with the agent's TLS session cache
    const withCert = new Agent({ keepAlive: false });
    const first = await once(withCert, apiserver);
    const second = await once(withCert, apiserver);
    expect(first).toEqual({ status: 200, reused: false });
    expect(second).toEqual({ status: 200, reused: true });
    const without = new Agent({ keepAlive: false });
    await once(without);
    expect(await once(without)).toEqual({ status: 401, reused: true });
  });

  it("logs each refusal with its reason and the peer address", () => {
    const refusals = srv.logs.filter((l) => l.msg === "caller refused: not authenticated");
    expect(refusals.length).toBeGreaterThanOrEqual(3);
    expect(refusals.map((l) => l.reason)).toEqual(
      expect.arrayContaining(["client_cert_missing", "client_cert_untrusted", "client_cert_name"]),
    );
    expect(refusals[0]?.remote).toBe("127.0.0.1");
  });
});
