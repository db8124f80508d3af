// spec.quota exact under concurrency, across replicas: two tenant-guard processes (real servers,
// `node src/main.ts serve --directory cluster`) against one fake API server, a few hundred
// concurrent pod creates spread over a tenant's three namespaces and both replicas. Charges go to
// the Tenant's status with resourceVersion preconditions (409 -> read again), so the admitted total
// never passes hard, and reaches it. Then: reconciliation reclaims charges of pods that never
// appeared, within a bounded time.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { Agent } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadKubeConfig } from "../../src/tenancy/cluster/kubeconfig.ts";
import { ClusterDirectory } from "../../src/tenancy/cluster/cluster-directory.ts";
import { createLogger } from "../../src/log.ts";
import { chargeOfSpec } from "../../src/quota/charge.ts";
import { objectCharge } from "../../src/quota/object-count.ts";
import { startFakeCluster, waitFor, type FakeCluster } from "../support/fake-apiserver/harness.ts";
import { loadReview, setPath } from "../support/fixtures.ts";
import { httpsRequest } from "../support/https.ts";
import { makeCa, makeLeaf } from "../support/pki.ts";

const TENANT = "tenant-guard.dev/tenant";
const NAMESPACES = ["ml-a", "ml-b", "ml-c"];
const HARD = 20;

let world: FakeCluster;
const children: ChildProcess[] = [];

beforeEach(async () => {
  world = await startFakeCluster();
  world.fake.recordRequests = false;
  world.fake.store.apply({
    apiVersion: "tenant-guard.dev/v1alpha1",
    kind: "Tenant",
    metadata: { name: "team-ml" },
    spec: { quota: { hard: { "requests.nvidia.com/gpu": String(HARD) } } },
  });
  for (const ns of NAMESPACES)
    world.fake.store.apply({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: ns, labels: { [TENANT]: "team-ml" } },
    });
  // Already running: 2 GPUs, seen by both replicas' pods informers.
  world.fake.store.apply({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "running-0", namespace: "ml-a" },
    spec: {
      containers: [
        {
          name: "m",
          image: "x",
          resources: { requests: { "nvidia.com/gpu": "2" }, limits: { "nvidia.com/gpu": "2" } },
        },
      ],
    },
    status: { phase: "Running" },
  });
});
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill("SIGKILL");
  await world.close();
});
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
});

interface Replica {
  readonly url: string;
  readonly ca: string;
}

async function startReplica(name: string): Promise<Replica> {
  const dir = mkdtempSync(join(tmpdir(), `tg-ledger-${name}-`));
  const ca = await makeCa(`${name}-ca`);
  const leaf = await makeLeaf(ca, { cn: "tenant-guard", usage: "server" });
  writeFileSync(join(dir, "tls.crt"), leaf.cert);
  writeFileSync(join(dir, "tls.key"), leaf.key);
  const config = {
    server: {
      port: 0,
      host: "127.0.0.1",
      shutdownDelayMs: 0,
      tlsCert: join(dir, "tls.crt"),
      tlsKey: join(dir, "tls.key"),
    },
    directory: { source: "cluster", kubeconfig: world.kubeconfig },
    log: { level: "info" },
  };
  writeFileSync(join(dir, "config.yaml"), JSON.stringify(config));
  const proc = spawn(
    "node_modules/.bin/node",
    ["src/main.ts", "serve", "--config", join(dir, "config.yaml")],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  children.push(proc);
  const logs: string[] = [];
  proc.stderr.on("data", (d: Buffer) => logs.push(d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let buf = "";
    proc.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      for (let nl = buf.indexOf("\n"); nl !== -1; nl = buf.indexOf("\n")) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        logs.push(line);
        const parsed = JSON.parse(line) as { msg?: string; url?: string };
        if (parsed.msg === "tenant-guard listening" && parsed.url !== undefined) resolve(parsed.url);
      }
    });
    proc.once("exit", (code) => reject(new Error(`replica ${name} exited (${code}): ${logs.join("\n")}`)));
  });
  const replica = { url, ca: ca.cert };
  for (let t = Date.now(); ; await new Promise((r) => setTimeout(r, 50))) {
    const ok = await httpsRequest(`${url}/readyz`, { ca: replica.ca }).then(
      (x) => x.status === 200,
      () => false,
    );
    if (ok) break;
    if (Date.now() - t > 15_000) throw new Error(`replica ${name} never ready: ${logs.join("\n")}`);
  }
  return replica;
}

