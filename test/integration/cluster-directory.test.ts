// The cluster backend's real client-node informers against the fake API server: sync and
// readiness, metadata-only caching (no secret data anywhere), and the same view as the file
// backend for the same world.
import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.ts";
import { loadDirectoryPath } from "../../src/tenancy/file.ts";
import { CACHED_KINDS, type CachedKind, type CachedObject } from "../../src/tenancy/view.ts";
import type { ClusterDirectory } from "../../src/tenancy/cluster/cluster-directory.ts";
import {
  EXAMPLES,
  clusterDirectory,
  startFakeCluster,
  waitFor,
  type FakeCluster,
} from "../support/fake-apiserver/harness.ts";
import { objectsOfYaml } from "../support/fake-apiserver/load.ts";

const SECRET_VALUE = "s3cr3t-model-registry-password-4711";
const SECRET_B64 = Buffer.from(SECRET_VALUE).toString("base64");

/** What the view promises of a cached object (the cluster backend's entries carry identity too). */
const entry = (o: CachedObject | undefined) =>
  o && { labels: { ...o.labels }, annotations: { ...o.annotations } };

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

async function synced(d: ClusterDirectory): Promise<void> {
  await d.start();
  await waitFor("directory ready", () => d.status().ready);
}

describe("cluster directory: initial sync", () => {
  it("starts unready, reports what it waits for, and turns ready once every informer listed", async () => {
    world.fake.faults.delayMs = 400; // a slow API server: start() must not wait for it
    // examples/cluster.yaml has no pods: one, so the pods informer too has something to list
    world.fake.store.apply({
      kind: "Pod",
      metadata: { name: "web-0", namespace: "team-alpha" },
      spec: { containers: [{ name: "web", image: "nginx" }] },
    });
    dir = clusterDirectory(world.kubeconfig);
    const t0 = Date.now();
    await dir.start();
    expect(Date.now() - t0).toBeLessThan(400);
    const before = dir.status();
    expect(before.ready).toBe(false);
    expect(before.reason).toMatch(
      /waiting for the initial sync of namespaces, tenants, nodes, serviceaccounts/,
    );
    await waitFor("ready", () => dir?.status().ready);
    expect(dir.informerStats().every((s) => s.synced && s.listed > 0)).toBe(true);
  });

  it("holds the same world as the file backend for examples/cluster.yaml", async () => {
    // With the Gateway API kinds, the cluster claims the same hosts the file world does.
    dir = clusterDirectory(world.kubeconfig, { gatewayAPI: true });
    await synced(dir);
    const file = await loadDirectoryPath(EXAMPLES, "tenant-guard.dev/tenant");
    const view = dir.view();
    expect(dir.status().counts).toEqual(file.counts());
    for (const obj of objectsOfYaml(readFileSync(EXAMPLES, "utf8"))) {
      const md = obj.metadata as { name: string; namespace?: string };
      if (obj.kind === "Namespace") {
        expect(view.namespace(md.name)).toEqual(file.namespace(md.name));
      } else if (obj.kind === "Tenant") {
        expect(view.tenant(md.name)?.spec).toEqual(file.tenant(md.name)?.spec);
      } else if (obj.kind === "Node") {
        expect(view.node(md.name)).toBeDefined();
        expect(view.node(md.name)).toEqual(file.node(md.name));
      } else if (CACHED_KINDS.includes(obj.kind as CachedKind)) {
        const kind = obj.kind as CachedKind;
        expect(entry(view.object(kind, md.namespace ?? "", md.name))).toEqual(
          entry(file.object(kind, md.namespace ?? "", md.name)),
        );
        expect(view.ownerOfObject(kind, md.namespace ?? "", md.name)).toBe(
          file.ownerOfObject(kind, md.namespace ?? "", md.name),
        );
      }
    }
    expect([...view.tenantsOfGroup("team-alpha-devs")]).toEqual(["team-alpha"]);
    expect(view.poolOwner("tenant-guard.dev/pool", "beta-gpu")).toBe("team-beta");
  });
});

