// Bearer JWT verification through the real server with jose: issuer, audience, expiry with clock
// tolerance, signature, a JWKS file that is reloaded when it changes, and a JWKS URL that is
// cached and refetched when a token names a key it has not seen (rotation).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadReview } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

interface Key {
  readonly kid: string;
  readonly priv: CryptoKey;
  readonly jwk: JWK;
}
async function newKey(kid: string): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  return { kid, priv: privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" } };
}
const ISS = "https://issuer.example.com";
const AUD = "tenant-guard";
async function token(k: Key, claims: { iss?: string; aud?: string; exp?: number } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sub: "system:kube-apiserver" })
    .setProtectedHeader({ alg: "ES256", kid: k.kid })
    .setIssuer(claims.iss ?? ISS)
    .setAudience(claims.aud ?? AUD)
    .setIssuedAt(now - 60)
    .setExpirationTime(claims.exp ?? now + 300)
    .sign(k.priv);
}
const body = JSON.stringify(loadReview("pod-create"));
function post(srv: TestServer, bearer?: string) {
  return srv.request("/validate", {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }),
    },
  });
}
async function until(what: () => Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > end) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("JWT from a JWKS file", () => {
  let srv: TestServer;
  let k1: Key;
  let k2: Key;
  let dir: string;
  const writeJwks = (keys: JWK[] | string): void => {
    // like a ConfigMap volume update: write aside, then rename over
    writeFileSync(join(dir, "jwks.tmp"), typeof keys === "string" ? keys : JSON.stringify({ keys }));
    renameSync(join(dir, "jwks.tmp"), join(dir, "jwks.json"));
  };
  beforeAll(async () => {
    [k1, k2] = await Promise.all([newKey("k1"), newKey("k2")]);
    dir = mkdtempSync(join(tmpdir(), "tg-jwt-"));
    writeJwks([k1.jwk]);
    srv = await startTestServer({
      server: { jwks: join(dir, "jwks.json") },
      auth: { jwt: { issuer: ISS, audience: AUD, clockToleranceSec: 30 } },
    });
  });
  afterAll(async () => {
    await srv?.close();
  });

  it("serves a valid token and refuses a missing one with 401 and WWW-Authenticate", async () => {
    expect((await post(srv, await token(k1))).status).toBe(200);
    const none = await post(srv);
    expect(none.status).toBe(401);
    expect(none.headers["www-authenticate"]).toBe('Bearer realm="tenant-guard"');
    expect(none.json<{ error: { code: string } }>().error.code).toBe("TG_UNAUTHENTICATED");
  });

  it("checks issuer, audience, expiry (with clock tolerance) and signature", async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, string][] = [
      [await token(k1, { aud: "someone-else" }), "token_claims"],
      [await token(k1, { iss: "https://evil.example.com" }), "token_claims"],
      [await token(k1, { exp: now - 120 }), "token_expired"],
      [await token(k2), "token_signature"], // k2 is not in the file yet
      ["not.a.jwt", "token_invalid"],
      // a token that never expires is not accepted
      [
        await new SignJWT({})
          .setProtectedHeader({ alg: "ES256", kid: k1.kid })
          .setIssuer(ISS)
          .setAudience(AUD)
          .sign(k1.priv),
        "token_claims",
      ],
      // alg "none": refused as an algorithm not on the list, before any claim is trusted
      ["eyJhbGciOiJub25lIn0.eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlLmNvbSJ9.", "token_signature"],
    ];
    for (const [t, reason] of cases) {
      const res = await post(srv, t);
      expect(res.status, reason).toBe(401);
      expect(res.text).toContain(reason);
    }
    // 10 s past expiry is inside the 30 s tolerance
    expect((await post(srv, await token(k1, { exp: now - 10 }))).status).toBe(200);
  });

  it("picks up a rotated JWKS file, and keeps the old keys when the new file is broken", async () => {
    const t1 = await token(k1);
    expect((await post(srv, t1)).status).toBe(200);
    expect((await post(srv, t1)).status).toBe(200); // now from the verified-token cache
    writeJwks([k2.jwk]);
    const t2 = await token(k2);
    await until(async () => (await post(srv, t2)).status === 200);
    expect((await post(srv, t1)).status).toBe(401); // k1 was removed: the cached verdict is dropped too
    expect((await post(srv, await token(k1))).status).toBe(401);
    writeJwks("{ this is not json");
    await until(async () =>
      srv.logs.some((l) => l.msg === "new JWKS file rejected; still using the previous keys"),
    );
    expect((await post(srv, t2)).status).toBe(200);
  });

  it("counts refusals by reason and never logs the token", async () => {
    const metrics = await srv.request("/metrics");
    expect(metrics.text).toMatch(
      /tenant_guard_auth_failures_total\{route="\/validate",reason="token_missing"\} 1/,
    );
    expect(metrics.text).toMatch(
      /tenant_guard_auth_failures_total\{route="\/validate",reason="token_claims"\} 3/,
    );
    const t = await token(k1);
    await post(srv, t);
    expect(srv.rawLogs()).not.toContain(t.split(".")[2]);
  });
});

describe("JWT from a JWKS URL", () => {
  let srv: TestServer;
  let jwksServer: Server;
  let served: JWK[] = [];
  let fetches = 0;
  let k1: Key;
  let k2: Key;
  beforeAll(async () => {
    [k1, k2] = await Promise.all([newKey("r1"), newKey("r2")]);
    served = [k1.jwk];
    jwksServer = createServer((_req, res) => {
      fetches++;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ keys: served }));
    });
    await new Promise<void>((r) => jwksServer.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/openid/v1/jwks`;
    srv = await startTestServer({
      server: { jwks: url },
      auth: { jwt: { issuer: ISS, audience: [AUD, "other"], cooldownSec: 0 } },
    });
  });
  afterAll(async () => {
    await srv?.close();
    jwksServer?.close();
  });

  it("caches the key set across requests", async () => {
    const t = await token(k1);
    for (let i = 0; i < 5; i++) expect((await post(srv, t)).status).toBe(200);
    expect(fetches).toBe(1);
  });

  it("refetches when a token names a new key (rotation), without a restart", async () => {
    served = [k1.jwk, k2.jwk];
    expect((await post(srv, await token(k2))).status).toBe(200);
    expect(fetches).toBe(2);
  });
});
