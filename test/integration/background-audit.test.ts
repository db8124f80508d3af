// `serve --background-audit`: PolicyReports kept current by the server itself, against a list
// server that pages, serves metadata-only lists, applies and deletes reports and fails on demand.
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { BackgroundAudit, type BackgroundAuditOptions } from "../../src/audit/background.ts";
import { backgroundAuditMetrics } from "../../src/audit/background-metrics.ts";
import { backgroundSources } from "../../src/audit/background-sources.ts";
import { kubeLister, loadKubeConfig } from "../../src/audit/kube-list.ts";
import { deleteReport, publishReports } from "../../src/audit/publish.ts";
import { buildConfig } from "../../src/policy/config.ts";
import { policySettings } from "../../src/policy/settings.ts";
import type { JsonRecord } from "../../src/k8s/access.ts";
import { createLogger } from "../../src/log.ts";
import { mutatorRegistry, ruleRegistry } from "../../src/policy/catalogue.ts";
import { buildIndexFromObjects } from "../../src/tenancy/build.ts";
import { parseYamlObjects } from "../../src/tenancy/yaml-objects.ts";
import { Registry } from "prom-client";
import { startListServer, type ListServer } from "../support/audit-list-server.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { waitFor } from "../support/wait.ts";

const EXAMPLES = parseYamlObjects(readFileSync("examples/cluster.yaml", "utf8"), "x").map((s) => s.object);
const ALPHA_REPORT =
  "/apis/wgpolicyk8s.io/v1alpha2/namespaces/team-alpha/policyreports/tenant-guard-team-alpha";

function pod(name: string, image: string): JsonRecord {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "team-alpha", uid: `uid-${name}` },
    spec: { containers: [{ name: "main", image }] },
  };
}

interface Report {
  summary: { pass: number; fail: number };
  results: { result: string; rule?: string; resources: { kind: string; name: string }[] }[];
}
const reportAt = (s: ListServer, path: string): Report | undefined =>
  s.applied.get(path)?.object as unknown as Report | undefined;
const failsFor = (r: Report | undefined, name: string): string[] =>
  (r?.results ?? [])
    .filter((x) => x.result === "fail" && x.resources[0]?.name === name)
    .map((x) => x.rule ?? "");

let list: ListServer | undefined;
let server: TestServer | undefined;
let second: TestServer | undefined;
let audit: BackgroundAudit | undefined;
afterEach(async () => {
  await audit?.close();
  await server?.close();
  await second?.close();
  await list?.close();
  audit = server = second = list = undefined;
});

