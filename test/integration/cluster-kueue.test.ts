// Kueue ClusterQueues in the cluster backend (config kueue.watchClusterQueues): the real
// clusterqueues informer against the fake API server lists and watches metadata only, keeps the
// tenant label and the shared-with annotation, follows watch events, and the real server's
// TG-KUEUE-LOCALQUEUE decision follows a ClusterQueue's label live. With the switch off (the
// default) nothing is listed and the rule says why it cannot judge.
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ClusterDirectory } from "../../src/tenancy/cluster/cluster-directory.ts";
import {
  clusterDirectory,
  startFakeCluster,
  waitFor,
  type FakeCluster,
} from "../support/fake-apiserver/harness.ts";
import { writeReview } from "../support/review.ts";
import { startTestServer } from "../support/server.ts";

const TENANT = "tenant-guard.dev/tenant";
const SHARED = "tenant-guard.dev/shared-with";
const FLAVOR = "a100-80gb-reserved";

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

const clusterQueue = (
  name: string,
  labels: Record<string, string>,
  annotations: Record<string, string> = {},
) => ({
  apiVersion: "kueue.x-k8s.io/v1beta1",
  kind: "ClusterQueue",
  metadata: { name, labels, annotations },
  spec: {
    namespaceSelector: {},
    resourceGroups: [
      {
        coveredResources: ["nvidia.com/gpu"],
        flavors: [{ name: FLAVOR, resources: [{ name: "nvidia.com/gpu", nominalQuota: 8 }] }],
      },
    ],
  },
  status: { pendingWorkloads: 0, admittedWorkloads: 3 },
});

/** A LocalQueue create in team-alpha's namespace by alice (team-alpha), as the API server sends it. */
function localQueueReview(clusterQueueName: string) {
  return writeReview(
    {
      apiVersion: "kueue.x-k8s.io/v1beta1",
      kind: "LocalQueue",
      metadata: { name: "alpha-queue", namespace: "alpha-train" },
      spec: { clusterQueue: clusterQueueName },
    },
    { user: { username: "alice@example.com", groups: ["team-alpha-devs", "system:authenticated"] } },
  );
}

describe("cluster directory: Kueue ClusterQueues", () => {
  it("lists and watches metadata only, keeps the tenant and shared-with, and follows events", async () => {
    world.fake.store.apply(clusterQueue("cq-alpha", { [TENANT]: "team-alpha" }));
    world.fake.store.apply(clusterQueue("cq-spot", {}, { [SHARED]: "team-alpha,team-beta" }));
    dir = clusterDirectory(world.kubeconfig, { clusterQueues: { version: "v1beta1" } });
    await dir.start();
    await waitFor("ready", () => dir?.status().ready);
    const view = dir.view();
    expect(view.clusterQueuesKnown()).toBe(true);
    expect(view.clusterQueue("cq-alpha")).toEqual({
      name: "cq-alpha",
      tenant: "team-alpha",
      sharedWith: new Set(),
    });
    expect([...(view.clusterQueue("cq-spot")?.sharedWith ?? [])]).toEqual(["team-alpha", "team-beta"]);
    expect(dir.status().counts.ClusterQueue).toBe(2);
    const requests = world.fake.requestsFor("clusterqueues");
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.every((r) => (r.accept ?? "").includes("as=PartialObjectMetadata"))).toBe(true);
    // Quotas and flavors never reach the process.
    const dump = inspect(dir, { depth: Infinity, maxArrayLength: Infinity, maxStringLength: Infinity });
    expect(dump).toContain("cq-alpha");
    expect(dump).not.toContain(FLAVOR);
    // Watch: a relabel moves it, a deletion forgets it.
    world.fake.store.apply(clusterQueue("cq-alpha", { [TENANT]: "team-beta" }));
    await waitFor("relabelled", () => view.clusterQueue("cq-alpha")?.tenant === "team-beta");
    world.fake.store.remove("ClusterQueue", undefined, "cq-spot");
    await waitFor("deleted", () => view.clusterQueue("cq-spot") === undefined);
    expect(dir.status().counts.ClusterQueue).toBe(1);
  });

  it("off by default: no clusterqueues informer, and the view says ClusterQueues are not known", async () => {
    dir = clusterDirectory(world.kubeconfig);
    await dir.start();
    await waitFor("ready", () => dir?.status().ready);
    expect(dir.view().clusterQueuesKnown()).toBe(false);
    expect(world.fake.requestsFor("clusterqueues")).toEqual([]);
  });
});

describe("serve --directory cluster: TG-KUEUE-LOCALQUEUE follows a ClusterQueue's tenant label live", () => {
  it("allows pointing at team-alpha's ClusterQueue, and denies it once it is relabelled for team-beta", async () => {
    world.fake.store.apply(clusterQueue("cq-alpha", { [TENANT]: "team-alpha" }));
    const srv = await startTestServer({
      directory: { source: "cluster", kubeconfig: world.kubeconfig },
      kueue: { watchClusterQueues: true },
    });
    try {
      await waitFor("ready", () => srv.serving.directory.status().ready, 5000);
      const decide = async () =>
        (await srv.review("/validate", localQueueReview("cq-alpha"))).json<{
          response: { allowed: boolean; status?: { message: string } };
        }>().response;
      expect((await decide()).allowed).toBe(true);
      world.fake.store.apply(clusterQueue("cq-alpha", { [TENANT]: "team-beta" }));
      await waitFor(
        "relabelled",
        () => srv.serving.directory.view().clusterQueue("cq-alpha")?.tenant === "team-beta",
      );
      const after = await decide();
      expect(after.allowed).toBe(false);
      expect(after.status?.message).toMatch(
        /\[TG-KUEUE-LOCALQUEUE\].*"cq-alpha", which is tenant "team-beta"'s/,
      );
    } finally {
      await srv.close();
    }
  });

  it("with the switch off, a LocalQueue is denied with the reason, not guessed", async () => {
    const srv = await startTestServer({ directory: { source: "cluster", kubeconfig: world.kubeconfig } });
    try {
      await waitFor("ready", () => srv.serving.directory.status().ready, 5000);
      const r = (await srv.review("/validate", localQueueReview("cq-alpha"))).json<{
        response: { allowed: boolean; status?: { message: string } };
      }>().response;
      expect(r.allowed).toBe(false);
      expect(r.status?.message).toContain("tenant-guard does not watch ClusterQueues");
      expect(r.status?.message).toContain("kueue.watchClusterQueues: true");
    } finally {
      await srv.close();
    }
  });
});
