// Network boundaries (issue 22) through the real HTTPS server (port 0, examples/cluster.yaml) with
// real-shaped AdmissionReviews from test/fixtures/admission/network/: each crossing is denied with
// its code, a message naming the object and tenants, and the field; its twin is allowed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadReview, patchOf } from "../support/fixtures.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

interface ReviewOut {
  response: {
    uid: string;
    allowed: boolean;
    patch?: string;
    status?: { code: number; message: string };
    auditAnnotations?: Record<string, string>;
  };
}

const NETWORK_CODES = new Set([
  "TG-SVC-TYPE",
  "TG-SVC-EXTERNAL-IP",
  "TG-ENDPOINTS-ADDRESS",
  "TG-INGRESS-CLASS",
  "TG-INGRESS-HOSTNAME",
  "TG-GATEWAY-CLASS",
  "TG-GATEWAY-HOSTNAME",
  "TG-ROUTE-CROSS-TENANT",
]);
const CLUSTER_CIDRS = ["10.244.0.0/16", "10.96.0.0/12", "fd00:10:244::/56"];

let srv: TestServer;
let noRanges: TestServer;
beforeAll(async () => {
  [srv, noRanges] = await Promise.all([
    startTestServer({ network: { clusterCIDRs: CLUSTER_CIDRS } }),
    startTestServer(),
  ]);
});
afterAll(async () => {
  await Promise.all([srv.close(), noRanges.close()]);
});

async function validate(
  fixture: string,
  server = srv,
  path: "/validate" | "/mutate" = "/validate",
): Promise<ReviewOut["response"]> {
  const review = loadReview(`network/${fixture}`);
  const res = await server.review(path, review);
  expect(res.status).toBe(200);
  const out = res.json<ReviewOut>().response;
  expect(out.uid).toBe(review.request.uid);
  return out;
}

function codes(text: string | undefined): string[] {
  return [...(text ?? "").matchAll(/\[(TG-[A-Z-]+)\]/g)].map((m) => m[1] as string);
}

/** Network codes anywhere in the answer: a denial's message or an allowed answer's annotations. */
function networkFindings(r: ReviewOut["response"]): string[] {
  const all = [r.status?.message, ...Object.values(r.auditAnnotations ?? {})].flatMap(codes);
  return all.filter((c) => NETWORK_CODES.has(c));
}

describe("Services: type and external IPs", () => {
  it.each([
    ["service-nodeport", ["TG-SVC-TYPE"], ['service "checkout-debug"', 'tenant "team-alpha"', "NodePort"]],
    ["service-externalname", ["TG-SVC-TYPE"], ['tenant "team-gamma"', "ExternalName", "allowedTypes"]],
    [
      "service-external-ip-cross-tenant",
      ["TG-SVC-EXTERNAL-IP"],
      ['"198.51.100.7"', 'tenant "team-beta"', "CVE-2020-8554"],
    ],
    [
      "service-external-ip-unconfigured",
      ["TG-SVC-EXTERNAL-IP"],
      ['"2001:db8::10"', 'tenant "team-gamma" has no spec.services.allowedExternalIPs'],
    ],
    ["service-update-to-nodeport", ["TG-SVC-TYPE"], ['service "checkout-api"', "NodePort"]],
  ])("%s is denied", async (fixture, want, words) => {
    const r = await validate(fixture);
    expect(r.allowed).toBe(false);
    expect(codes(r.status?.message)).toEqual(want);
    for (const w of words) expect(r.status?.message).toContain(w);
  });

  it.each([
    "service-loadbalancer-own-ip",
    "service-clusterip-gamma",
    "service-external-ip-own",
    "service-update-grandfathered-nodeport",
  ])("%s is allowed without a network finding", async (fixture) => {
    const r = await validate(fixture);
    expect(r.allowed).toBe(true);
    expect(networkFindings(r)).toEqual([]);
  });

  it("names the field of the address that crossed", async () => {
    const r = await validate("service-external-ip-cross-tenant");
    expect(r.status?.message).toContain("spec.externalIPs[1]");
    expect(r.status?.message).not.toContain("203.0.113.7");
  });
});

