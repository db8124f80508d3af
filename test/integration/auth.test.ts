// Caller authentication policy: mTLS and JWT together ("any" or "all"), which routes need a caller
// (probes and metrics are configurable), and the config checks that keep a JWT setup meaningful.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildConfig } from "../../src/policy/config.ts";
import { loadReview } from "../support/fixtures.ts";
import { makeCa, makeLeaf, type Pem } from "../support/pki.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

let dir: string;
let serverCa: Pem;
let client: Pem;
let token: string;
const servers: TestServer[] = [];
const body = JSON.stringify(loadReview("pod-create"));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "tg-auth-"));
  serverCa = await makeCa("server-ca");
  const clientCa = await makeCa("client-ca");
  const leaf = await makeLeaf(serverCa, { cn: "tenant-guard", usage: "server" });
  client = await makeLeaf(clientCa, { cn: "kube-apiserver", usage: "client" });
  writeFileSync(join(dir, "tls.crt"), leaf.cert);
  writeFileSync(join(dir, "tls.key"), leaf.key);
  writeFileSync(join(dir, "client-ca.crt"), clientCa.cert);
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  writeFileSync(
    join(dir, "jwks.json"),
    JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: "a" }] }),
  );
  token = await new SignJWT({})
    .setProtectedHeader({ alg: "ES256", kid: "a" })
    .setIssuer("https://iss")
    .setAudience("tg")
    .setExpirationTime("5m")
    .sign(privateKey);
});
afterAll(async () => {
  for (const s of servers) await s.close();
});

async function server(auth: Record<string, unknown>): Promise<TestServer> {
  const s = await startTestServer({
    server: {
      tlsCert: join(dir, "tls.crt"),
      tlsKey: join(dir, "tls.key"),
      clientCa: join(dir, "client-ca.crt"),
      jwks: join(dir, "jwks.json"),
    },
    auth: { jwt: { issuer: "https://iss", audience: "tg" }, ...auth },
  });
  servers.push(s);
  return s;
}

function call(s: TestServer, path: string, creds: { cert?: boolean; token?: boolean }): Promise<number> {
  const post = path === "/validate";
  return s
    .request(path, {
      ca: serverCa.cert,
      method: post ? "POST" : "GET",
      body: post ? body : undefined,
      headers: {
        "content-type": "application/json",
        ...(creds.token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(creds.cert ? { cert: client.cert, key: client.key } : {}),
    })
    .then((r) => r.status);
}

describe("mTLS and JWT together", () => {
  it('require "any": either credential is enough, none is refused', async () => {
    const s = await server({ require: "any" });
    expect(await call(s, "/validate", { cert: true })).toBe(200);
    expect(await call(s, "/validate", { token: true })).toBe(200);
    expect(await call(s, "/validate", {})).toBe(401);
  });

  it('require "all": both are needed', async () => {
    const s = await server({ require: "all" });
    expect(await call(s, "/validate", { cert: true, token: true })).toBe(200);
    expect(await call(s, "/validate", { cert: true })).toBe(401);
    expect(await call(s, "/validate", { token: true })).toBe(401);
  });
});

describe("which routes need a caller", () => {
  it("probes and metrics are open by default, closed when configured", async () => {
    const open = await server({});
    for (const p of ["/healthz", "/readyz", "/metrics"]) expect(await call(open, p, {}), p).toBe(200);
    const closed = await server({ probesRequireAuth: true, metricsRequireAuth: true });
    for (const p of ["/healthz", "/readyz", "/metrics"]) {
      expect(await call(closed, p, {}), p).toBe(401);
      expect(await call(closed, p, { cert: true }), p).toBe(200);
    }
  });
});

describe("config", () => {
  it("refuses a JWKS without issuer and audience (any token the key signed would pass)", () => {
    expect(() => buildConfig(undefined, { server: { jwks: "/etc/jwks.json" } })).toThrow(
      /auth\.jwt\.issuer: required when server\.jwks is set.*auth\.jwt\.audience/,
    );
    expect(() =>
      buildConfig(undefined, {
        server: { jwks: "/j" },
        auth: { jwt: { issuer: "i", audience: ["a", "b"] } },
      }),
    ).not.toThrow();
  });

  it("refuses to start on an unreadable client CA or JWKS file", async () => {
    await expect(startTestServer({ server: { clientCa: join(dir, "missing.crt") } })).rejects.toThrow(
      /cannot read client CA/,
    );
    writeFileSync(join(dir, "bad-jwks.json"), '{"keys": []}');
    await expect(
      startTestServer({
        server: { jwks: join(dir, "bad-jwks.json") },
        auth: { jwt: { issuer: "i", audience: "a" } },
      }),
    ).rejects.toThrow(/not a JWKS/);
  });
});
