// The cluster backend under the failures informers meet in production: cut watch sockets, API
// server 500s, 410 Gone after compaction (relist), slow or hung lists, broken Tenants, deletions.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ClusterDirectory } from "../../src/tenancy/cluster/cluster-directory.ts";
import {
  clusterDirectory,
  startFakeCluster,
  waitFor,
  type FakeCluster,
} from "../support/fake-apiserver/harness.ts";
import { RESOURCES } from "../support/fake-apiserver/resources.ts";

let world: FakeCluster;
let dir: ClusterDirectory;

const TENANT = "tenant-guard.dev/tenant";
/** One informer (and one watch) per resource the fake API server serves. */
const WATCHES = RESOURCES.length;
const stat = (resource: string) => dir.informerStats().find((s) => s.resource === resource);
const sa = (ns: string, name: string, labels: Record<string, string> = {}) => ({
  apiVersion: "v1",
  kind: "ServiceAccount",
  metadata: { name, namespace: ns, labels },
});

beforeEach(async () => {
  world = await startFakeCluster();
  dir = clusterDirectory(world.kubeconfig, { pageTimeoutMs: 2000 });
  await dir.start();
  await waitFor("ready", () => dir.status().ready);
  await waitFor("all watches open", () => world.fake.openWatches() === WATCHES);
});
afterEach(async () => {
  await dir.close();
  await world.close();
});