describe("serve --background-audit", () => {
  it("publishes a violating object's report within the interval, clears it when fixed, stops on close", async () => {
    list = await startListServer(EXAMPLES);
    server = await startTestServer({
      directory: { kubeconfig: list.kubeconfig },
      audit: { background: { interval: "150ms", budget: "10s", pagePauseMs: 0 } },
    });
    expect(server.serving.backgroundAudit).toBeDefined();
    list.put(pod("bad", "docker.io/evil/miner:1"));
    await waitFor(
      "the finding in team-alpha's report",
      () => failsFor(reportAt(list!, ALPHA_REPORT), "bad").length > 0,
      5000,
    );
    expect(failsFor(reportAt(list, ALPHA_REPORT), "bad")).toContain("TG-POD-REGISTRY");
    list.put(pod("bad", "registry.example.com/alpha/miner:1"));
    await waitFor(
      "the finding cleared",
      () => failsFor(reportAt(list!, ALPHA_REPORT), "bad").length === 0,
      5000,
    );
    const fixed = reportAt(list, ALPHA_REPORT)?.results.filter((x) => x.resources[0]?.name === "bad");
    expect(fixed?.map((x) => x.result)).toEqual(["pass"]);
    const metrics = await server.serving.metrics.registry.metrics();
    expect(metrics).toMatch(/tenant_guard_background_audit_objects [1-9]/);
    expect(metrics).toMatch(/tenant_guard_background_audit_last_success_timestamp_seconds [1-9]/);
    // Leader election is on by default: this replica ran the audit because it holds the Lease.
    expect(metrics).toMatch(/tenant_guard_background_audit_leader 1/);
    expect(list.leases.spec("tenant-guard-system", "tenant-guard-background-audit")?.holderIdentity).toMatch(
      /_/,
    );
    await server.close();
    server = undefined;
    // Released on shutdown: the next replica need not wait for the Lease to expire.
    expect(list.leases.spec("tenant-guard-system", "tenant-guard-background-audit")?.holderIdentity).toBe("");
    const after = list.requests.length;
    await new Promise((r) => setTimeout(r, 400));
    expect(list.requests.length).toBe(after); // no run after shutdown
  });

  it("of two replicas only the Lease holder audits; when it stops, the other takes over and publishes", async () => {
    list = await startListServer(EXAMPLES);
    const overrides = {
      directory: { kubeconfig: list.kubeconfig },
      audit: {
        background: {
          interval: "150ms",
          budget: "10s",
          pagePauseMs: 0,
          leaderElection: { leaseDuration: "1s", renewDeadline: "600ms", retryPeriod: "100ms" },
        },
      },
    };
    const leaseOf = () => list!.leases.spec("tenant-guard-system", "tenant-guard-background-audit");
    server = await startTestServer(overrides, { identity: { name: "tenant-guard-5c8d-a" } });
    await waitFor(
      "replica a holds the lease",
      () => leaseOf()?.holderIdentity === "tenant-guard-5c8d-a",
      5000,
    );
    second = await startTestServer(overrides, { identity: { name: "tenant-guard-5c8d-b" } });
    list.put(pod("bad", "docker.io/evil/miner:1"));
    await waitFor(
      "the finding published",
      () => failsFor(reportAt(list!, ALPHA_REPORT), "bad").length > 0,
      5000,
    );
    await new Promise((r) => setTimeout(r, 500)); // b had time for several runs, were it running
    const gauge = async (s: TestServer, name: string): Promise<number> =>
      Number(
        new RegExp(`^${name} (\\S+)$`, "m").exec(await s.serving.metrics.registry.metrics())?.[1] ?? NaN,
      );
    expect(await gauge(server, "tenant_guard_background_audit_leader")).toBe(1);
    expect(await gauge(second, "tenant_guard_background_audit_leader")).toBe(0);
    expect(await gauge(second, "tenant_guard_background_audit_last_success_timestamp_seconds")).toBe(0);

    // a stops (releasing the Lease): b takes over, and b's runs keep the report current.
    await server.close();
    server = undefined;
    await waitFor(
      "replica b holds the lease",
      () => leaseOf()?.holderIdentity === "tenant-guard-5c8d-b",
      5000,
    );
    expect(leaseOf()?.leaseTransitions).toBe(1);
    list.put(pod("bad", "registry.example.com/alpha/miner:1"));
    await waitFor(
      "b clears the finding",
      () => failsFor(reportAt(list!, ALPHA_REPORT), "bad").length === 0,
      5000,
    );
    expect(await gauge(second, "tenant_guard_background_audit_leader")).toBe(1);
    // The report is applied before the run records its success: wait for the run to end.
    let succeeded = 0;
    await waitFor(
      "b's run recorded",
      () => {
        void gauge(second!, "tenant_guard_background_audit_last_success_timestamp_seconds").then(
          (v) => (succeeded = v),
        );
        return succeeded > 0;
      },
      5000,
    );
  });

  it("leader election timings that cannot work are refused when the config is built", () => {
    const le = (leaderElection: JsonRecord) => () =>
      buildConfig(undefined, { audit: { background: { interval: "10m", leaderElection } } });
    expect(le({ leaseDuration: "10s", renewDeadline: "10s" })).toThrow(
      /renewDeadline: must be shorter than leaseDuration/,
    );
    expect(le({ renewDeadline: "2s", retryPeriod: "2s" })).toThrow(/retryPeriod/);
    expect(le({ leaseDuration: "1500ms", renewDeadline: "1s", retryPeriod: "100ms" })).toThrow(
      /whole seconds/,
    );
    expect(le({ enabled: false })).not.toThrow();
  });

  it("an interval that is not a duration is refused when the config is built", () => {
    expect(() => buildConfig(undefined, { audit: { background: { interval: "10 minutes" } } })).toThrow(
      /audit\.background\.interval/,
    );
    expect(() => buildConfig(undefined, { audit: { background: { interval: "50ms" } } })).toThrow(/100ms/);
  });
});

