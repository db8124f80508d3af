// `serve --directory cluster --kubeconfig K` end to end: the real HTTPS server on a ClusterDirectory
// whose informers talk to the fake API server. Unready (and failing closed) until synced, then the
// same decisions as `--directory file:examples/cluster.yaml`, and live changes within a second.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadReview, type ReviewJson } from "../support/fixtures.ts";
import { startFakeCluster, waitFor, type FakeCluster } from "../support/fake-apiserver/harness.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

const TENANT = "tenant-guard.dev/tenant";
const FIXTURES = readdirSync(join(import.meta.dirname, "..", "fixtures", "admission")).filter((f) =>
  f.endsWith(".json"),
);

let world: FakeCluster;
let cluster: TestServer;
let file: TestServer;
let readyzBefore: { status: number; body: string };
let deniedBefore: { allowed?: boolean; status?: { code?: number; message?: string } };

type Pod = { metadata: { labels: Record<string, string> }; spec: Record<string, unknown> };
const podOf = (r: ReviewJson): Pod => r.request.object as unknown as Pod;

/** Fixtures plus variants that exercise every kind of directory lookup. */
function cases(): [string, ReviewJson][] {
  const out: [string, ReviewJson][] = FIXTURES.map((f) => [f, loadReview(f)]);
  const claim = loadReview("pod-create");
  podOf(claim).metadata.labels[TENANT] = "team-beta";
  out.push(["pod labelled for another tenant", claim]);
  const sa = loadReview("pod-create");
  podOf(sa).spec.serviceAccountName = "beta-sync";
  out.push(["pod using a service account labelled for team-beta", sa]);
  const secret = loadReview("pod-create");
  (podOf(secret).spec.volumes as unknown[]).push({ name: "s3", secret: { secretName: "beta-s3-creds" } });
  out.push(["pod mounting a secret labelled for team-beta", secret]);
  const cross = loadReview("pod-create");
  cross.request.userInfo = {
    username: "bob@example.com",
    groups: ["team-beta-devs", "system:authenticated"],
  };
  out.push(["team-beta owner creating in team-alpha", cross]);
  const gamma = loadReview("pod-create");
  gamma.request.namespace = "team-gamma";
  (gamma.request.object as { metadata: { namespace: string } }).metadata.namespace = "team-gamma";
  out.push(["pod in team-gamma referencing team-alpha objects", gamma]);
  return out;
}

beforeAll(async () => {
  world = await startFakeCluster();
  world.fake.faults.delayMs = 300; // slow enough that the server is up before the directory syncs
  cluster = await startTestServer({ directory: { source: "cluster", kubeconfig: world.kubeconfig } });
  const r = await cluster.request("/readyz");
  readyzBefore = { status: r.status, body: r.text };
  const v = await cluster.review("/validate", loadReview("pod-create"));
  deniedBefore = v.json<{ response: typeof deniedBefore }>().response;
  world.fake.faults.delayMs = 0;
  file = await startTestServer();
}, 30_000);

afterAll(async () => {
  await cluster?.close();
  await file?.close();
  await world?.close();
});