function podReview(i: number, dryRun = false) {
  const r = loadReview("quota/gpu-within-allowed");
  const ns = NAMESPACES[i % NAMESPACES.length] as string;
  const name = `sft-${i}-worker-0`;
  setPath(r, "request.uid", `b0230000-0000-4000-8000-${String(i).padStart(12, "0")}`);
  setPath(r, "request.name", name);
  setPath(r, "request.namespace", ns);
  setPath(r, "request.object.metadata.name", name);
  setPath(r, "request.object.metadata.namespace", ns);
  setPath(r, "request.dryRun", dryRun);
  return r;
}

interface Answer {
  allowed: boolean;
  status?: { message: string };
}

async function create(rep: Replica, agent: Agent, i: number, dryRun = false): Promise<Answer> {
  const res = await httpsRequest(`${rep.url}/validate?timeout=10s`, {
    method: "POST",
    body: JSON.stringify(podReview(i, dryRun)),
    headers: { "content-type": "application/json" },
    ca: rep.ca,
    agent,
  });
  expect(res.status).toBe(200);
  return res.json<{ response: Answer }>().response;
}

/** Each replica admitted some, or the one that admitted none was refused by the shared ledger. */
function expectSharedLedger(answers: readonly Answer[], fullLine: string): void {
  const byReplica = [0, 1].map((r) => answers.filter((x, i) => x.allowed && i % 2 === r));
  for (const r of [0, 1]) {
    if ((byReplica[r] as Answer[]).length > 0) continue;
    const refused = answers.filter((_, i) => i % 2 === r).map((x) => x.status?.message ?? "");
    expect(
      refused.some((m) => m.includes("counting creates admitted but not yet seen") && m.includes(fullLine)),
      `replica ${r} admitted none, and no ledger refusal says "${fullLine}": ${[...new Set(refused.map((m) => m.slice(0, 200)))].join(" | ")}`,
    ).toBe(true);
  }
  expect(byReplica.some((a) => a.length > 0)).toBe(true);
}

function pending(): unknown[] {
  const t = world.fake.store.get("Tenant", undefined, "team-ml") as {
    status?: { quota?: { pending?: unknown[] } };
  };
  return t.status?.quota?.pending ?? [];
}

describe("spec.quota across two replicas", () => {
  it("a few hundred concurrent creates over three namespaces: admitted GPUs reach hard and never pass it", async () => {
    const [a, b] = await Promise.all([startReplica("a"), startReplica("b")]);
    const agentA = new Agent({ keepAlive: true, maxSockets: 16 });
    const agentB = new Agent({ keepAlive: true, maxSockets: 16 });
    // A dry run is judged but charges nothing (sideEffects: NoneOnDryRun).
    expect((await create(a, agentA, 9999, true)).allowed).toBe(true);
    expect(pending()).toHaveLength(0);
    const N = 240;
    const answers = await Promise.all(
      Array.from({ length: N }, (_, i) => (i % 2 === 0 ? create(a, agentA, i) : create(b, agentB, i))),
    );
    agentA.destroy();
    agentB.destroy();
    const admitted = answers.filter((x) => x.allowed).length;
    const denied = answers.filter((x) => !x.allowed);
    // 2 GPUs already run; each create asks 1: exactly HARD - 2 fit.
    expect(admitted).toBe(HARD - 2);
    expect(pending()).toHaveLength(HARD - 2);
    expect(denied).toHaveLength(N - (HARD - 2));
    for (const d of denied) expect(d.status?.message).toContain("[TG-QUOTA-EXCEEDED]");
    expect(
      denied.some((d) =>
        /requests\.nvidia\.com\/gpu: used 20 \+ asked 1 = 21, hard 20/.test(d.status?.message ?? ""),
      ),
    ).toBe(true);
    // Both replicas admitted some: the ledger, not one process, kept the count.
    // Both replicas decided against one ledger: each admitted some, or one that lost every race to
    // the other (it happens under load) was refused by the ledger on a count that holds the other's
    // admits, which no process could know alone.
    expectSharedLedger(answers, "requests.nvidia.com/gpu: used 20 + asked 1 = 21, hard 20");
  }, 60_000);
});

