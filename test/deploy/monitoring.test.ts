// The operations pack (deploy/components/monitoring): every metric an alert or a dashboard panel
// uses is one tenant-guard's registry really has (built here as `serve` builds it, with the
// cluster directory's informer metrics and the default process metrics), every label matcher
// names a label that metric has, and every alert is explained in the README.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Metrics } from "../../src/server/metrics.ts";
import { MemoryDirectory } from "../../src/tenancy/memory.ts";
import type { InformerStats } from "../../src/tenancy/cluster/stats.ts";
import { DEPLOY, REPO, build, findObject, type K8sObject } from "./support/kustomize.ts";
import { metricsIn, type MetricUse } from "./support/promql.ts";

/** Labels Prometheus adds to every scraped series (ServiceMonitor target labels). */
const TARGET_LABELS = ["namespace", "pod", "job", "instance", "service", "container", "endpoint"];

interface Exported {
  names: Set<string>;
  labels: Map<string, Set<string>>;
}

/** What /metrics of a cluster-directory server lists: names (with histogram series) and labels. */
async function exported(): Promise<Exported> {
  const stats: InformerStats = {
    resource: "namespaces",
    synced: true,
    watching: true,
    events: { ADDED: 1 },
    listed: 1,
    lastEventAt: Date.now(),
    restarts: 0,
    lastError: undefined,
  };
  const directory = Object.assign(new MemoryDirectory([]), { informerStats: () => [stats] });
  const m = new Metrics(directory, { defaultMetrics: true });
  const names = new Set<string>();
  const labels = new Map<string, Set<string>>();
  for (const line of (await m.registry.metrics()).split("\n")) {
    const t = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (t === null) continue;
    const [, name, type] = t as unknown as [string, string, string];
    const series =
      type === "histogram"
        ? [`${name}_bucket`, `${name}_sum`, `${name}_count`]
        : type === "summary"
          ? [name, `${name}_sum`, `${name}_count`]
          : [name];
    for (const s of series) names.add(s);
  }
  for (const metric of m.registry.getMetricsAsArray()) {
    const x = metric as unknown as { name: string; labelNames?: string[]; labelName?: string };
    const own = x.labelNames ?? (x.labelName !== undefined ? [x.labelName, "le"] : []);
    for (const s of [x.name, `${x.name}_bucket`, `${x.name}_sum`, `${x.name}_count`]) {
      labels.set(s, new Set([...own, "le", "quantile", ...TARGET_LABELS]));
    }
  }
  return { names, labels };
}

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface Panel {
  title: string;
  type: string;
  targets?: { expr: string }[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; definition?: string }[] };
}

const objs = build(join(DEPLOY, "overlays/monitoring"));
const rule = findObject(objs, "PrometheusRule", "tenant-guard") as K8sObject & {
  spec: { groups: { name: string; rules: Rule[] }[] };
};
const alerts = rule.spec.groups.flatMap((g) => g.rules);
const dashboardMap = findObject(objs, "ConfigMap", "tenant-guard-dashboard") as K8sObject & {
  data: Record<string, string>;
  metadata: { labels?: Record<string, string> };
};
const dashboard = JSON.parse(dashboardMap.data["dashboard.json"]!) as Dashboard;
const panelExprs = dashboard.panels.flatMap((p) =>
  (p.targets ?? []).map((t) => ({ title: p.title, expr: t.expr })),
);
const reg = await exported();

function unknownUses(uses: MetricUse[]): string[] {
  const bad: string[] = [];
  for (const u of uses) {
    if (!reg.names.has(u.metric)) bad.push(`metric ${u.metric}`);
    else for (const l of u.labels) if (!reg.labels.get(u.metric)?.has(l)) bad.push(`label ${u.metric}{${l}}`);
  }
  return bad;
}

describe("the PromQL checker", () => {
  it("finds metric names and matcher labels, and not functions, keywords or grouping labels", () => {
    const uses = metricsIn(
      'sum by (namespace, le) (rate(a_total{route=~"/x|/y"}[5m] offset 5m)) / on(pod) b and absent(c == 1)',
    );
    expect(uses).toEqual([
      { metric: "a_total", labels: ["route"] },
      { metric: "b", labels: [] },
      { metric: "c", labels: [] },
    ]);
  });

  it("reports a metric or label tenant-guard does not export", () => {
    expect(unknownUses(metricsIn("rate(tenant_guard_admission_requests_total[5m])"))).toEqual([]);
    expect(unknownUses(metricsIn("rate(tenant_guard_requests_total[5m])"))).toEqual([
      "metric tenant_guard_requests_total",
    ]);
    expect(unknownUses(metricsIn('tenant_guard_tenant_denials_total{rule="x"}'))).toEqual([
      "label tenant_guard_tenant_denials_total{rule}",
    ]);
  });
});

