// Claimed hosts in the cluster backend: real informers against the fake API server. Ingresses are
// always watched, HTTPRoutes/GRPCRoutes/Gateways only with gatewayAPI, TLSRoutes and ListenerSets
// with it where the cluster serves them (a cluster without their CRDs is ready, with a note, and
// picks them up once installed); full objects arrive and only kind/namespace/name/hosts are kept.
// Through the real HTTPS server: a route created in one tenant, then a colliding one in another is
// denied once the directory has seen the first, and deleting the first frees the host.
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ClusterDirectory } from "../../src/tenancy/cluster/cluster-directory.ts";
import {
  clusterDirectory,
  startFakeCluster,
  waitFor,
  type FakeCluster,
} from "../support/fake-apiserver/harness.ts";
import { loadReview } from "../support/fixtures.ts";
import { startTestServer } from "../support/server.ts";

let world: FakeCluster;
let dir: ClusterDirectory | undefined;

beforeEach(async () => {
  world = await startFakeCluster();
});
afterEach(async () => {
  await dir?.close();
  dir = undefined;
  await world.close();
});

const SELF = { kind: "Ingress", namespace: "team-gamma", name: "probe" };
const BACKEND_SECRET = "internal-backend-7c1e.svc.cluster.local";

const httpRoute = (ns: string, name: string, hostnames: string[]) => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "HTTPRoute",
  metadata: { name, namespace: ns, creationTimestamp: "2026-12-05T20:00:00Z" },
  spec: {
    parentRefs: [{ name: "platform", namespace: "shared-tools" }],
    hostnames,
    rules: [{ backendRefs: [{ name: BACKEND_SECRET.slice(0, 20), port: 80 }] }],
  },
});

const tlsRoute = (ns: string, name: string, hostnames: string[]) => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "TLSRoute",
  metadata: { name, namespace: ns, creationTimestamp: "2026-12-05T20:00:00Z" },
  spec: {
    parentRefs: [{ name: "platform", namespace: "shared-tools", sectionName: "tls-passthrough" }],
    hostnames,
    rules: [{ backendRefs: [{ name: BACKEND_SECRET.slice(0, 20), port: 5432 }] }],
  },
});

const listenerSet = (ns: string, name: string, hostname: string) => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "ListenerSet",
  metadata: { name, namespace: ns, creationTimestamp: "2026-12-05T20:00:00Z" },
  spec: {
    parentRef: { name: "platform", namespace: "shared-tools" },
    listeners: [
      {
        name: "https",
        hostname,
        port: 443,
        protocol: "HTTPS",
        tls: { certificateRefs: [{ name: BACKEND_SECRET.slice(0, 20) }] },
      },
    ],
  },
});

/** creationTimestamp of an object the API server is admitting now (younger than any stored one). */
function stampNow(review: { request: { object?: unknown } }): void {
  (review.request.object as { metadata: Record<string, unknown> }).metadata.creationTimestamp = new Date(
    Date.now() + 60_000,
  )
    .toISOString()
    .replace(/\.\d+Z$/, "Z");
}