function rayReview(i: number) {
  const r = loadReview("quota/raycluster-create");
  const ns = NAMESPACES[i % NAMESPACES.length] as string;
  const name = `sweep-${i}`;
  setPath(r, "request.uid", `c0230000-0000-4000-8000-${String(i).padStart(12, "0")}`);
  setPath(r, "request.name", name);
  setPath(r, "request.namespace", ns);
  setPath(r, "request.object.metadata.name", name);
  setPath(r, "request.object.metadata.namespace", ns);
  return r;
}

describe("count/<resource>.<group> across two replicas", () => {
  it("concurrent RayCluster creates over three namespaces: the admitted count reaches hard and never passes it", async () => {
    const RAY_HARD = 12;
    world.fake.store.apply({
      apiVersion: "tenant-guard.dev/v1alpha1",
      kind: "Tenant",
      metadata: { name: "team-ml" },
      spec: { quota: { hard: { "count/rayclusters.ray.io": String(RAY_HARD) } } },
    });
    world.fake.store.apply({
      apiVersion: "ray.io/v1",
      kind: "RayCluster",
      metadata: { name: "existing", namespace: "ml-b" },
      spec: { rayVersion: "2.40.0" },
    });
    const [a, b] = await Promise.all([startReplica("a"), startReplica("b")]);
    const agents = [
      new Agent({ keepAlive: true, maxSockets: 16 }),
      new Agent({ keepAlive: true, maxSockets: 16 }),
    ];
    const reps = [a, b];
    const N = 120;
    const answers = await Promise.all(
      Array.from({ length: N }, async (_, i) => {
        const rep = reps[i % 2] as Replica;
        const res = await httpsRequest(`${rep.url}/validate?timeout=10s`, {
          method: "POST",
          body: JSON.stringify(rayReview(i)),
          headers: { "content-type": "application/json" },
          ca: rep.ca,
          agent: agents[i % 2],
        });
        expect(res.status).toBe(200);
        return res.json<{ response: Answer }>().response;
      }),
    );
    for (const ag of agents) ag.destroy();
    const admitted = answers.filter((x) => x.allowed).length;
    expect(admitted).toBe(RAY_HARD - 1);
    // Charged under the entry name the RayCluster informers will know them by.
    const entries = pending() as { pod: string; charge: Record<string, number> }[];
    expect(entries).toHaveLength(RAY_HARD - 1);
    for (const e of entries) {
      expect(e.pod).toMatch(/^ml-[abc]\/rayclusters\.ray\.io\/sweep-\d+$/);
      expect(e.charge).toEqual({ "count/rayclusters.ray.io": 1 });
    }
    const denied = answers.filter((x) => !x.allowed);
    expect(
      denied.some((d) =>
        /count\/rayclusters\.ray\.io: used 12 \+ asked 1 = 13, hard 12/.test(d.status?.message ?? ""),
      ),
    ).toBe(true);
    expectSharedLedger(answers, "count/rayclusters.ray.io: used 12 + asked 1 = 13, hard 12");
  }, 60_000);
});

