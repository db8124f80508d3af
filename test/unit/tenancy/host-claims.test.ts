// The host index: exact hosts, wildcards in both directions by whole labels, updates and deletes
// that free a host, ownership read from the namespace at lookup.
import { describe, expect, it } from "vitest";
import { buildIndexFromObjects } from "../../../src/tenancy/build.ts";
import { claimAge, HostClaims, hostClaimOf, UNKNOWN_AGE } from "../../../src/tenancy/host-claims.ts";

const same = (s: string): string => s;
const ingress = (ns: string, name: string, hosts: string[], tls: string[] = []) => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "Ingress",
  metadata: { name, namespace: ns, creationTimestamp: "2026-05-01T00:00:00Z" },
  spec: { rules: hosts.map((host) => ({ host })), tls: [{ hosts: tls }] },
});
const route = (kind: string, ns: string, name: string, hostnames: string[]) => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind,
  metadata: { name, namespace: ns },
  spec: { hostnames },
});
const ns = (name: string, tenant?: string) => ({
  apiVersion: "v1",
  kind: "Namespace",
  metadata: { name, labels: tenant ? { "tenant-guard.dev/tenant": tenant } : {} },
});
const SELF = { kind: "Ingress", namespace: "zz", name: "zz" };

describe("HostClaims", () => {
  const all = (h: HostClaims, host: string) => h.overlapping(host, () => true)?.name;

  it("finds exact hosts, wildcards above a host at any depth, and hosts beneath a wildcard", () => {
    const h = new HostClaims();
    h.set("Ingress", "a", "shop", hostClaimOf("Ingress", ingress("a", "shop", ["shop.a.example.com"]), same));
    h.set(
      "HTTPRoute",
      "a",
      "wild",
      hostClaimOf("HTTPRoute", route("HTTPRoute", "a", "wild", ["*.m.a.example.com"]), same),
    );
    expect(all(h, "shop.a.example.com")).toBe("shop");
    expect(all(h, "SHOP.a.example.com")).toBe("shop");
    expect(all(h, "x.m.a.example.com")).toBe("wild");
    expect(all(h, "x.y.m.a.example.com")).toBe("wild");
    expect(all(h, "*.a.example.com")).toBe("shop");
    expect(all(h, "*.example.com")).toBeDefined();
    expect(all(h, "*.m.a.example.com")).toBe("wild");
    // whole labels only; a wildcard does not cover its own domain
    expect(all(h, "m.a.example.com")).toBeUndefined();
    expect(all(h, "evil-m.a.example.com")).toBeUndefined();
    expect(all(h, "xshop.a.example.com")).toBeUndefined();
    expect(all(h, "*.shop.a.example.com")).toBeUndefined();
  });

  it("an update replaces the object's hosts and a delete frees them", () => {
    const h = new HostClaims();
    h.set("Ingress", "a", "shop", hostClaimOf("Ingress", ingress("a", "shop", ["one.example.com"]), same));
    h.set("Ingress", "a", "shop", hostClaimOf("Ingress", ingress("a", "shop", ["two.example.com"]), same));
    expect(all(h, "one.example.com")).toBeUndefined();
    expect(all(h, "*.example.com")).toBe("shop");
    expect(h.size).toBe(1);
    h.set("Ingress", "a", "shop", undefined);
    expect(all(h, "two.example.com")).toBeUndefined();
    expect(all(h, "*.example.com")).toBeUndefined();
    expect(h.size).toBe(0);
  });

  it("several claimants of one host: the oldest passing the filter, the next after a delete", () => {
    const h = new HostClaims();
    const at = (name: string, ts: string) => ({
      ...ingress("b", name, ["x.example.com"]),
      metadata: { name, namespace: "b", creationTimestamp: ts },
    });
    h.set("Ingress", "b", "new", hostClaimOf("Ingress", at("new", "2026-06-01T00:00:00Z"), same));
    h.set("Ingress", "b", "old", hostClaimOf("Ingress", at("old", "2026-01-01T00:00:00Z"), same));
    expect(all(h, "x.example.com")).toBe("old");
    expect(h.overlapping("x.example.com", (c) => c.name !== "old")?.name).toBe("new");
    h.set("Ingress", "b", "old", undefined);
    expect(all(h, "x.example.com")).toBe("new");
  });

  it("claimAge: seconds since 2015 as a small integer, unknown for missing or bad timestamps", () => {
    expect(claimAge("2015-01-01T00:01:00Z")).toBe(60);
    expect(claimAge(null)).toBe(UNKNOWN_AGE);
    expect(claimAge("yesterday")).toBe(UNKNOWN_AGE);
    expect(claimAge("x".repeat(1000))).toBe(UNKNOWN_AGE);
  });
});