describe("cluster directory: host claims", () => {
  it("watches Ingresses only by default, keeping their hosts and nothing else", async () => {
    world.fake.store.apply({
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: {
        name: "notes",
        namespace: "beta-research",
        annotations: { "nginx.ingress.kubernetes.io/upstream-vhost": BACKEND_SECRET },
      },
      spec: { rules: [{ host: "notes.beta.example.com" }] },
    });
    dir = clusterDirectory(world.kubeconfig);
    await dir.start();
    await waitFor("ready", () => dir?.status().ready);
    const resources = dir.informerStats().map((s) => s.resource);
    expect(resources).toContain("ingresses");
    expect(resources).not.toContain("httproutes");
    expect(world.fake.requestsFor("httproutes", { watch: false })).toHaveLength(0);
    const view = dir.view();
    expect(view.hostConflict("shop.alpha.example.com", "team-gamma", SELF)?.claim).toMatchObject({
      kind: "Ingress",
      namespace: "team-alpha",
      name: "shop",
    });
    expect(view.hostConflict("notes.beta.example.com", "team-alpha", SELF)?.tenant).toBe("team-beta");
    // The examples' routes and Gateways are not watched without gatewayAPI.
    expect(view.hostConflict("llm.models.alpha.example.com", "team-gamma", SELF)).toBeUndefined();
    expect(dir.status().counts.HostClaim).toBe(2);
    const dump = inspect(dir, { depth: Infinity, maxArrayLength: Infinity, maxStringLength: Infinity });
    expect(dump).toContain("notes.beta.example.com");
    expect(dump).not.toContain(BACKEND_SECRET);
  });

  it("with gatewayAPI, follows routes and Gateways: add, change, delete", async () => {
    dir = clusterDirectory(world.kubeconfig, { gatewayAPI: true });
    await dir.start();
    await waitFor("ready", () => dir?.status().ready);
    expect(dir.informerStats().map((s) => s.resource)).toEqual(
      expect.arrayContaining(["ingresses", "httproutes", "grpcroutes", "gateways"]),
    );
    const view = dir.view();
    expect(view.hostConflict("llm.models.alpha.example.com", "team-gamma", SELF)?.claim.name).toBe(
      "alpha-models",
    );
    world.fake.store.apply(httpRoute("team-alpha", "late", ["late.alpha.example.com"]));
    await waitFor(
      "added",
      () => view.hostConflict("late.alpha.example.com", "team-gamma", SELF) !== undefined,
    );
    world.fake.store.apply(httpRoute("team-alpha", "late", ["later.alpha.example.com"]));
    await waitFor(
      "moved",
      () => view.hostConflict("late.alpha.example.com", "team-gamma", SELF) === undefined,
    );
    expect(view.hostConflict("later.alpha.example.com", "team-gamma", SELF)?.claim.name).toBe("late");
    world.fake.store.remove("HTTPRoute", "team-alpha", "late");
    await waitFor(
      "deleted",
      () => view.hostConflict("later.alpha.example.com", "team-gamma", SELF) === undefined,
    );
  });

  it("with gatewayAPI, TLSRoute SNI hostnames and ListenerSet listener hostnames claim hosts, slimmed like the rest", async () => {
    dir = clusterDirectory(world.kubeconfig, { gatewayAPI: true });
    await dir.start();
    await waitFor("ready", () => dir?.status().ready);
    // Served (Gateway API v1.6): watched like the others, and no note.
    expect(dir.informerStats().map((s) => s.resource)).toEqual(
      expect.arrayContaining(["tlsroutes", "listenersets"]),
    );
    expect(dir.status().reason).toBeUndefined();
    expect(world.fake.requestsFor("tcproutes")).toHaveLength(0);
    const view = dir.view();
    world.fake.store.apply(tlsRoute("team-alpha", "db", ["db.alpha.example.com"]));
    world.fake.store.apply(listenerSet("team-alpha", "edge", "edge.alpha.example.com"));
    await waitFor(
      "TLSRoute",
      () => view.hostConflict("db.alpha.example.com", "team-gamma", SELF) !== undefined,
    );
    expect(view.hostConflict("db.alpha.example.com", "team-gamma", SELF)).toMatchObject({
      tenant: "team-alpha",
      claim: { kind: "TLSRoute", namespace: "team-alpha", name: "db" },
    });
    await waitFor(
      "ListenerSet",
      () => view.hostConflict("edge.alpha.example.com", "team-gamma", SELF) !== undefined,
    );
    expect(view.hostConflict("edge.alpha.example.com", "team-gamma", SELF)?.claim).toMatchObject({
      kind: "ListenerSet",
      name: "edge",
    });
    const dump = inspect(dir, { depth: Infinity, maxArrayLength: Infinity, maxStringLength: Infinity });
    expect(dump).toContain("db.alpha.example.com");
    expect(dump).not.toContain(BACKEND_SECRET.slice(0, 20));
    expect(dump).not.toContain("tls-passthrough");
    world.fake.store.remove("TLSRoute", "team-alpha", "db");
    await waitFor(
      "deleted",
      () => view.hostConflict("db.alpha.example.com", "team-gamma", SELF) === undefined,
    );
    expect(view.hostConflict("edge.alpha.example.com", "team-gamma", SELF)).toBeDefined();
  });
});

