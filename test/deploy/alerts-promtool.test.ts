// The alerts' behaviour, with Prometheus's own rule engine: `promtool test rules` runs
// test/deploy/fixtures/alerts.promtool.yaml (synthetic series; each alert fires in one case and
// stays quiet in a near miss) on the PrometheusRule as deploy/overlays/monitoring renders it, and
// `promtool check rules` parses every dashboard query. promtool comes with Debian's `prometheus`
// package (or set PROMTOOL=/path/to/promtool); skipped, with the reason, without it. That every
// alert has a case is checked always.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { DEPLOY, build, findObject, type K8sObject } from "./support/kustomize.ts";

const PROMTOOL = process.env.PROMTOOL ?? "promtool";
const CASES = join(import.meta.dirname, "fixtures/alerts.promtool.yaml");
const hasPromtool = spawnSync(PROMTOOL, ["--version"], { timeout: 10_000 }).status === 0;
if (!hasPromtool)
  console.log(`test/deploy/alerts-promtool.test.ts: promtool cases skipped, ${PROMTOOL} not found`);

interface Rule {
  alert?: string;
  expr: string;
  annotations?: Record<string, string>;
}
interface Groups {
  groups: { name: string; rules: Rule[] }[];
}
interface Cases {
  tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[];
}

const objs = build(join(DEPLOY, "overlays/monitoring"));
const spec = (findObject(objs, "PrometheusRule", "tenant-guard") as K8sObject & { spec: Groups }).spec;
const alerts = spec.groups.flatMap((g) => g.rules.map((r) => r.alert!));
const cases = parse(readFileSync(CASES, "utf8")) as Cases;
const dir = mkdtempSync(join(tmpdir(), "tg-promtool-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const promtool = (...args: string[]) =>
  spawnSync(PROMTOOL, args, { cwd: dir, encoding: "utf8", timeout: 60_000 });

describe("alert cases", () => {
  it("every alert fires in some case and is expected quiet in some other evaluation", () => {
    const checks = cases.tests.flatMap((t) => t.alert_rule_test);
    for (const a of alerts) {
      expect(
        checks.some((c) => c.alertname === a && c.exp_alerts.length > 0),
        `${a} fires`,
      ).toBe(true);
    }
    const quiet = new Set(checks.filter((c) => c.exp_alerts.length === 0).map((c) => c.alertname));
    expect(quiet.size).toBeGreaterThanOrEqual(6);
  });
});

describe.skipIf(!hasPromtool)("promtool", () => {
  it("the rendered rules pass every case (annotations stripped: the cases are about firing)", () => {
    const stripped: Groups = {
      groups: spec.groups.map((g) => ({
        name: g.name,
        rules: g.rules.map(({ annotations: _a, ...r }) => r),
      })),
    };
    writeFileSync(join(dir, "rules.yaml"), stringify(stripped));
    copyFileSync(CASES, join(dir, "alerts.promtool.yaml"));
    const res = promtool("test", "rules", "alerts.promtool.yaml");
    expect(res.status, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain("SUCCESS");
  });

  it("the rules with their annotation templates pass promtool check rules", () => {
    writeFileSync(join(dir, "full.yaml"), stringify(spec));
    const res = promtool("check", "rules", "full.yaml");
    expect(res.status, res.stdout + res.stderr).toBe(0);
  });

  it("every dashboard query parses", () => {
    const cm = findObject(objs, "ConfigMap", "tenant-guard-dashboard") as K8sObject & {
      data: Record<string, string>;
    };
    const dash = JSON.parse(cm.data["dashboard.json"]!) as {
      panels: { id: number; targets?: { expr: string }[] }[];
    };
    const rules = dash.panels.flatMap((p) =>
      (p.targets ?? []).map((t, i) => ({
        record: `panel_${p.id}_${i}`,
        // Grafana's variables, as Grafana substitutes them before the query is sent.
        expr: t.expr.replaceAll("$__rate_interval", "2m").replaceAll("$namespace", "tenant-guard-system"),
      })),
    );
    expect(rules.length).toBeGreaterThan(10);
    writeFileSync(join(dir, "panels.yaml"), stringify({ groups: [{ name: "panels", rules }] }));
    const res = promtool("check", "rules", "panels.yaml");
    expect(res.status, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain(`SUCCESS: ${rules.length} rules found`);
  });
});