describe("cluster directory: faults", () => {
  it("restarts informers whose watch socket was cut, through 500s, and keeps serving meanwhile", async () => {
    world.fake.faults.failNext(8); // the first restarts meet an API server that answers 500
    expect(world.fake.dropWatches("destroy")).toBe(WATCHES);
    await waitFor(
      "the 500s are served",
      () => world.fake.requests.filter((r) => r.status === 500).length === 8,
    );
    // Stale but serving: still ready, the old state still answers, and the reason says why.
    expect(dir.status().ready).toBe(true);
    expect(dir.view().tenantOfNamespace("team-alpha")).toBe("team-alpha");
    world.fake.store.apply(sa("team-beta", "after-outage"));
    await waitFor("watches back", () => world.fake.openWatches() === WATCHES);
    await waitFor("change after the outage", () =>
      dir.view().object("ServiceAccount", "team-beta", "after-outage"),
    );
    // An informer's watch counts as open on the fake server a moment before its own hook says so:
    // under a loaded CI machine that moment is visible, so wait for it rather than sample once.
    await waitFor("every informer restarted and watching", () =>
      dir.informerStats().every((s) => s.watching && s.restarts >= 1),
    );
    const stats = dir.informerStats();
    expect(stats.every((s) => s.watching && s.restarts >= 1)).toBe(true);
    expect(stats.reduce((n, s) => n + s.restarts, 0)).toBeGreaterThanOrEqual(WATCHES + 1); // 500s cost extra restarts
    expect(world.fake.requests.filter((r) => r.status === 500)).toHaveLength(8);
    expect(dir.status()).toMatchObject({ ready: true });
    expect(dir.status().reason).toBeUndefined();
  });

  it("reconnects by itself when the API server ends a watch cleanly", async () => {
    world.fake.dropWatches("end");
    world.fake.store.apply(sa("team-gamma", "while-reconnecting"));
    await waitFor("event", () => dir.view().object("ServiceAccount", "team-gamma", "while-reconnecting"));
    expect(dir.informerStats().every((s) => s.restarts === 0)).toBe(true);
  });

  for (const goneAs of ["event", "http"] as const) {
    it(`relists after 410 Gone (${goneAs === "event" ? "ERROR event in the stream" : "HTTP 410"}) and notices what was deleted meanwhile`, async () => {
      world.fake.faults.goneAs = goneAs;
      world.fake.faults.failNext(WATCHES); // keep the informers away while the world moves on
      world.fake.dropWatches("destroy");
      world.fake.store.remove("Secret", "team-alpha", "hf-token");
      world.fake.store.apply(sa("alpha-train", "new-in-gap", { [TENANT]: "team-alpha" }));
      world.fake.store.compact(); // their resourceVersion is now too old
      const listsBefore = world.fake.requestsFor("secrets", { watch: false }).length;
      await waitFor(
        "relisted",
        () => world.fake.requestsFor("secrets", { watch: false }).length > listsBefore,
        5000,
      );
      await waitFor(
        "deletion seen",
        () => dir.view().object("Secret", "team-alpha", "hf-token") === undefined,
      );
      await waitFor("addition seen", () => dir.view().object("ServiceAccount", "alpha-train", "new-in-gap"));
      const gone = world.fake.requests.filter(
        (r) => r.watch && (goneAs === "http" ? r.status === 410 : true),
      );
      expect(gone.length).toBeGreaterThan(0);
      // Counts follow the relist's implied deletions and additions exactly.
      expect(dir.status().counts.Secret).toBe(world.fake.store.list("secrets").length);
      expect(dir.status().counts.ServiceAccount).toBe(world.fake.store.list("serviceaccounts").length);
      expect(dir.status().ready).toBe(true);
    });
  }

  it("follows deletions: objects, a whole namespace, and a Tenant (back to defaults)", async () => {
    world.fake.store.remove("ServiceAccount", "team-beta", "notebook");
    world.fake.store.remove("Namespace", undefined, "team-gamma");
    world.fake.store.remove("Tenant", undefined, "team-beta");
    await waitFor(
      "sa gone",
      () => dir.view().object("ServiceAccount", "team-beta", "notebook") === undefined,
    );
    await waitFor("namespace gone", () => dir.view().namespace("team-gamma") === undefined);
    await waitFor("tenant gone", () => dir.view().tenant("team-beta")?.defined === false);
    expect(dir.view().object("Secret", "team-gamma", "gamma-api-key")).toBeUndefined();
    expect(dir.view().tenantsOfGroup("team-beta-devs").size).toBe(0);
    expect(dir.view().tenant("team-beta")?.maxPerPod.size).toBe(0); // global defaults, not the old spec
  });

  it("rejects a broken Tenant update, keeps the last good version, and accepts the fix", async () => {
    const good = world.fake.store.get("Tenant", undefined, "team-alpha");
    const broken = structuredClone(good) as { spec: { podDefaults: { maxPerPod: Record<string, string> } } };
    broken.spec.podDefaults.maxPerPod["nvidia.com/gpu"] = "lots";
    world.fake.store.apply(broken);
    world.fake.store.apply({
      apiVersion: "tenant-guard.dev/v1alpha1",
      kind: "Tenant",
      metadata: { name: "team-delta" },
      spec: { owners: [{ kind: "Robot", name: "r2" }] },
    });
    await waitFor("rejection reported", () => /team-delta/.test(dir.status().reason ?? ""));
    const st = dir.status();
    expect(dir.readiness()).toEqual({ ready: true, reason: st.reason });
    expect(st.ready).toBe(true);
    expect(st.reason).toContain('Tenant "team-alpha"');
    expect(st.reason).toContain("spec.podDefaults.maxPerPod.nvidia.com/gpu");
    expect(dir.view().tenant("team-alpha")?.maxPerPod.get("nvidia.com/gpu")?.raw).toBe("2");
    expect(dir.view().tenant("team-delta")).toBeUndefined();
    broken.spec.podDefaults.maxPerPod["nvidia.com/gpu"] = "4";
    world.fake.store.apply(broken);
    await waitFor(
      "fix applied",
      () => dir.view().tenant("team-alpha")?.maxPerPod.get("nvidia.com/gpu")?.raw === "4",
    );
    expect(dir.status().reason).not.toContain("team-alpha");
  });

  it("follows a namespace relabel within a second", async () => {
    const ns = world.fake.store.get("Namespace", undefined, "shared-tools") as {
      metadata: { labels: Record<string, string> };
    };
    ns.metadata.labels[TENANT] = "team-gamma";
    const t0 = Date.now();
    world.fake.store.apply(ns);
    await waitFor("relabel", () => dir.view().tenantOfNamespace("shared-tools") === "team-gamma", 1000);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(stat("namespaces")?.events.MODIFIED).toBe(1);
  });
});

describe("cluster directory: slow and hung API servers", () => {
  it("stays unready while lists time out, says why, and syncs once the server answers", async () => {
    const slow = await startFakeCluster();
    slow.fake.faults.delayMs = 400;
    const d = clusterDirectory(slow.kubeconfig, { pageTimeoutMs: 100 });
    try {
      await d.start();
      await waitFor("a timeout", () => /timed out after 100 ms/.test(d.status().reason ?? ""));
      expect(d.status().ready).toBe(false);
      expect(d.readiness()).toMatchObject({ ready: false, reason: expect.stringMatching(/timed out/) });
      slow.fake.faults.delayMs = 20;
      await waitFor("ready", () => d.status().ready, 5000);
      expect(d.informerStats().some((s) => s.restarts > 0)).toBe(true);
    } finally {
      await d.close();
      await slow.close();
    }
  });
});