describe("spec.quota reconciliation", () => {
  it("reclaims the charge of a pod that never appeared within the TTL, and keeps counting one that did", async () => {
    const dir = new ClusterDirectory({
      kubeconfig: loadKubeConfig(world.kubeconfig),
      tenantLabel: TENANT,
      log: createLogger("silent"),
      ledger: { ttlMs: 400, seenGraceMs: 100, reconcileMs: 100 },
    });
    await dir.start();
    try {
      await waitFor("ready", () => dir.status().ready, 5000);
      const view = dir.view();
      const policy = view.tenant("team-ml")!;
      const gpus = (n: number) =>
        chargeOfSpec({
          containers: [{ name: "m", resources: { requests: { "nvidia.com/gpu": String(n) } } }],
        });
      const usage = () => view.quotaUsage("team-ml");
      // 2 running + 18 charged for a pod that another admission step then rejected: full.
      expect((await dir.ledger.charge("team-ml", "ml-b/ghost", gpus(18), policy.quotaHard, usage)).kind).toBe(
        "charged",
      );
      expect((await dir.ledger.charge("team-ml", "ml-c/next", gpus(1), policy.quotaHard, usage)).kind).toBe(
        "over",
      );
      // A charged pod that does appear: counted by the informer, its pending entry dropped after the grace.
      expect((await dir.ledger.charge("team-ml", "ml-a/real-0", gpus(0), policy.quotaHard, usage)).kind).toBe(
        "charged",
      );
      world.fake.store.apply({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "real-0", namespace: "ml-a" },
        spec: { containers: [{ name: "m", image: "x" }] },
        status: { phase: "Pending" },
      });
      const t0 = Date.now();
      await waitFor("reclaimed", () => pending().length === 0, 5000);
      expect(Date.now() - t0).toBeLessThan(2000); // ttl 400 ms + one reconcile period, not forever
      expect((await dir.ledger.charge("team-ml", "ml-c/next", gpus(1), policy.quotaHard, usage)).kind).toBe(
        "charged",
      );
    } finally {
      await dir.close();
    }
  });
  it("a counted object's charge: reclaimed when the object never appeared, dropped once its informer counts it", async () => {
    world.fake.store.apply({
      apiVersion: "tenant-guard.dev/v1alpha1",
      kind: "Tenant",
      metadata: { name: "team-ml" },
      spec: { quota: { hard: { "count/rayclusters.ray.io": "2" } } },
    });
    const dir = new ClusterDirectory({
      kubeconfig: loadKubeConfig(world.kubeconfig),
      tenantLabel: TENANT,
      log: createLogger("silent"),
      ledger: { ttlMs: 4000, seenGraceMs: 100, reconcileMs: 100 },
    });
    await dir.start();
    try {
      await waitFor("ready", () => dir.status().ready, 5000);
      const view = dir.view();
      const hard = view.tenant("team-ml")!.quotaHard;
      const usage = () => view.quotaUsage("team-ml");
      const one = objectCharge("ray.io", "rayclusters");
      const charge = (entry: string) => dir.ledger.charge("team-ml", entry, one, hard, usage);
      expect((await charge("ml-a/rayclusters.ray.io/ghost")).kind).toBe("charged");
      expect((await charge("ml-b/rayclusters.ray.io/real")).kind).toBe("charged");
      expect((await charge("ml-c/rayclusters.ray.io/third")).kind).toBe("over");
      world.fake.store.apply({
        apiVersion: "ray.io/v1",
        kind: "RayCluster",
        metadata: { name: "real", namespace: "ml-b" },
        spec: { rayVersion: "2.40.0" },
      });
      await waitFor("counted", () => usage().get("count/rayclusters.ray.io") === 1);
      // Seen by the RayCluster informer: its entry goes after the grace, long before the ghost's TTL.
      await waitFor("seen and dropped", () => pending().length === 1, 3000);
      expect(pending()).toMatchObject([{ pod: "ml-a/rayclusters.ray.io/ghost" }]);
      await waitFor("reclaimed", () => pending().length === 0, 8000);
      // The real one is counted once (by its informer), the ghost's slot is free again.
      expect((await charge("ml-c/rayclusters.ray.io/third")).kind).toBe("charged");
      expect((await charge("ml-c/rayclusters.ray.io/fourth")).kind).toBe("over");
    } finally {
      await dir.close();
    }
  });
});
