// The pod rules through the real HTTPS server, against examples/cluster.yaml: for every rule code a
// real-shaped AdmissionReview that crosses the boundary (denied, with the field path) and its
// legitimate twin (allowed).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadReview } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

interface Answer {
  response: { uid: string; allowed: boolean; status?: { code: number; message: string } };
}

const codesIn = (message: string): string[] =>
  [...message.matchAll(/\[(TG-[A-Z-]+)\]/g)].map((m) => m[1] ?? "");

let server: TestServer;
let strict: TestServer;

beforeAll(async () => {
  [server, strict] = await Promise.all([
    startTestServer(),
    startTestServer({ tenancy: { unownedNamespaces: "deny" }, pods: { allowHostNamespaces: true } }),
  ]);
});
afterAll(async () => {
  await Promise.all([server?.close(), strict?.close()]);
});

async function validate(s: TestServer, fixture: string): Promise<Answer["response"]> {
  const review = loadReview(fixture);
  const res = await s.review("/validate", review);
  expect(res.status).toBe(200);
  const body = res.json<Answer>();
  expect(body.response.uid).toBe(review.request.uid);
  return body.response;
}

describe("pod rules through the real server", () => {
  it.each([
    [
      "pod/service-account-denied",
      "TG-POD-SERVICE-ACCOUNT",
      "(spec.serviceAccountName)",
      'tenant "team-beta"',
    ],
    [
      "pod/reference-denied",
      "TG-POD-REFERENCE",
      "(spec.containers[0].env[5].valueFrom.secretKeyRef.name)",
      '"beta-s3-creds"',
    ],
    ["pod/node-pool-denied", "TG-POD-NODE-POOL", '(spec.nodeSelector["tenant-guard.dev/pool"])', "beta-gpu"],
    ["pod/registry-denied", "TG-POD-REGISTRY", "(spec.containers[0].image)", "docker.io/library/nginx:1.27"],
    ["pod/registry-lookalike-denied", "TG-POD-REGISTRY", "(spec.containers[0].image)", "alpha-evil"],
    [
      "pod/resources-denied",
      "TG-POD-RESOURCES",
      '(spec.containers[0].resources.limits["nvidia.com/gpu"])',
      "maximum of 2",
    ],
    ["pod/host-namespace-denied", "TG-POD-HOST-NAMESPACE", "(spec.hostNetwork)", "hostNetwork"],
    ["pod/hostpath-denied", "TG-POD-HOSTPATH", "(spec.volumes[4].hostPath)", "/var/run/docker.sock"],
    [
      "pod/privileged-denied",
      "TG-POD-PRIVILEGED",
      "(spec.containers[1].securityContext.privileged)",
      '"envoy"',
    ],
    ["pod/ephemeral-debug-denied", "TG-POD-REGISTRY", "(spec.ephemeralContainers[0].image)", "netshoot"],
  ])("%s is denied with %s at its field", async (fixture, code, path, detail) => {
    const r = await validate(server, fixture);
    expect(r.allowed).toBe(false);
    expect(r.status?.code).toBe(403);
    const msg = r.status?.message ?? "";
    expect(new Set(codesIn(msg))).toEqual(new Set([code]));
    expect(msg).toContain(path);
    expect(msg).toContain(detail);
    // Boundary crossings name the namespace's tenant; host access is wrong for every tenant alike.
    if (!/HOST|PRIVILEGED/.test(code)) expect(msg).toContain('tenant "team-alpha"');
  });

  it("lists every finding of a pod, not just the first", async () => {
    const r = await validate(server, "pod/reference-denied");
    const msg = r.status?.message ?? "";
    expect(msg).toContain('"beta-scratch"');
    expect(msg).toContain('"beta-s3-creds"');
    expect(codesIn(msg)).toHaveLength(2);
  });

  it.each([
    "pod-create",
    "pod-update",
    "pod/reference-allowed",
    "pod/node-pool-allowed",
    "pod/resources-allowed",
    "pod/ephemeral-debug-allowed",
    "pod/unowned-namespace",
  ])("%s (the legitimate twin) is allowed", async (fixture) => {
    const r = await validate(server, fixture);
    expect(r.status?.message).toBeUndefined();
    expect(r.allowed).toBe(true);
  });

  it("denies a pod in an unowned namespace when tenancy.unownedNamespaces is deny", async () => {
    const r = await validate(strict, "pod/unowned-namespace");
    expect(r.allowed).toBe(false);
    expect(codesIn(r.status?.message ?? "")).toEqual(["TG-POD-UNOWNED-NAMESPACE"]);
    expect(r.status?.message).toContain('namespace "shared-tools", which no tenant owns');
  });

  it("keeps owned namespaces working under unownedNamespaces: deny", async () => {
    expect((await validate(strict, "pod-create")).allowed).toBe(true);
  });

  it("an UPDATE is judged on what it adds: a grandfathered pod can still be relabelled", async () => {
    expect((await validate(server, "pod/update-grandfathered-allowed")).allowed).toBe(true);
  });

  it("an UPDATE that adds a crossing to a grandfathered pod is denied for the new crossing only", async () => {
    const r = await validate(server, "pod/update-grandfathered-new-image-denied");
    expect(r.allowed).toBe(false);
    expect(codesIn(r.status?.message ?? "")).toEqual(["TG-POD-REGISTRY"]);
  });

  it("a pod being deleted is never blocked (finalizer removal would wedge)", async () => {
    expect((await validate(server, "pod/update-terminating-allowed")).allowed).toBe(true);
  });

  it("pods.allowHostNamespaces lets host networking through", async () => {
    expect((await validate(strict, "pod/host-namespace-denied")).allowed).toBe(true);
  });
});