describe("TenantIndex.hostConflict from a file world", () => {
  const world = () =>
    buildIndexFromObjects(
      [
        ns("a1", "alpha"),
        ns("b1", "beta"),
        ns("platform"),
        ingress("a1", "shop", ["shop.alpha.example.com"]),
        route("GRPCRoute", "b1", "api", ["*.beta.example.com"]),
        route("HTTPRoute", "platform", "all", ["*.example.com"]),
        ingress("b1", "ignored-kind-version", []),
      ],
      "tenant-guard.dev/tenant",
    );

  it("names another tenant's claim, never one's own, nor an unowned namespace's", () => {
    const v = world();
    expect(v.hostConflict("shop.alpha.example.com", "beta", SELF)).toMatchObject({
      tenant: "alpha",
      claim: { kind: "Ingress", namespace: "a1", name: "shop" },
    });
    expect(v.hostConflict("shop.alpha.example.com", "alpha", SELF)).toBeUndefined();
    expect(v.hostConflict("x.beta.example.com", "alpha", SELF)?.claim.name).toBe("api");
    expect(v.hostConflict("free.example.com", "alpha", SELF)).toBeUndefined();
    expect(v.counts().HostClaim).toBe(3);
  });

  it("reads the namespace's owner at lookup: relabelling moves the claim", () => {
    const v = world();
    v.upsertNamespace("a1", { "tenant-guard.dev/tenant": "beta" });
    expect(v.hostConflict("shop.alpha.example.com", "beta", SELF)).toBeUndefined();
    expect(v.hostConflict("shop.alpha.example.com", "alpha", SELF)?.tenant).toBe("beta");
  });

  it("excludes the object itself", () => {
    const v = world();
    expect(
      v.hostConflict("shop.alpha.example.com", "beta", { kind: "Ingress", namespace: "a1", name: "shop" }),
    ).toBeUndefined();
  });
});

describe("the Gateway API v1 kinds that claim hosts (gateway-api v1.6 standard channel)", () => {
  it("indexes TLSRoute SNI hostnames and ListenerSet listener hostnames; TCPRoute and UDPRoute claim none", () => {
    const v = buildIndexFromObjects(
      [
        ns("a1", "alpha"),
        route("TLSRoute", "a1", "db", ["db.alpha.example.com"]),
        {
          apiVersion: "gateway.networking.k8s.io/v1",
          kind: "ListenerSet",
          metadata: { name: "extra", namespace: "a1" },
          spec: {
            parentRef: { name: "shared", namespace: "infra" },
            listeners: [{ name: "web", port: 443, protocol: "HTTPS", hostname: "*.apps.alpha.example.com" }],
          },
        },
        {
          apiVersion: "gateway.networking.k8s.io/v1",
          kind: "TCPRoute",
          metadata: { name: "raw", namespace: "a1" },
          spec: {
            parentRefs: [{ name: "shared", namespace: "infra" }],
            rules: [{ backendRefs: [{ name: "db", port: 5432 }] }],
          },
        },
      ],
      "tenant-guard.dev/tenant",
    );
    expect(v.hostConflict("db.alpha.example.com", "beta", SELF)?.claim).toMatchObject({
      kind: "TLSRoute",
      name: "db",
    });
    expect(v.hostConflict("x.apps.alpha.example.com", "beta", SELF)?.claim).toMatchObject({
      kind: "ListenerSet",
      name: "extra",
    });
    expect(v.counts().HostClaim).toBe(2);
  });
});

describe("HostClaims with many claimants of one host and one domain", () => {
  it("keeps and frees every claimant across the array and set forms", () => {
    const h = new HostClaims();
    const names = Array.from({ length: 20 }, (_, i) => `r${i}`);
    for (const n of names)
      h.set(
        "HTTPRoute",
        `ns-${n}`,
        n,
        hostClaimOf("HTTPRoute", route("HTTPRoute", `ns-${n}`, n, ["x.d.example.com"]), same),
      );
    const seen = (host: string) => new Set(names.filter((n) => h.overlapping(host, (c) => c.name === n)));
    expect(seen("x.d.example.com").size).toBe(20);
    expect(seen("*.d.example.com").size).toBe(20);
    for (const n of names.slice(0, 19)) h.set("HTTPRoute", `ns-${n}`, n, undefined);
    expect([...seen("x.d.example.com")]).toEqual(["r19"]);
    expect([...seen("*.example.com")]).toEqual(["r19"]);
    h.set("HTTPRoute", "ns-r19", "r19", undefined);
    expect(h.overlapping("*.example.com", () => true)).toBeUndefined();
    expect(h.size).toBe(0);
  });
});
