// The cluster directory keeps each Tenant's status.namespaces / namespaceCount current through the
// status subresource of the fake API server: written once synced, updated on a relabel, not
// rewritten when nothing changed, and a 403 (RBAC without tenants/status) is logged once and
// retried without touching admission.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.ts";
import type { ClusterDirectory } from "../../src/tenancy/cluster/cluster-directory.ts";
import {
  clusterDirectory,
  startFakeCluster,
  waitFor,
  type FakeCluster,
} from "../support/fake-apiserver/harness.ts";

let world: FakeCluster;
let dir: ClusterDirectory;
let lines: string[];

beforeEach(async () => {
  world = await startFakeCluster();
  lines = [];
  dir = clusterDirectory(world.kubeconfig, {
    log: createLogger("info", { write: (s: string) => void lines.push(s) }),
    writeTenantStatus: true,
    statusIntervalMs: 50,
  });
});
afterEach(async () => {
  await dir.close();
  await world.close();
});

const statusOf = (tenant: string): unknown => world.fake.store.get("Tenant", undefined, tenant)?.status;
const patches = (): number => world.fake.requests.filter((r) => r.method === "PATCH").length;

describe("Tenant status", () => {
  it("is written once synced, follows a relabel, and is not rewritten when nothing changed", async () => {
    await dir.start();
    await waitFor("team-alpha's status", () => statusOf("team-alpha") !== undefined);
    expect(statusOf("team-alpha")).toEqual({
      namespaces: ["alpha-ci", "alpha-train", "team-alpha"],
      namespaceCount: 3,
    });
    await waitFor("team-beta's status", () => statusOf("team-beta") !== undefined);
    expect(statusOf("team-beta")).toEqual({ namespaces: ["beta-research", "team-beta"], namespaceCount: 2 });

    // beta-research moves to team-alpha: both statuses change.
    world.fake.store.apply({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name: "beta-research",
        labels: { "tenant-guard.dev/tenant": "team-alpha", "kubernetes.io/metadata.name": "beta-research" },
      },
    });
    await waitFor("the relabel in both statuses", () => {
      const beta = statusOf("team-beta") as { namespaceCount?: number } | undefined;
      return beta?.namespaceCount === 1;
    });
    expect(statusOf("team-alpha")).toEqual({
      namespaces: ["alpha-ci", "alpha-train", "beta-research", "team-alpha"],
      namespaceCount: 4,
    });

    // Converged: further rounds find nothing to write.
    const settled = patches();
    await new Promise((r) => setTimeout(r, 300));
    expect(patches()).toBe(settled);
    // Someone edits the status by hand: it is put right again (after six rounds).
    const alpha = world.fake.store.get("Tenant", undefined, "team-alpha")!;
    world.fake.store.apply({
      ...structuredClone(alpha),
      status: { namespaces: ["wrong"], namespaceCount: 1 },
    });
    await waitFor(
      "the repaired status",
      () => (statusOf("team-alpha") as { namespaceCount?: number }).namespaceCount === 4,
    );
    // The Tenants' specs are untouched by the status writes.
    expect(dir.view().tenant("team-alpha")?.defined).toBe(true);
  });

  it("logs a 403 once, keeps retrying, and writes once RBAC allows it", async () => {
    world.fake.faults.statusPatchCode = 403;
    await dir.start();
    await waitFor("ready", () => dir.status().ready);
    await waitFor(
      "refused patches",
      () => world.fake.requests.filter((r) => r.method === "PATCH").length >= 3,
    );
    const warnings = lines.filter((l) => l.includes("RBAC needs patch on tenants/status"));
    expect(warnings).toHaveLength(1);
    expect(dir.status().ready).toBe(true); // admission is not affected
    expect(statusOf("team-alpha")).toBeUndefined();
    world.fake.faults.statusPatchCode = undefined;
    await waitFor("the status after RBAC is fixed", () => statusOf("team-alpha") !== undefined);
  });
});
