// No leaks: Secret data/stringData, TokenRequest tokens and bearer tokens sent through the real
// server never appear in its logs (at debug level), in any response body or in /metrics, whether
// the request is allowed, denied, malformed or refused.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadReview, type ReviewJson } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const SECRET_B64 = "c3VwZXItc2VjcmV0LXBhc3N3b3JkLTQy"; // "super-secret-password-42"
const SECRET_PLAIN = "super-secret-password-42";
const STRING_DATA = "hunter2-stringdata-value-9f8e7d";
const SA_TOKEN =
  "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2lnbmF0dXJlLXRva2VuLXJlcXVlc3Q";
const WRONG_BEARER = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.Zm9yZ2VkLXNpZ25hdHVyZS12YWx1ZQ";

let srv: TestServer;
let bearer: string;
const bodies: string[] = [];

function secretReview(mutate?: (r: ReviewJson) => void): ReviewJson {
  const r = loadReview("secret-create");
  const obj = r.request.object as Record<string, unknown>;
  obj.data = { password: SECRET_B64, AWS_SECRET_ACCESS_KEY: SECRET_B64 };
  obj.stringData = { "config.yaml": STRING_DATA };
  mutate?.(r);
  return r;
}

async function send(path: string, body: string, token: string | undefined = bearer) {
  const res = await srv.request(path, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
  });
  bodies.push(res.text);
  return res;
}

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const dir = mkdtempSync(join(tmpdir(), "tg-leaks-"));
  writeFileSync(
    join(dir, "jwks.json"),
    JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: "k" }] }),
  );
  bearer = await new SignJWT({})
    .setProtectedHeader({ alg: "ES256", kid: "k" })
    .setIssuer("https://issuer.test")
    .setAudience("tenant-guard")
    .setExpirationTime("5m")
    .sign(privateKey);
  srv = await startTestServer({
    server: { jwks: join(dir, "jwks.json") },
    auth: { jwt: { issuer: "https://issuer.test", audience: "tenant-guard" } },
    log: { level: "trace" },
  });
});
afterAll(async () => {
  await srv?.close();
});

describe("secrets and tokens never leak", () => {
  it("through allowed, denied, malformed and unauthenticated requests", async () => {
    // allowed and denied Secrets (create and update, with oldObject)
    expect((await send("/validate", JSON.stringify(secretReview()))).status).toBe(200);
    const crossTenant = secretReview((r) => {
      (r.request.object as { metadata: { labels: Record<string, string> } }).metadata.labels[
        "tenant-guard.dev/tenant"
      ] = "team-beta";
    });
    const denied = await send("/validate", JSON.stringify(crossTenant));
    expect(denied.json<{ response: { allowed: boolean } }>().response.allowed).toBe(false);
    const update = secretReview((r) => {
      r.request.operation = "UPDATE";
      r.request.oldObject = structuredClone(r.request.object);
    });
    expect((await send("/mutate", JSON.stringify(update))).status).toBe(200);
    // a TokenRequest whose status carries a token
    const tr = loadReview("tokenrequest-create");
    (tr.request.object as { status: { token: string } }).status.token = SA_TOKEN;
    expect((await send("/validate", JSON.stringify(tr))).status).toBe(200);
    // malformed: an unquoted secret value (V8's parse error quotes the text around it), truncated
    // JSON, a wrong-typed field
    const full = JSON.stringify(secretReview());
    const unquoted = await send("/validate", full.replace(`"${SECRET_B64}"`, SECRET_B64));
    expect(unquoted.status).toBe(400);
    expect(unquoted.text).toContain("TG_INVALID_JSON");
    const cut = await send("/validate", full.slice(0, full.indexOf(SECRET_B64) + 8));
    expect(cut.status).toBe(400);
    const wrongType = secretReview((r) => {
      (r.request as Record<string, unknown>).dryRun = SECRET_PLAIN;
    });
    expect((await send("/validate", JSON.stringify(wrongType))).status).toBe(400);
    // refused callers: a forged bearer token, and a token in a malformed header
    expect((await send("/validate", full, WRONG_BEARER)).status).toBe(401);
    expect((await send("/validate", full, `${SA_TOKEN} extra`)).status).toBe(401);

    const metrics = await srv.request("/metrics");
    bodies.push(metrics.text);
    const logs = srv.rawLogs();
    expect(logs.length).toBeGreaterThan(1000); // trace level: there is plenty to look through
    for (const value of [SECRET_B64, SECRET_PLAIN, STRING_DATA, SA_TOKEN, WRONG_BEARER, bearer]) {
      expect(logs, `log leaks ${value.slice(0, 12)}…`).not.toContain(value);
      for (const b of bodies) expect(b, `response leaks ${value.slice(0, 12)}…`).not.toContain(value);
    }
    // not even a fragment: the signature part alone is what makes a token usable, and V8 quotes
    // ten characters of the input around a JSON syntax error
    expect(logs).not.toContain(bearer.split(".")[2]);
    for (const b of [logs, ...bodies]) expect(b).not.toContain(SECRET_B64.slice(0, 8));
  });
});