describe("cluster directory: a cluster that does not serve TLSRoute and ListenerSet v1", () => {
  it("turns ready with a note, lists neither, and watches them once their CRDs are installed", async () => {
    await world.close();
    world = await startFakeCluster({ unserved: ["tlsroutes", "listenersets"] });
    dir = clusterDirectory(world.kubeconfig, { gatewayAPI: true, discoveryRetryMs: 300 });
    await dir.start();
    await waitFor("ready", () => dir?.status().ready);
    const st = dir.status();
    // A note, not a problem: an older Gateway API release is not a degraded directory.
    expect(st.note).toBe(
      "tlsroutes, listenersets not watched for claimed hosts: the cluster does not serve them at gateway.networking.k8s.io/v1 (asked again every 300 ms)",
    );
    expect(dir.readiness()).toEqual({ ready: true, note: st.note });
    expect(dir.informerStats().map((s) => s.resource)).not.toContain("tlsroutes");
    expect(world.fake.requestsFor("tlsroutes")).toHaveLength(0);
    expect(world.fake.requestsFor("listenersets")).toHaveLength(0);
    // The other Gateway API kinds are watched as before.
    expect(dir.view().hostConflict("llm.models.alpha.example.com", "team-gamma", SELF)).toBeDefined();

    // The CRDs are installed later: discovery is asked again and the informers start.
    world.fake.unserved.clear();
    world.fake.store.apply(tlsRoute("team-alpha", "db", ["db.alpha.example.com"]));
    const view = dir.view();
    await waitFor(
      "picked up",
      () => view.hostConflict("db.alpha.example.com", "team-gamma", SELF) !== undefined,
      5000,
    );
    await waitFor("note gone", () => dir?.status().note === undefined);
    expect(dir.status().reason).toBeUndefined();
    expect(dir.status().ready).toBe(true);
    expect(dir.informerStats().map((s) => s.resource)).toEqual(
      expect.arrayContaining(["tlsroutes", "listenersets"]),
    );
  });

  it("stays unready while discovery fails (fail closed), then turns ready once it answers", async () => {
    const GV = "/apis/gateway.networking.k8s.io/v1";
    world.fake.faults.failingPaths.add(GV);
    dir = clusterDirectory(world.kubeconfig, { gatewayAPI: true });
    await dir.start();
    await waitFor("other informers synced", () => dir?.informerStats().every((s) => s.synced));
    await waitFor("retried", () => world.fake.requests.filter((r) => r.path === GV).length >= 2);
    expect(dir.status()).toMatchObject({
      ready: false,
      reason: `discovering whether the cluster serves tlsroutes, listenersets at gateway.networking.k8s.io/v1 (GET ${GV}: HTTP 500)`,
    });
    world.fake.faults.failingPaths.clear();
    await waitFor("ready", () => dir?.status().ready, 5000);
    expect(dir.status().reason).toBeUndefined();
    expect(dir.informerStats().map((s) => s.resource)).toContain("tlsroutes");
  });
});