describe("BackgroundAudit", () => {
  async function setup(
    objects: JsonRecord[],
    tenants: () => JsonRecord[],
    opts: Partial<BackgroundAuditOptions> = {},
  ) {
    list = await startListServer(objects);
    const kc = loadKubeConfig(list.kubeconfig);
    const cfg = buildConfig(undefined, {});
    const logs: string[] = [];
    const log = createLogger("info", {
      write: (l: string) => void logs.push(l),
    } as unknown as NodeJS.WritableStream);
    const registry = new Registry();
    audit = new BackgroundAudit({
      lister: kubeLister(kc),
      writer: {
        apply: async (reports) => (await publishReports(kc, reports, () => {})).failed,
        remove: (path) => deleteReport(kc, path),
      },
      view: () => buildIndexFromObjects(tenants(), "tenant-guard.dev/tenant"),
      engine: { rules: ruleRegistry(), mutators: mutatorRegistry(), settings: policySettings(cfg) },
      sources: backgroundSources(true),
      intervalMs: 60_000,
      pageSize: 50,
      pagePauseMs: 0,
      budgetMs: 30_000,
      maxResults: 1000,
      log,
      metrics: backgroundAuditMetrics(registry),
      ...opts,
    });
    return { logs, registry };
  }

  it("a Tenant change re-evaluates existing objects on the next run", async () => {
    let world = EXAMPLES;
    await setup([...EXAMPLES, pod("shop", "registry.example.com/storefront/web:2")], () => world);
    expect((await audit!.runOnce()).ok).toBe(true);
    expect(failsFor(reportAt(list!, ALPHA_REPORT), "shop")).toEqual([]);
    // team-alpha drops the storefront registry: the pod that already runs is now a finding.
    world = EXAMPLES.map((o) =>
      o.kind === "Tenant" && (o.metadata as JsonRecord).name === "team-alpha"
        ? { ...o, spec: { ...(o.spec as JsonRecord), allowedRegistries: ["registry.example.com/alpha/"] } }
        : o,
    );
    expect((await audit!.runOnce()).ok).toBe(true);
    expect(failsFor(reportAt(list!, ALPHA_REPORT), "shop")).toEqual(["TG-POD-REGISTRY"]);
  });

  it("audits ML custom resources, pages every list and deletes reports nothing feeds any more", async () => {
    const job: JsonRecord = {
      apiVersion: "kubeflow.org/v1",
      kind: "PyTorchJob",
      metadata: { name: "llm", namespace: "alpha-train" },
      spec: {
        pytorchReplicaSpecs: {
          Master: { template: { spec: { containers: [{ name: "pytorch", image: "docker.io/evil/x:1" }] } } },
        },
      },
    };
    await setup([...EXAMPLES, job], () => EXAMPLES);
    await audit!.runOnce();
    const trainPath =
      "/apis/wgpolicyk8s.io/v1alpha2/namespaces/alpha-train/policyreports/tenant-guard-alpha-train";
    expect(failsFor(reportAt(list!, trainPath), "llm")).toContain("TG-POD-REGISTRY");
    expect(
      list!.requests.some(
        (r) => r.path === "/apis/kubeflow.org/v1/pytorchjobs" && r.query.get("limit") === "50",
      ),
    ).toBe(true);
    expect(
      list!.requests
        .filter((r) => r.path === "/api/v1/secrets")
        .every((r) => r.accept.includes("PartialObjectMetadataList")),
    ).toBe(true);
    // the namespace empties: its report is deleted, not left with an old finding
    list!.remove(job);
    for (const o of EXAMPLES) if ((o.metadata as JsonRecord).namespace === "alpha-train") list!.remove(o);
    const out = await audit!.runOnce();
    expect(out.deleted).toBeGreaterThanOrEqual(1);
    expect(list!.deleted).toContain(trainPath);
    expect(list!.applied.has(trainPath)).toBe(false);
  });

  it("lists DRA claims at the version served and reports a tenant namespace whose pinned label drifted", async () => {
    const PSA = "pod-security.kubernetes.io/enforce";
    // team-alpha pins Pod Security; its namespaces in examples/cluster.yaml carry no such label.
    const world = EXAMPLES.map((o) =>
      o.kind === "Tenant" && (o.metadata as JsonRecord).name === "team-alpha"
        ? { ...o, spec: { ...(o.spec as JsonRecord), namespaces: { labels: { [PSA]: "restricted" } } } }
        : o,
    );
    const claim: JsonRecord = {
      apiVersion: "resource.k8s.io/v1beta1",
      kind: "ResourceClaim",
      metadata: { name: "tpu", namespace: "team-alpha", uid: "uid-tpu" },
      spec: { devices: { requests: [{ name: "tpu", deviceClassName: "tpu.google.com" }] } },
    };
    await setup([...world, claim], () => world);
    for (const v of ["v1", "v1beta2"])
      for (const r of ["resourceclaims", "resourceclaimtemplates"])
        list!.unserved.add(`/apis/resource.k8s.io/${v}/${r}`);
    const out = await audit!.runOnce();
    expect(out.ok).toBe(true);
    expect(failsFor(reportAt(list!, ALPHA_REPORT), "tpu")).toEqual(["TG-DRA-DEVICE-CLASS"]);
    const cluster = reportAt(
      list!,
      "/apis/wgpolicyk8s.io/v1alpha2/clusterpolicyreports/tenant-guard-cluster",
    );
    expect(failsFor(cluster, "team-alpha")).toEqual(["TG-NS-LABELS"]);
    expect(failsFor(cluster, "team-beta")).toEqual([]);
  });

  it("a list failure keeps the last reports, is logged and counted", async () => {
    const { logs, registry } = await setup(
      [...EXAMPLES, pod("bad", "docker.io/evil/miner:1")],
      () => EXAMPLES,
    );
    await audit!.runOnce();
    const before = list!.applied.get(ALPHA_REPORT);
    expect(failsFor(reportAt(list!, ALPHA_REPORT), "bad")).toEqual(["TG-POD-REGISTRY"]);
    list!.failing.add("/api/v1/pods");
    list!.remove(pod("bad", ""));
    const out = await audit!.runOnce();
    expect(out.ok).toBe(false);
    expect(out.failures.join()).toContain("/api/v1/pods: 500");
    expect(list!.applied.get(ALPHA_REPORT)).toBe(before); // not re-applied: the finding stays
    expect(logs.join("")).toContain("background audit failed: last reports kept");
    expect(await registry.metrics()).toMatch(/tenant_guard_background_audit_errors_total\{stage="list"\} 1/);
  });

  it("a second run while one is in progress joins it instead of starting again", async () => {
    await setup(EXAMPLES, () => EXAMPLES, { pagePauseMs: 20 });
    const a = audit!.runOnce();
    const b = audit!.runOnce();
    expect(b).toBe(a);
    await a;
    const nsLists = list!.requests.filter((r) => r.path === "/api/v1/namespaces").length;
    expect(nsLists).toBe(1);
  });
});