describe("hand-written Endpoints and EndpointSlices inside network.clusterCIDRs", () => {
  it.each([
    ["endpoints-pod-ip", ["subsets[0].notReadyAddresses[0].ip", "10.244.3.17", "10.244.0.0/16"]],
    ["endpointslice-pod-ipv6", ["endpoints[1].addresses[0]", "fd00:10:244:0:1::9", "fd00:10:244::/56"]],
    ["endpoints-update-adds-service-ip", ["subsets[0].addresses[1].ip", "10.96.0.10", "10.96.0.0/12"]],
  ])("%s is denied", async (fixture, words) => {
    const r = await validate(fixture);
    expect(r.allowed).toBe(false);
    expect(codes(r.status?.message)).toEqual(["TG-ENDPOINTS-ADDRESS"]);
    for (const w of words) expect(r.status?.message).toContain(w);
    expect(r.status?.message).toContain('tenant "team-alpha"');
  });

  it.each([
    "endpoints-external",
    "endpointslice-external-ipv6",
    "endpointslice-controller",
    "endpoints-update-grandfathered",
  ])("%s is allowed without a network finding", async (fixture) => {
    const r = await validate(fixture);
    expect(r.allowed).toBe(true);
    expect(networkFindings(r)).toEqual([]);
  });

  it("checks nothing while network.clusterCIDRs is empty (the default)", async () => {
    const r = await validate("endpoints-pod-ip", noRanges);
    expect(r.allowed).toBe(true);
    expect(networkFindings(r)).toEqual([]);
  });
});

describe("Ingress classes and hosts", () => {
  it.each([
    ["ingress-class-other", "TG-INGRESS-CLASS", ['"nginx-beta"', "spec.ingressClassName", "nginx-internal"]],
    [
      "ingress-class-annotation-other",
      "TG-INGRESS-CLASS",
      ['"nginx-beta"', 'metadata.annotations["kubernetes.io/ingress.class"]'],
    ],
    ["ingress-no-class", "TG-INGRESS-CLASS", ["names no ingress class", 'tenant "team-alpha"']],
    ["ingress-host-lookalike", "TG-INGRESS-HOSTNAME", ['"evil-alpha.example.com"', "spec.tls[0].hosts[1]"]],
    ["ingress-host-two-labels", "TG-INGRESS-HOSTNAME", ['"a.b.alpha.example.com"', "spec.rules[0].host"]],
    ["ingress-update-adds-host", "TG-INGRESS-HOSTNAME", ['"models.beta.example.com"', "spec.rules[1].host"]],
  ])("%s is denied", async (fixture, code, words) => {
    const r = await validate(fixture);
    expect(r.allowed).toBe(false);
    expect(codes(r.status?.message)).toEqual([code]);
    for (const w of words) expect(r.status?.message).toContain(w);
  });

  it.each([
    "ingress-class-own",
    "ingress-host-own",
    "ingress-no-class-gamma",
    "ingress-update-grandfathered-host",
  ])("%s is allowed without a network finding", async (fixture) => {
    const r = await validate(fixture);
    expect(r.allowed).toBe(true);
    expect(networkFindings(r)).toEqual([]);
  });

  it("/mutate gives a classless Ingress its tenant's defaultClass, which /validate then allows", async () => {
    const r = await validate("ingress-no-class", srv, "/mutate");
    expect(r.allowed).toBe(true);
    expect(patchOf(r)).toEqual([{ op: "add", path: "/spec/ingressClassName", value: "nginx-internal" }]);
    const review = loadReview("network/ingress-no-class");
    (review.request.object!.spec as Record<string, unknown>).ingressClassName = "nginx-internal";
    const out = (await srv.review("/validate", review)).json<ReviewOut>().response;
    expect(out.allowed).toBe(true);
    expect(networkFindings(out)).toEqual([]);
  });

  it("/mutate leaves an Ingress alone when it names a class or its tenant has no default", async () => {
    for (const f of ["ingress-class-other", "ingress-class-annotation-other", "ingress-no-class-gamma"]) {
      const r = await validate(f, srv, "/mutate");
      expect(r.allowed, f).toBe(true);
      expect(patchOf(r), f).toEqual([]);
    }
  });
});

