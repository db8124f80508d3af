// count/<resource>.<group> budgets in the cluster backend: real metadata-only informers against the
// fake API server, started only for what a Tenant budgets, found by discovery. A RayCluster created
// raises the tenant's usage and the real server's decision follows; a deleted one frees it. A
// budget added later starts counting its kind; a budgeted kind the cluster does not serve is a
// readiness note, not a crash.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  clusterDirectory,
  startFakeCluster,
  waitFor,
  type FakeCluster,
} from "../support/fake-apiserver/harness.ts";
import type { JsonRecord } from "../../src/k8s/access.ts";
import { loadReview, setPath } from "../support/fixtures.ts";
import { writeReview } from "../support/review.ts";
import { startTestServer } from "../support/server.ts";

const TENANT = "tenant-guard.dev/tenant";
const RAY_KEY = "count/rayclusters.ray.io";

let world: FakeCluster;
beforeEach(async () => {
  world = await startFakeCluster({ examples: false });
  const s = world.fake.store;
  s.apply(tenant({ [RAY_KEY]: "2", "count/widgets.example.com": "3" }));
  for (const ns of ["ray-dev", "ray-prod"])
    s.apply({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: ns, labels: { [TENANT]: "team-ray" } },
    });
  s.apply(rayCluster("ray-dev", "sweep-0"));
});
afterEach(async () => {
  await world.close();
});

function tenant(hard: Record<string, string>) {
  return {
    apiVersion: "tenant-guard.dev/v1alpha1",
    kind: "Tenant",
    metadata: { name: "team-ray" },
    spec: { quota: { hard, warnAt: 90 } },
  };
}

/** A ClusterIP Service in ray-dev (what count/services counts). */
function service(name: string): JsonRecord {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace: "ray-dev" },
    spec: { type: "ClusterIP", ports: [{ port: 8265 }] },
  };
}

function rayCluster(namespace: string, name: string) {
  return {
    apiVersion: "ray.io/v1",
    kind: "RayCluster",
    metadata: { name, namespace },
    spec: {
      rayVersion: "2.40.0",
      headGroupSpec: {
        rayStartParams: {},
        template: { spec: { containers: [{ name: "ray-head", image: "rayproject/ray:2.40.0" }] } },
      },
    },
  };
}

