// Leader election for the background audit against the fake API server's Leases: two replicas
// (two electors with their own clients), one leads, the other takes over when the first stops,
// at once when it released the Lease and only after leaseDuration when it vanished without a word.
import { afterEach, describe, expect, it } from "vitest";
import { LeaderElector } from "../../src/audit/leader-election.ts";
import { leaseClient } from "../../src/audit/lease-client.ts";
import { loadKubeConfig } from "../../src/audit/kube-list.ts";
import type { JsonRecord } from "../../src/k8s/access.ts";
import { createLogger } from "../../src/log.ts";
import { startFakeApiServer, type FakeApiServer } from "../support/fake-apiserver/server.ts";
import { writeKubeconfig } from "../support/fake-apiserver/kubeconfig.ts";
import { waitFor } from "../support/wait.ts";

const NS = "tenant-guard-system";
const NAME = "tenant-guard-background-audit";
const log = createLogger("silent");

let api: FakeApiServer | undefined;
const electors: LeaderElector[] = [];
afterEach(async () => {
  for (const e of electors.splice(0)) await e.stop(false);
  await api?.close();
  api = undefined;
});

interface Replica {
  readonly elector: LeaderElector;
  readonly events: string[];
}

async function replica(identity: string, leaseDurationMs = 1_000): Promise<Replica> {
  const kc = loadKubeConfig(await writeKubeconfig(api!.url));
  const events: string[] = [];
  const elector = new LeaderElector({
    client: leaseClient(kc, NS, NAME),
    identity,
    leaseDurationMs,
    renewDeadlineMs: 600,
    retryPeriodMs: 100,
    onStartedLeading: () => events.push("started"),
    onStoppedLeading: () => events.push("stopped"),
    log,
  });
  electors.push(elector);
  return { elector, events };
}

const lease = (): JsonRecord => api!.leases.spec(NS, NAME) ?? {};

describe("background audit leader election", () => {
  it("one of two replicas leads; the other takes over only after the lease expires when the first vanishes", async () => {
    api = await startFakeApiServer();
    const a = await replica("tenant-guard-7d9f-a");
    a.elector.start();
    await waitFor("a leads", () => a.elector.isLeader, 5_000);
    const b = await replica("tenant-guard-7d9f-b");
    b.elector.start();

    const first = lease();
    expect(first.holderIdentity).toBe("tenant-guard-7d9f-a");
    expect(first.leaseDurationSeconds).toBe(1);
    expect(first.leaseTransitions).toBe(0);
    expect(first.acquireTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    // a renews; b keeps reading and never leads while a does.
    await waitFor("a renews", () => lease().renewTime !== first.renewTime, 5_000);
    await new Promise((r) => setTimeout(r, 700));
    expect(b.elector.isLeader).toBe(false);
    expect(lease().holderIdentity).toBe("tenant-guard-7d9f-a");
    expect(lease().acquireTime).toBe(first.acquireTime); // renewals keep the acquire time

    // a crashes (no release): b waits for the lease to expire as b observed it, then takes it.
    const crashed = Date.now();
    await a.elector.stop(false);
    await waitFor("b leads", () => b.elector.isLeader, 5_000);
    expect(Date.now() - crashed).toBeGreaterThanOrEqual(700);
    const taken = lease();
    expect(taken.holderIdentity).toBe("tenant-guard-7d9f-b");
    expect(taken.leaseTransitions).toBe(1);
    expect(taken.acquireTime).not.toBe(first.acquireTime);
    expect(a.events).toEqual(["started", "stopped"]);
    expect(b.events).toEqual(["started"]);
  });

  it("a leader that stops gracefully releases the lease and the other takes over without waiting for it to expire", async () => {
    api = await startFakeApiServer();
    // A long lease: waiting it out would take 30 s.
    const a = await replica("replica-a", 30_000);
    a.elector.start();
    await waitFor("a leads", () => a.elector.isLeader, 5_000);
    const b = await replica("replica-b", 30_000);
    b.elector.start();
    await new Promise((r) => setTimeout(r, 400));
    expect(b.elector.isLeader).toBe(false);

    const t0 = Date.now();
    await a.elector.stop();
    expect(lease().holderIdentity).toBe("");
    await waitFor("b leads", () => b.elector.isLeader, 5_000);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(lease().holderIdentity).toBe("replica-b");
    expect(lease().leaseTransitions).toBe(1);
  });

  it("of two candidates racing for a fresh lease, exactly one wins (resourceVersion conflicts)", async () => {
    api = await startFakeApiServer();
    const rs = await Promise.all(["r1", "r2", "r3"].map((id) => replica(id)));
    for (const r of rs) r.elector.start();
    await waitFor("one leads", () => rs.some((r) => r.elector.isLeader), 5_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(rs.filter((r) => r.elector.isLeader)).toHaveLength(1);
    const holder = lease().holderIdentity;
    expect(rs.find((r) => r.elector.isLeader)?.elector).toBe(
      rs[["r1", "r2", "r3"].indexOf(String(holder))]?.elector,
    );
  });

  it("a leader that cannot renew stops leading within the renew deadline", async () => {
    api = await startFakeApiServer();
    const a = await replica("replica-a");
    a.elector.start();
    await waitFor("a leads", () => a.elector.isLeader, 5_000);
    // The API server fails every call from now on.
    api.faults.failNext(1_000, 500);
    await waitFor("a steps down", () => !a.elector.isLeader, 5_000);
    expect(a.events).toEqual(["started", "stopped"]);
  });
});