describe("serve --directory cluster: TG-HOSTNAME-COLLISION follows the cluster", () => {
  const decider =
    (srv: Awaited<ReturnType<typeof startTestServer>>, review: ReturnType<typeof loadReview>) =>
    async (): Promise<{ allowed: boolean; status?: { message: string } }> =>
      (await srv.review("/validate", review)).json<{
        response: { allowed: boolean; status?: { message: string } };
      }>().response;

  it("a TLSRoute's SNI host in team-alpha, then an HTTPRoute for it in team-gamma is denied; deleting the TLSRoute frees it", async () => {
    const srv = await startTestServer({
      directory: { source: "cluster", kubeconfig: world.kubeconfig, gatewayAPI: true },
    });
    try {
      await waitFor("ready", () => srv.serving.directory.status().ready, 5000);
      const review = loadReview("hostnames/grpcroute-host-taken");
      const obj = review.request.object as { kind: string; spec: { hostnames: string[] } };
      obj.kind = "HTTPRoute";
      review.request.kind = { group: "gateway.networking.k8s.io", version: "v1", kind: "HTTPRoute" };
      review.request.resource = { group: "gateway.networking.k8s.io", version: "v1", resource: "httproutes" };
      obj.spec.hostnames = ["db.alpha.example.com"];
      stampNow(review);
      const decide = decider(srv, review);
      expect((await decide()).allowed).toBe(true);
      world.fake.store.apply(tlsRoute("team-alpha", "db", ["db.alpha.example.com"]));
      const t0 = Date.now();
      await waitFor("denied", async () => !(await decide()).allowed, 5000);
      expect(Date.now() - t0).toBeLessThan(5000);
      expect((await decide()).status?.message).toMatch(
        /\[TG-HOSTNAME-COLLISION\].*"db\.alpha\.example\.com".*tenant "team-alpha".*TLSRoute team-alpha\/db/,
      );
      world.fake.store.remove("TLSRoute", "team-alpha", "db");
      await waitFor("freed", async () => (await decide()).allowed, 5000);
    } finally {
      await srv.close();
    }
  });

  it("a ListenerSet's listener hostname in team-alpha, then an Ingress for it in team-gamma is denied", async () => {
    const srv = await startTestServer({
      directory: { source: "cluster", kubeconfig: world.kubeconfig, gatewayAPI: true },
    });
    try {
      await waitFor("ready", () => srv.serving.directory.status().ready, 5000);
      const review = loadReview("hostnames/ingress-tls-host-taken");
      const obj = review.request.object as { spec: { tls: { hosts: string[] }[] } };
      obj.spec.tls[0]!.hosts = ["shop.gamma.example.com", "edge.alpha.example.com"];
      stampNow(review);
      const decide = decider(srv, review);
      expect((await decide()).allowed).toBe(true);
      world.fake.store.apply(listenerSet("team-alpha", "edge", "edge.alpha.example.com"));
      const t0 = Date.now();
      await waitFor("denied", async () => !(await decide()).allowed, 5000);
      expect(Date.now() - t0).toBeLessThan(5000);
      expect((await decide()).status?.message).toMatch(
        /\[TG-HOSTNAME-COLLISION\].*"edge\.alpha\.example\.com".*tenant "team-alpha".*ListenerSet team-alpha\/edge/,
      );
      world.fake.store.remove("ListenerSet", "team-alpha", "edge");
      await waitFor("freed", async () => (await decide()).allowed, 5000);
    } finally {
      await srv.close();
    }
  });

  it("a route in team-alpha, then a colliding one in team-gamma is denied; deleting the first frees the host", async () => {
    const srv = await startTestServer({
      directory: { source: "cluster", kubeconfig: world.kubeconfig, gatewayAPI: true },
    });
    try {
      await waitFor("ready", () => srv.serving.directory.status().ready, 5000);
      const review = loadReview("hostnames/grpcroute-host-taken");
      const obj = review.request.object as { spec: { hostnames: string[] } };
      obj.spec.hostnames = ["site.alpha.example.com"];
      // The API server stamps a new object before validating admission; the route below is older.
      (review.request.object as { metadata: Record<string, unknown> }).metadata.creationTimestamp = new Date(
        Date.now() + 60_000,
      )
        .toISOString()
        .replace(/\.\d+Z$/, "Z");
      const decide = async (): Promise<{ allowed: boolean; status?: { message: string } }> =>
        (await srv.review("/validate", review)).json<{
          response: { allowed: boolean; status?: { message: string } };
        }>().response;
      expect((await decide()).allowed).toBe(true);
      world.fake.store.apply(httpRoute("team-alpha", "site", ["site.alpha.example.com"]));
      const t0 = Date.now();
      await waitFor("denied", async () => !(await decide()).allowed, 5000);
      const denied = await decide();
      expect(denied.status?.message).toMatch(
        /\[TG-HOSTNAME-COLLISION\].*"site\.alpha\.example\.com".*tenant "team-alpha".*HTTPRoute team-alpha\/site/,
      );
      expect(Date.now() - t0).toBeLessThan(5000);
      world.fake.store.remove("HTTPRoute", "team-alpha", "site");
      await waitFor("freed", async () => (await decide()).allowed, 5000);
    } finally {
      await srv.close();
    }
  });
});
