// Claimed hosts in the cluster backend: real informers against the fake API server. Ingresses are
// always watched, HTTPRoutes/GRPCRoutes/Gateways only with gatewayAPI; full objects arrive and
// only kind/namespace/name/hosts are kept. Through the real HTTPS server: a route created in one
// tenant, then a colliding one in another is denied once the directory has seen the first, and
// deleting the first frees the host.
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

/** Polls an async check (a review through the server) until it holds. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

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
});

describe("serve --directory cluster: TG-HOSTNAME-COLLISION follows the cluster", () => {
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
      await until("denied", async () => !(await decide()).allowed);
      const denied = await decide();
      expect(denied.status?.message).toMatch(
        /\[TG-HOSTNAME-COLLISION\].*"site\.alpha\.example\.com".*tenant "team-alpha".*HTTPRoute team-alpha\/site/,
      );
      expect(Date.now() - t0).toBeLessThan(5000);
      world.fake.store.remove("HTTPRoute", "team-alpha", "site");
      await until("freed", async () => (await decide()).allowed);
    } finally {
      await srv.close();
    }
  });
});
