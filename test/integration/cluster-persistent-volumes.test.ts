// PersistentVolumes in the cluster backend: the real persistentvolumes informer against the fake API
// server. Full objects are listed and watched (claimRef is not metadata) but only labels, claimRef,
// class and phase are cached; readiness waits for the informer; watch events move the view; and the
// real server's TG-PVC-VOLUME decision follows a volume's claimRef live.
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

const TENANT = "tenant-guard.dev/tenant";
const NFS_PATH = "/exports/beta/datasets";

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

const pv = (name: string, labels: Record<string, string>, claimRef?: [string, string]) => ({
  apiVersion: "v1",
  kind: "PersistentVolume",
  metadata: { name, labels },
  spec: {
    capacity: { storage: "10Gi" },
    accessModes: ["ReadWriteOnce"],
    nfs: { server: "nfs.example.internal", path: `/exports/${name}` },
    ...(claimRef === undefined ? {} : { claimRef: { namespace: claimRef[0], name: claimRef[1] } }),
  },
  status: { phase: claimRef === undefined ? "Available" : "Bound" },
});

describe("cluster directory: persistent volumes", () => {
  it("waits for the persistentvolumes informer, lists full objects and keeps only what rules read", async () => {
    world.fake.faults.delayMs = 300;
    dir = clusterDirectory(world.kubeconfig);
    await dir.start();
    expect(dir.status().ready).toBe(false);
    expect(dir.status().reason).toMatch(/waiting for the initial sync of .*persistentvolumes/);
    await waitFor("ready", () => dir?.status().ready);
    expect(dir.informerStats().find((s) => s.resource === "persistentvolumes")).toMatchObject({
      synced: true,
      listed: 4,
    });
    expect(dir.view().persistentVolume("beta-datasets-pv")).toEqual({
      name: "beta-datasets-pv",
      labels: {},
      tenant: undefined,
      claimRef: { namespace: "team-beta", name: "beta-datasets" },
      storageClassName: "",
      phase: "Bound",
    });
    expect([...dir.view().tenantPersistentVolumes()].map((v) => `${v.name}:${v.tenant}`).sort()).toEqual([
      "alpha-checkpoints-pv:team-alpha",
      "beta-archive-pv:team-beta",
    ]);
    const lists = world.fake.requestsFor("persistentvolumes", { watch: false });
    expect(lists.length).toBeGreaterThan(0);
    expect(lists.every((r) => !(r.accept ?? "").includes("as=PartialObjectMetadata"))).toBe(true);
    // The fake API server did send the volume source; the directory kept none of it.
    expect(JSON.stringify(world.fake.store.list("persistentvolumes"))).toContain(NFS_PATH);
    const dump = inspect(dir, { depth: Infinity, maxArrayLength: Infinity, maxStringLength: Infinity });
    expect(dump).toContain("beta-datasets-pv");
    expect(dump).not.toContain(NFS_PATH);
    expect(dump).not.toContain("nfs.example.internal");
  });

  it("follows watch events: a new volume, a relabel, a claimRef, a deletion", async () => {
    dir = clusterDirectory(world.kubeconfig);
    await dir.start();
    await waitFor("ready", () => dir?.status().ready);
    const view = dir.view();
    world.fake.store.apply(pv("late-pv", { [TENANT]: "team-gamma" }));
    await waitFor("added", () => view.persistentVolume("late-pv")?.tenant === "team-gamma");
    expect([...view.tenantPersistentVolumes()].some((v) => v.name === "late-pv")).toBe(true);
    world.fake.store.apply(pv("late-pv", {}, ["team-gamma", "cache"]));
    await waitFor("rebound", () => view.persistentVolume("late-pv")?.claimRef?.name === "cache");
    expect([...view.tenantPersistentVolumes()].some((v) => v.name === "late-pv")).toBe(false);
    expect(dir.status().counts.PersistentVolume).toBe(5);
    world.fake.store.remove("PersistentVolume", undefined, "late-pv");
    await waitFor("deleted", () => view.persistentVolume("late-pv") === undefined);
    expect(dir.status().counts.PersistentVolume).toBe(4);
  });
});

describe("serve --directory cluster: TG-PVC-VOLUME follows a volume's claimRef live", () => {
  it("denies binding beta's volume, and allows it once the volume is free and labelled for alpha", async () => {
    const srv = await startTestServer({ directory: { source: "cluster", kubeconfig: world.kubeconfig } });
    try {
      await waitFor("ready", () => srv.serving.directory.status().ready, 5000);
      const decide = async (): Promise<{ allowed: boolean; status?: { message: string } }> =>
        (await srv.review("/validate", loadReview("volumes/pvc-volume-name-denied"))).json<{
          response: { allowed: boolean; status?: { message: string } };
        }>().response;
      const before = await decide();
      expect(before.allowed).toBe(false);
      expect(before.status?.message).toMatch(/\[TG-PVC-VOLUME\].*"team-beta\/beta-datasets"/);
      // An admin frees the volume and hands it to team-alpha.
      world.fake.store.apply(pv("beta-datasets-pv", { [TENANT]: "team-alpha" }));
      await waitFor(
        "released",
        () => srv.serving.directory.view().persistentVolume("beta-datasets-pv")?.tenant === "team-alpha",
      );
      expect((await decide()).allowed).toBe(true);
    } finally {
      await srv.close();
    }
  });
});
