// TG-HOSTNAME-COLLISION through the real HTTPS server (port 0) on the demo world, whose
// Ingress team-alpha/shop, Gateway alpha-train/alpha-models ("*.models.alpha.example.com"),
// HTTPRoute beta-research/research-site and the platform Gateway in the unowned shared-tools
// namespace ("*.example.com") are the claims. Each denial has an allowed twin.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadReview } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

interface Out {
  uid: string;
  allowed: boolean;
  status?: { code: number; message: string };
  auditAnnotations?: Record<string, string>;
}

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv.close();
});

async function validate(fixture: string): Promise<Out> {
  const review = loadReview(`hostnames/${fixture}`);
  const res = await srv.review("/validate", review);
  expect(res.status).toBe(200);
  const out = res.json<{ response: Out }>().response;
  expect(out.uid).toBe(review.request.uid);
  return out;
}

/** Codes in the denial's message, or (allowed) in any annotation. */
function codes(r: Out): string[] {
  const texts = r.allowed ? Object.values(r.auditAnnotations ?? {}) : [r.status?.message];
  return texts.flatMap((t) => [...(t ?? "").matchAll(/\[(TG-[A-Z-]+)\]/g)].map((m) => m[1] as string));
}

describe("TG-HOSTNAME-COLLISION: one host, one tenant", () => {
  it.each([
    [
      "ingress-tls-host-taken",
      ['"shop.alpha.example.com"', "Ingress team-alpha/shop", 'tenant "team-alpha"', 'tenant "team-gamma"'],
      "spec.tls[0].hosts[1]",
    ],
    ["httproute-wildcard-over-claim", ['"*.alpha.example.com"', 'tenant "team-alpha"'], "spec.hostnames[0]"],
    [
      "ingress-under-wildcard-listener",
      [
        '"llm.models.alpha.example.com"',
        "Gateway alpha-train/alpha-models",
        '(as "*.models.alpha.example.com")',
      ],
      "spec.rules[0].host",
    ],
    ["grpcroute-host-taken", ["grpcroute", "Ingress team-alpha/shop"], "spec.hostnames[0]"],
    ["gateway-listener-taken", ["gateway", "Ingress team-alpha/shop"], "spec.listeners[1].hostname"],
    ["ingress-update-adds-taken", ["Ingress team-alpha/shop", "first claim wins"], "spec.rules[1].host"],
    ["tlsroute-host-taken", ["tlsroute", "Ingress team-alpha/shop"], "spec.hostnames[0]"],
    [
      "listenerset-listener-taken",
      ["listenerset", "Gateway alpha-train/alpha-models", '(as "*.models.alpha.example.com")'],
      "spec.listeners[0].hostname",
    ],
  ])("%s is denied, naming the other tenant and object", async (fixture, words, path) => {
    const r = await validate(fixture);
    expect(r.allowed).toBe(false);
    expect(r.status?.code).toBe(403);
    expect(codes(r)).toEqual(["TG-HOSTNAME-COLLISION"]);
    for (const w of words) expect(r.status?.message).toContain(w);
    expect(r.status?.message).toContain(path);
  });

  it.each([
    "ingress-free-host", // the unowned platform Gateway's "*.example.com" claims nothing
    "ingress-whole-labels", // models.alpha.example.com is not under *.models...; evil-alpha is not *.alpha
    "httproute-shared-tenant", // team-beta lists team-gamma in sharedWith
    "ingress-update-own-hosts", // team-alpha's shop re-claiming its own host
    "ingress-same-tenant-host", // another team-alpha namespace
    "ingress-unowned-namespace", // no tenant: not judged
  ])("%s is allowed without a collision", async (fixture) => {
    const r = await validate(fixture);
    expect(r.allowed).toBe(true);
    expect(codes(r)).toEqual([]);
  });
});