describe("serve --directory cluster", () => {
  it("is unready and fails closed until every informer synced, then turns ready", async () => {
    expect(readyzBefore.status).toBe(503);
    expect(readyzBefore.body).toMatch(/waiting for the initial sync of/);
    expect(deniedBefore.allowed).toBe(false);
    expect(deniedBefore.status?.code).toBe(503);
    expect(deniedBefore.status?.message).toMatch(
      /tenant-guard is not ready \(waiting for the initial sync of .*namespaces/,
    );
    await waitFor("ready", () => cluster.serving.directory.status().ready, 5000);
    const r = await cluster.request("/readyz");
    expect(r.status).toBe(200);
  });

  it("makes the same decisions as the file backend on the same world", async () => {
    await waitFor("ready", () => cluster.serving.directory.status().ready, 5000);
    let denied = 0;
    for (const [name, review] of cases()) {
      for (const route of ["/validate", "/mutate"] as const) {
        const a = (await cluster.review(route, review)).json<{ response: { allowed: boolean } }>();
        const b = (await file.review(route, review)).json<{ response: { allowed: boolean } }>();
        expect(a.response, `${route} ${name}`).toEqual(b.response);
        if (!a.response.allowed) denied++;
      }
    }
    expect(denied).toBeGreaterThan(2); // the variants do cross boundaries: this compares real denials
  });

  it("follows a namespace relabel in the cluster: the decision flips within a second", async () => {
    await waitFor("ready", () => cluster.serving.directory.status().ready, 5000);
    const review = loadReview("pod-create");
    podOf(review).metadata.labels[TENANT] = "team-alpha";
    const decide = async () =>
      (await cluster.review("/validate", review)).json<{
        response: { allowed: boolean; status?: { message: string } };
      }>().response;
    expect((await decide()).allowed).toBe(true);
    const ns = world.fake.store.get("Namespace", undefined, "team-alpha") as {
      metadata: { labels: Record<string, string> };
    };
    ns.metadata.labels[TENANT] = "team-beta";
    const t0 = Date.now();
    world.fake.store.apply(ns);
    let last = await decide();
    while (last.allowed && Date.now() - t0 < 1000) last = await decide();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(last.allowed).toBe(false);
    expect(last.status?.message).toMatch(/team-beta/);
    ns.metadata.labels[TENANT] = "team-alpha";
    world.fake.store.apply(ns);
    await waitFor(
      "relabel back",
      () => cluster.serving.directory.view().tenantOfNamespace("team-alpha") === "team-alpha",
    );
  });

  it("follows a node added in the cluster: a pod naming it is decided by the node's labels", async () => {
    await waitFor("ready", () => cluster.serving.directory.status().ready, 5000);
    const review = loadReview("pod/node-name-gamma-cpu-allowed");
    (review.request.object as unknown as Pod).spec.nodeName = "late-gpu-3";
    const decide = async () =>
      (await cluster.review("/validate", review)).json<{
        response: { allowed: boolean; status?: { message: string } };
      }>().response;
    const unknown = await decide();
    expect(unknown.allowed).toBe(false);
    expect(unknown.status?.message).toContain('node "late-gpu-3", which the directory does not know');
    const node = {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "late-gpu-3", labels: { "tenant-guard.dev/pool": "alpha-gpu" } },
      spec: {},
    };
    world.fake.store.apply(node);
    await waitFor("node seen", () => cluster.serving.directory.view().node("late-gpu-3"));
    const alphas = await decide();
    expect(alphas.allowed).toBe(false);
    expect(alphas.status?.message).toContain(
      'node "late-gpu-3", which is in the node pool of tenant "team-alpha" (label tenant-guard.dev/pool=alpha-gpu)',
    );
    node.metadata.labels["tenant-guard.dev/pool"] = "general";
    world.fake.store.apply(node);
    await waitFor(
      "node relabelled",
      () =>
        cluster.serving.directory.view().node("late-gpu-3")?.labels["tenant-guard.dev/pool"] === "general",
    );
    expect((await decide()).allowed).toBe(true);
    world.fake.store.remove("Node", undefined, "late-gpu-3");
    await waitFor("node gone", () => cluster.serving.directory.view().node("late-gpu-3") === undefined);
  });

  it("exposes informer metrics: sync state, events, last event age, restarts", async () => {
    await waitFor("ready", () => cluster.serving.directory.status().ready, 5000);
    const text = (await cluster.request("/metrics")).text;
    for (const r of [
      "namespaces",
      "tenants",
      "nodes",
      "serviceaccounts",
      "secrets",
      "configmaps",
      "persistentvolumeclaims",
      "persistentvolumes",
      "pods",
    ]) {
      expect(text).toContain(`tenant_guard_directory_informer_synced{resource="${r}"} 1`);
      expect(text).toContain(`tenant_guard_directory_informer_restarts_total{resource="${r}"} 0`);
      expect(text).toMatch(
        new RegExp(`tenant_guard_directory_last_event_age_seconds\\{resource="${r}"\\} \\d`),
      );
    }
    expect(text).toMatch(
      /tenant_guard_directory_watch_events_total\{resource="namespaces",type="MODIFIED"\} [1-9]/,
    );
    const secrets = file.serving.directory.status().counts.Secret;
    expect(secrets).toBeGreaterThan(0);
    expect(text).toContain(`tenant_guard_directory_listed_objects_total{resource="secrets"} ${secrets}`);
    expect(text).toContain("tenant_guard_directory_ready 1");
  });
});

describe("serve --directory cluster with directory.whenNotReady: allow", () => {
  it("allows unchecked, with a warning that says why, while the informers have not synced", async () => {
    const slow = await startFakeCluster();
    slow.fake.faults.delayMs = 10_000; // never syncs during this test
    const server = await startTestServer({
      directory: { source: "cluster", kubeconfig: slow.kubeconfig, whenNotReady: "allow" },
    });
    try {
      expect((await server.request("/readyz")).status).toBe(503);
      const r = (await server.review("/validate", loadReview("pod-create"))).json<{
        response: { allowed: boolean; warnings?: string[] };
      }>().response;
      expect(r.allowed).toBe(true);
      expect(r.warnings?.[0]).toMatch(
        /tenant-guard is not ready \(waiting for the initial sync of .*\); allowed unchecked/,
      );
    } finally {
      await server.close();
      await slow.close();
    }
  });
});