describe("cluster directory: nodes", () => {
  const IMAGE = "registry.example.com/alpha/never-cached:1";

  it("watches whole Nodes, keeps labels and taints only, and follows adds, relabels and deletes", async () => {
    dir = clusterDirectory(world.kubeconfig);
    await synced(dir);
    expect(dir.status().counts.Node).toBe(4); // the examples' nodes
    expect(world.fake.requestsFor("nodes").some((q) => q.accept?.includes("as="))).toBe(false);
    world.fake.store.apply({
      apiVersion: "v1",
      kind: "Node",
      metadata: {
        name: "gamma-gpu-9",
        labels: { "tenant-guard.dev/pool": "alpha-gpu", "kubernetes.io/hostname": "gamma-gpu-9" },
        annotations: { "csi.volume.kubernetes.io/nodeid": '{"ebs.csi.aws.com":"i-0abc"}' },
      },
      spec: {
        providerID: "aws:///us-east-1a/i-0abc",
        taints: [{ key: "tenant-guard.dev/pool", value: "alpha-gpu", effect: "NoSchedule" }],
      },
      status: { images: [{ names: [IMAGE], sizeBytes: 1 }], capacity: { "nvidia.com/gpu": "8" } },
    });
    await waitFor("node added", () => dir?.view().node("gamma-gpu-9"));
    expect(dir.view().node("gamma-gpu-9")).toEqual({
      name: "gamma-gpu-9",
      labels: { "tenant-guard.dev/pool": "alpha-gpu", "kubernetes.io/hostname": "gamma-gpu-9" },
      taints: [{ key: "tenant-guard.dev/pool", value: "alpha-gpu", effect: "NoSchedule" }],
    });
    expect(dir.status().counts.Node).toBe(5);
    const dump = inspect(dir, { depth: Infinity, maxArrayLength: Infinity, maxStringLength: Infinity });
    expect(dump).toContain("gamma-gpu-9"); // the dump does reach the caches
    expect(dump).not.toContain(IMAGE);
    expect(dump).not.toContain("i-0abc");

    const node = world.fake.store.get("Node", undefined, "gamma-gpu-9") as {
      metadata: { labels: Record<string, string> };
      spec: { taints: unknown[] };
    };
    node.metadata.labels["tenant-guard.dev/pool"] = "general";
    node.spec.taints = [];
    world.fake.store.apply(node);
    await waitFor("node relabelled", () => dir?.view().node("gamma-gpu-9")?.taints.length === 0);
    expect(dir.view().node("gamma-gpu-9")?.labels["tenant-guard.dev/pool"]).toBe("general");

    world.fake.store.remove("Node", undefined, "gamma-gpu-9");
    await waitFor("node deleted", () => dir?.view().node("gamma-gpu-9") === undefined);
    expect(dir.status().counts.Node).toBe(4);
  });

  it("stays unready, saying why, while RBAC refuses nodes, and turns ready once it allows them", async () => {
    world.fake.faults.forbidden.add("nodes");
    dir = clusterDirectory(world.kubeconfig);
    await dir.start();
    await waitFor("the others synced", () =>
      dir?.informerStats().every((s) => s.resource === "nodes" || s.synced),
    );
    await waitFor("the nodes error", () => dir?.informerStats().some((s) => s.lastError !== undefined));
    const status = dir.status();
    expect(status.ready).toBe(false);
    expect(status.reason).toMatch(/waiting for the initial sync of nodes \(nodes: HTTP 403/);
    world.fake.faults.forbidden.delete("nodes");
    await waitFor("ready", () => dir?.status().ready);
    expect(dir.view().node("alpha-gpu-1")?.labels["tenant-guard.dev/pool"]).toBe("alpha-gpu");
  });
});

describe("cluster directory: large collections", () => {
  it("lists in pages (limit + continue) and gets every object", async () => {
    world.fake.store.bulkLoad(
      Array.from({ length: 1234 }, (_, i) => ({
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: {
          name: `cm-${i}`,
          namespace: `ns-${i % 7}`,
          labels: { i: String(i), "tenant-guard.dev/tenant": `tenant-${i}` },
        },
      })),
    );
    dir = clusterDirectory(world.kubeconfig);
    await synced(dir);
    expect(dir.status().counts.ConfigMap).toBe(1234 + 3); // plus the examples' three
    expect(dir.view().ownerOfObject("ConfigMap", "ns-1", "cm-1233")).toBe("tenant-1233");
    // Only the tenant label is kept of a cached object's labels.
    expect({ ...dir.view().object("ConfigMap", "ns-1", "cm-1233")?.labels }).toEqual({
      "tenant-guard.dev/tenant": "tenant-1233",
    });
    const lists = world.fake.requestsFor("configmaps", { watch: false });
    expect(lists.map((r) => r.query.get("limit"))).toEqual(["500", "500", "500"]);
    expect(lists.slice(1).every((r) => (r.query.get("continue") ?? "") !== "")).toBe(true);
  });
});

describe("cluster directory: metadata only", () => {
  it("asks for PartialObjectMetadata on lists and watches and keeps no secret data anywhere", async () => {
    world.fake.store.apply({
      apiVersion: "v1",
      kind: "Secret",
      type: "Opaque",
      metadata: {
        name: "registry-password",
        namespace: "team-alpha",
        labels: { "tenant-guard.dev/tenant": "team-alpha" },
        annotations: {
          "kubectl.kubernetes.io/last-applied-configuration": `{"data":{"password":"${SECRET_B64}"}}`,
        },
      },
      data: { password: SECRET_B64 },
      stringData: { plain: SECRET_VALUE },
    });
    // Control: the fake API server does hand out the data to a client that does not ask for metadata.
    const plain = await fetch(`${world.fake.url}/api/v1/secrets`);
    expect(await plain.text()).toContain(SECRET_B64);
    world.fake.requests.length = 0;

    dir = clusterDirectory(world.kubeconfig);
    await synced(dir);
    // A secret created after the sync arrives through the watch, not the list.
    world.fake.store.apply({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "late-secret", namespace: "team-beta" },
      data: { token: SECRET_B64 },
    });
    await waitFor("late secret", () => dir?.view().object("Secret", "team-beta", "late-secret"));

    const secretReqs = world.fake.requestsFor("secrets");
    const list = secretReqs.find((r) => !r.watch);
    const watch = secretReqs.find((r) => r.watch);
    expect(list?.accept).toMatch(/^application\/json;as=PartialObjectMetadataList;g=meta\.k8s\.io;v=v1/);
    expect(watch?.accept).toMatch(/^application\/json;as=PartialObjectMetadata;g=meta\.k8s\.io;v=v1/);
    expect(list?.authorization).toBe("Bearer fake-apiserver-token");
    for (const r of ["serviceaccounts", "configmaps", "persistentvolumeclaims"]) {
      expect(world.fake.requestsFor(r).every((q) => q.accept?.includes("as=PartialObjectMetadata"))).toBe(
        true,
      );
    }
    expect(world.fake.requestsFor("namespaces").some((q) => q.accept?.includes("as="))).toBe(false);

    expect(entry(dir.view().object("Secret", "team-alpha", "registry-password"))).toEqual({
      labels: { "tenant-guard.dev/tenant": "team-alpha" },
      annotations: {},
    });
    // Everything the directory holds, informer caches included, private fields and Maps too.
    const dump = inspect(dir, { depth: Infinity, maxArrayLength: Infinity, maxStringLength: Infinity });
    expect(dump).toContain("registry-password"); // the dump does reach the caches
    expect(dump).toContain("late-secret");
    expect(dump).not.toContain(SECRET_B64);
    expect(dump).not.toContain(SECRET_VALUE);
  });

  it("still drops data, and says so, when an API server ignores the metadata Accept header", async () => {
    world.fake.store.apply({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "old-server", namespace: "team-gamma" },
      data: { k: SECRET_B64 },
    });
    world.fake.faults.ignoreMetadataAccept = true;
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString("utf8"));
        cb();
      },
    });
    dir = clusterDirectory(world.kubeconfig, { log: createLogger("warn", sink) });
    await synced(dir);
    expect(entry(dir.view().object("Secret", "team-gamma", "old-server"))).toEqual({
      labels: {},
      annotations: {},
    });
    const dump = inspect(dir, { depth: Infinity, maxArrayLength: Infinity, maxStringLength: Infinity });
    expect(dump).toContain("old-server");
    expect(dump).not.toContain(SECRET_B64);
    expect(lines.join("")).toMatch(/"resource":"secrets".*ignored the metadata-only Accept header/);
  });
});