describe("serve --directory cluster: object-count budgets follow their informers", () => {
  it("a created RayCluster raises usage and a deleted one frees it; the decision follows", async () => {
    const srv = await startTestServer({ directory: { source: "cluster", kubeconfig: world.kubeconfig } });
    try {
      await waitFor("ready", () => srv.serving.directory.status().ready, 5000);
      const view = srv.serving.directory.view();
      expect(view.quotaUsage("team-ray").get(RAY_KEY)).toBe(1);
      // Only what a Tenant budgets is listed, by the path discovery found, metadata-only.
      const lists = world.fake.requestsFor("rayclusters", { watch: false });
      expect(lists.map((r) => r.path)).toContain("/apis/ray.io/v1/rayclusters");
      expect(lists[0]?.accept).toContain("as=PartialObjectMetadataList");
      expect(world.fake.requestsFor("services")).toHaveLength(0);
      // The unserved budget is a note on a ready server.
      const st = srv.serving.directory.status();
      expect(st.reason).toContain("count/widgets.example.com is budgeted but not counted");

      const decide = async (ns: string) => {
        const r = loadReview("quota/raycluster-create");
        setPath(r, "request.namespace", ns);
        setPath(r, "request.object.metadata.namespace", ns);
        return (await srv.review("/validate", r)).json<{
          response: { allowed: boolean; status?: { message: string }; warnings?: string[] };
        }>().response;
      };
      world.fake.store.apply(rayCluster("ray-prod", "serve-0"));
      await waitFor("created", () => view.quotaUsage("team-ray").get(RAY_KEY) === 2);
      expect(view.namespaceQuotaUsage("ray-prod").get(RAY_KEY)).toBe(1);
      const full = await decide("ray-dev");
      expect(full.allowed).toBe(false);
      expect(full.status?.message).toContain(`${RAY_KEY}: used 2 + asked 1 = 3, hard 2`);
      expect(full.status?.message).toContain("most used in ray-dev (1), ray-prod (1)");

      world.fake.store.remove("RayCluster", "ray-dev", "sweep-0");
      await waitFor("deleted", () => (view.quotaUsage("team-ray").get(RAY_KEY) ?? 0) === 1);
      const freed = await decide("ray-dev");
      expect(freed.status?.message).toBeUndefined();
      expect(freed.allowed).toBe(true);
      expect(freed.warnings?.[0]).toContain(`${RAY_KEY}: used 1 + asked 1 = 2, hard 2`);
    } finally {
      await srv.close();
    }
  });

  it("asking discovery again for an unserved budgeted kind never takes the directory out of readiness", async () => {
    // Unready means every review is refused (fail closed): a retry of a kind already found unserved
    // must keep its note and the directory ready, however often it runs.
    const dir = clusterDirectory(world.kubeconfig, { discoveryRetryMs: 20 });
    try {
      await dir.start();
      await waitFor("ready", () => dir.status().ready, 5000);
      await waitFor("noted", () => (dir.status().reason ?? "").includes("count/widgets.example.com"), 5000);
      const asked = () => world.fake.requests.filter((r) => r.path === "/apis/example.com").length;
      const before = asked();
      let unready = 0;
      const t0 = Date.now();
      while (Date.now() - t0 < 400 || asked() < before + 5) {
        if (!dir.readiness().ready) unready++;
        await new Promise((r) => setImmediate(r));
      }
      expect(asked()).toBeGreaterThanOrEqual(before + 5);
      expect(unready).toBe(0);
      expect(dir.status().reason).toContain("count/widgets.example.com is budgeted but not counted");
    } finally {
      await dir.close();
    }
  });

  it("a budgeted kind tenant-guard may not list is a readiness note naming the grant, and the server stays ready", async () => {
    world.fake.faults.forbidden.add("rayclusters");
    const srv = await startTestServer({ directory: { source: "cluster", kubeconfig: world.kubeconfig } });
    try {
      await waitFor("ready", () => srv.serving.directory.status().ready, 5000);
      await waitFor("noted", () => (srv.serving.directory.status().reason ?? "").includes("forbidden"), 5000);
      const st = srv.serving.directory.status();
      expect(st.ready).toBe(true);
      expect(st.reason).toContain(
        "count/rayclusters.ray.io is budgeted but not counted: listing /apis/ray.io/v1/rayclusters is forbidden (HTTP 403)",
      );
      expect(st.reason).toContain("grant tenant-guard's ClusterRole list and watch on rayclusters.ray.io");
      // No informer was started for it: only the probe asked.
      expect(world.fake.requestsFor("rayclusters", { watch: true })).toHaveLength(0);
    } finally {
      await srv.close();
    }
  });

  it("count/secrets is counted by the secrets informer the directory already runs: one watch, earlier objects caught up", async () => {
    const secret = (name: string) => ({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name, namespace: "ray-dev" },
      type: "Opaque",
      data: { token: "c2VjcmV0" },
    });
    world.fake.store.apply(secret("s3-creds"));
    const srv = await startTestServer({ directory: { source: "cluster", kubeconfig: world.kubeconfig } });
    try {
      await waitFor("ready", () => srv.serving.directory.status().ready, 5000);
      const view = srv.serving.directory.view();
      world.fake.store.apply(tenant({ [RAY_KEY]: "2", secrets: "3" }));
      await waitFor("caught up", () => view.quotaUsage("team-ray").get("secrets") === 1, 5000);
      expect(view.quotaUsage("team-ray").get("count/secrets")).toBe(1);
      world.fake.store.apply(secret("hf-token"));
      await waitFor("created", () => view.quotaUsage("team-ray").get("secrets") === 2);
      world.fake.store.remove("Secret", "ray-dev", "s3-creds");
      await waitFor("deleted", () => view.quotaUsage("team-ray").get("secrets") === 1);
      expect(world.fake.requestsFor("secrets", { watch: true })).toHaveLength(1);
    } finally {
      await srv.close();
    }
  });

  it("a budget added once ready holds back only the creates it counts, and never the directory's readiness", async () => {
    world.fake.store.apply(service("dashboard"));
    const srv = await startTestServer({ directory: { source: "cluster", kubeconfig: world.kubeconfig } });
    const writer = { user: { username: "ci@example.com", groups: ["system:authenticated"] } };
    const create = async (obj: JsonRecord) =>
      (await srv.review("/validate", writeReview(obj, writer))).json<{
        response: { allowed: boolean; status?: { message: string } };
      }>().response;
    try {
      await waitFor("ready", () => srv.serving.directory.status().ready, 5000);
      // Listing services (the probe and the informer's list) is slow: the new budget's count is
      // unknown for a while.
      world.fake.faults.delayedPaths.set("/api/v1/services", 800);
      world.fake.store.apply(tenant({ [RAY_KEY]: "2", "count/services": "5" }));
      let unready = 0;
      const sample = setInterval(() => {
        if (!srv.serving.directory.status().ready) unready++;
      }, 5);
      try {
        await waitFor(
          "pending",
          async () => (await create(service("api"))).status?.message?.includes("cannot be judged") === true,
          5000,
        );
        const held = await create(service("api"));
        expect(held.allowed).toBe(false);
        expect(held.status?.message).toContain(
          `service "api" in namespace "ray-dev" cannot be judged against tenant "team-ray"'s budget yet: count/services was budgeted moments ago`,
        );
        // What the new budget does not count is judged as always meanwhile.
        const ray = await create(rayCluster("ray-prod", "serve-1") as unknown as JsonRecord);
        expect(ray.allowed).toBe(true);
        const view = srv.serving.directory.view();
        await waitFor(
          "services counted",
          () => view.quotaUsage("team-ray").get("count/services") === 1,
          5000,
        );
      } finally {
        clearInterval(sample);
      }
      expect(unready).toBe(0);
      const counted = await create(service("api"));
      expect(counted.allowed).toBe(true);
    } finally {
      await srv.close();
    }
  });

  it("a budget added later starts counting its kind (count/services)", async () => {
    world.fake.store.apply(service("dashboard"));
    const srv = await startTestServer({ directory: { source: "cluster", kubeconfig: world.kubeconfig } });
    try {
      await waitFor("ready", () => srv.serving.directory.status().ready, 5000);
      const view = srv.serving.directory.view();
      expect(view.quotaUsage("team-ray").get("count/services")).toBeUndefined();
      world.fake.store.apply(tenant({ [RAY_KEY]: "2", "count/services": "5" }));
      await waitFor("services counted", () => view.quotaUsage("team-ray").get("count/services") === 1, 5000);
      expect(view.quotaUsage("team-ray").get(RAY_KEY)).toBe(1);
    } finally {
      await srv.close();
    }
  });
});