describe("Gateway API: classes, hostnames and routes into another tenant", () => {
  it.each([
    ["gateway-class-other", "TG-GATEWAY-CLASS", ['"beta-gateway"', "spec.gatewayClassName"]],
    [
      "gateway-listener-host-other",
      "TG-GATEWAY-HOSTNAME",
      ['"notebooks.beta.example.com"', "spec.listeners[1].hostname"],
    ],
    ["grpcroute-host-other", "TG-GATEWAY-HOSTNAME", ['"evil-alpha.example.com"', "spec.hostnames[0]"]],
    [
      "httproute-parent-cross-tenant",
      "TG-ROUTE-CROSS-TENANT",
      ['Gateway "beta-gw"', 'tenant "team-beta"', "spec.parentRefs[0].namespace", "sharedWith"],
    ],
    [
      "httproute-backend-cross-tenant",
      "TG-ROUTE-CROSS-TENANT",
      ['backend "notebooks"', 'namespace "beta-research"', "spec.rules[0].backendRefs[0].namespace"],
    ],
    [
      "httproute-mirror-cross-tenant",
      "TG-ROUTE-CROSS-TENANT",
      [
        'mirrors traffic to backend "notebooks"',
        "spec.rules[0].filters[1].requestMirror.backendRef.namespace",
      ],
    ],
    [
      "grpcroute-backend-mirror-cross-tenant",
      "TG-ROUTE-CROSS-TENANT",
      ['tenant "team-beta"', "spec.rules[0].backendRefs[0].filters[0].requestMirror.backendRef.namespace"],
    ],
    // The other Gateway API v1 kinds and reference fields (gateway-api v1.6 standard channel).
    [
      "tlsroute-parent-cross-tenant",
      "TG-ROUTE-CROSS-TENANT",
      ['tlsroute "alpha-db"', 'attaches to Gateway "beta-gw"', "spec.parentRefs[0].namespace"],
    ],
    [
      "tlsroute-host-other",
      "TG-GATEWAY-HOSTNAME",
      ['"db.beta.example.com"', "spec.hostnames[0]", "allowedHostnames"],
    ],
    [
      "tcproute-backend-cross-tenant",
      "TG-ROUTE-CROSS-TENANT",
      ['sends traffic to backend "beta-postgres"', "spec.rules[0].backendRefs[0].namespace"],
    ],
    [
      "udproute-backend-cross-tenant",
      "TG-ROUTE-CROSS-TENANT",
      ['backend "coredns-beta"', 'tenant "team-beta"', "spec.rules[0].backendRefs[0].namespace"],
    ],
    [
      "httproute-external-auth-cross-tenant",
      "TG-ROUTE-CROSS-TENANT",
      ['backend "beta-authz"', "spec.rules[0].filters[0].externalAuth.backendRef.namespace"],
    ],
    [
      "gateway-certificate-cross-tenant",
      "TG-ROUTE-CROSS-TENANT",
      ['uses certificate Secret "beta-gw-tls"', "spec.listeners[0].tls.certificateRefs[0].namespace"],
    ],
    [
      "listenerset-parent-cross-tenant",
      "TG-ROUTE-CROSS-TENANT",
      ['listenerset "alpha-extra"', 'attaches to Gateway "beta-gw"', "spec.parentRef.namespace"],
    ],
    [
      "listenerset-host-other",
      "TG-GATEWAY-HOSTNAME",
      ['"notebooks.beta.example.com"', "spec.listeners[0].hostname"],
    ],
    [
      "gateway-address-cross-tenant",
      "TG-SVC-EXTERNAL-IP",
      ['"198.51.100.9"', 'tenant "team-beta"', "spec.addresses[0].value", "a Gateway given an address"],
    ],
  ])("%s is denied", async (fixture, code, words) => {
    const r = await validate(fixture);
    expect(r.allowed).toBe(false);
    expect(codes(r.status?.message)).toEqual([code]);
    for (const w of words) expect(r.status?.message).toContain(w);
  });

  it.each([
    "gateway-own",
    "grpcroute-own",
    "httproute-platform-gateway",
    "httproute-shared",
    "httproute-mirror-own",
    "tlsroute-own",
    "tcproute-shared", // team-beta lists team-gamma in sharedWith
    "gateway-own-certificate-and-address", // own Secret, an address in team-alpha's allowedExternalIPs
    "listenerset-platform-gateway", // a Gateway in a namespace no tenant owns
  ])("%s is allowed without a network finding", async (fixture) => {
    const r = await validate(fixture);
    expect(r.allowed).toBe(true);
    expect(networkFindings(r)).toEqual([]);
  });
});