describe("PrometheusRule", () => {
  it("has the alerts the operations pack promises", () => {
    const names = alerts.map((a) => a.alert);
    for (const n of [
      "TenantGuardWebhookUnready",
      "TenantGuardErrorRate",
      "TenantGuardLatencyP99High",
      "TenantGuardCertificateExpiring",
      "TenantGuardTenantDenySpike",
    ])
      expect(names).toContain(n);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(alerts.map((a) => [a.alert!, a] as const))(
    "%s uses only metrics and labels tenant-guard exports",
    (_n, a) => {
      const uses = metricsIn(a.expr);
      expect(uses.some((u) => u.metric.startsWith("tenant_guard_"))).toBe(true);
      expect(unknownUses(uses)).toEqual([]);
    },
  );

  it("every alert has a severity, a summary, a description and a runbook link to the README", () => {
    for (const a of alerts) {
      expect(["warning", "critical"], a.alert).toContain(a.labels?.severity);
      expect(a.annotations?.summary, a.alert).toBeTruthy();
      expect(a.annotations?.description, a.alert).toBeTruthy();
      expect(a.annotations?.runbook_url, a.alert).toMatch(/README\.md#alerts-and-what-to-do$/);
    }
  });

  it("the README explains exactly these alerts", () => {
    const readme = readFileSync(join(REPO, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### Alerts and what to do"));
    const documented = [...section.matchAll(/^\| `(TenantGuard\w+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(alerts.map((a) => a.alert).sort());
  });
});

describe("Grafana dashboard", () => {
  it("is a ConfigMap the Grafana sidecar picks up, with a stable uid and a data source variable", () => {
    expect(dashboardMap.metadata.labels?.grafana_dashboard).toBe("1");
    expect(dashboardMap.metadata.namespace).toBe("tenant-guard-system");
    expect(dashboard.uid).toBe("tenant-guard");
    expect(dashboard.templating.list.map((v) => v.name)).toEqual(["datasource", "namespace"]);
    expect(panelExprs.length).toBeGreaterThan(10);
  });

  it.each(panelExprs.map((p) => [p.title, p.expr] as const))("%s: %s", (_t, expr) => {
    expect(unknownUses(metricsIn(expr))).toEqual([]);
  });

  it("the namespace variable lists a metric tenant-guard exports", () => {
    const def = dashboard.templating.list.find((v) => v.name === "namespace")?.definition ?? "";
    const m = /^label_values\((\w+), namespace\)$/.exec(def);
    expect(m).not.toBeNull();
    expect(reg.names.has(m![1]!)).toBe(true);
  });

  it("shows denials per tenant, latency and certificate expiry", () => {
    const all = panelExprs.map((p) => p.expr).join("\n");
    for (const m of [
      "tenant_guard_tenant_denials_total",
      "tenant_guard_admission_duration_seconds_bucket",
      "tenant_guard_serving_cert_expiry_timestamp_seconds",
      "tenant_guard_directory_ready",
    ])
      expect(all).toContain(m);
  });
});

describe("ServiceMonitor", () => {
  it("selects the tenant-guard Service, on a port it has, verifying with the tenant-guard CA", () => {
    interface Sm {
      spec: {
        selector: { matchLabels: Record<string, string> };
        endpoints: {
          port: string;
          scheme: string;
          tlsConfig: { serverName: string; ca: { secret: { name: string; key: string } } };
        }[];
      };
    }
    const sm = findObject(objs, "ServiceMonitor", "tenant-guard") as K8sObject & Sm;
    const svc = findObject(objs, "Service", "tenant-guard") as K8sObject & {
      metadata: { labels: Record<string, string> };
      spec: { ports: { name: string }[] };
    };
    for (const [k, v] of Object.entries(sm.spec.selector.matchLabels)) expect(svc.metadata.labels[k]).toBe(v);
    const ep = sm.spec.endpoints[0]!;
    expect(svc.spec.ports.map((p) => p.name)).toContain(ep.port);
    expect(ep.scheme).toBe("https");
    expect(ep.tlsConfig.serverName).toBe("tenant-guard.tenant-guard-system.svc");
    // certs-scripts and the cert-manager overlay both keep the CA there, under ca.crt.
    expect(ep.tlsConfig.ca.secret).toEqual({ name: "tenant-guard-ca", key: "ca.crt" });
    const cm = build(join(DEPLOY, "overlays/cert-manager"));
    const caCert = findObject(cm, "Certificate", "tenant-guard-ca") as K8sObject & {
      spec: { secretName: string };
    };
    expect(caCert.spec.secretName).toBe("tenant-guard-ca");
    expect(readFileSync(join(REPO, "certs-scripts/install-certs.sh"), "utf8")).toContain(
      "--from-file=ca.crt=",
    );
  });
});
