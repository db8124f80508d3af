// -o policyreport: wgpolicyk8s.io/v1alpha2 reports, one PolicyReport per namespace
// ("tenant-guard-<namespace>") and one ClusterPolicyReport ("tenant-guard-cluster") for
// cluster-scoped objects. Result per rule per object: Enforce -> fail (scored), Warn/Audit -> warn
// (unscored: "requirements not met" but allowed today), a rule failure (TG-INTERNAL) -> error.
// An object no rule objects to gets one `pass` result without a rule: rules decide for themselves
// what they apply to, so "rule X passed" could not be said honestly per rule. An object of a kind no
// rule checks gets one `skip` result instead: a clean report means checked.
import { RULE_FAILED_CODE } from "../policy/engine.ts";
import type { Mode } from "../policy/types.ts";
import type { AuditFinding, AuditReport, ObjectResult } from "./report.ts";

export const POLICY_REPORT_API = "wgpolicyk8s.io/v1alpha2";
export const POLICY_NAME = "tenant-guard";
const CLUSTER_REPORT_NAME = "tenant-guard-cluster";

type Outcome = "pass" | "fail" | "warn" | "error" | "skip";

export interface ReportResult {
  policy: string;
  rule?: string;
  result: Outcome;
  scored: boolean;
  severity: "critical" | "high" | "medium" | "low" | "info";
  category: string;
  message: string;
  source: string;
  timestamp: { seconds: number; nanos: number };
  resources: { apiVersion: string; kind: string; name: string; namespace?: string; uid?: string }[];
  properties: Record<string, string>;
}

export interface PolicyReportObject {
  apiVersion: string;
  kind: "PolicyReport" | "ClusterPolicyReport";
  metadata: { name: string; namespace?: string; labels: Record<string, string> };
  summary: Record<Outcome, number>;
  results: ReportResult[];
}

const OUTCOME: Readonly<Record<Mode, Outcome>> = { Enforce: "fail", Warn: "warn", Audit: "warn" };

function reportName(namespace: string): string {
  return namespace === "" ? CLUSTER_REPORT_NAME : `tenant-guard-${namespace}`;
}

function resourceRef(r: ObjectResult): ReportResult["resources"][number] {
  return {
    apiVersion: r.apiVersion,
    kind: r.kind,
    name: r.name || r.generateName || "",
    ...(r.namespace ? { namespace: r.namespace } : {}),
    ...(r.uid ? { uid: r.uid } : {}),
  };
}

function where(r: ObjectResult): Record<string, string> {
  return r.file === undefined ? {} : { file: r.file, line: String(r.line ?? 1) };
}

function failed(r: ObjectResult, f: AuditFinding, ts: ReportResult["timestamp"]): ReportResult {
  const outcome = f.code === RULE_FAILED_CODE ? "error" : OUTCOME[f.mode];
  return {
    policy: POLICY_NAME,
    rule: f.code,
    result: outcome,
    scored: outcome === "fail",
    severity: "high",
    category: "Multi-Tenancy",
    message: f.path === undefined ? f.message : `${f.message} (${f.path})`,
    source: POLICY_NAME,
    timestamp: ts,
    resources: [resourceRef(r)],
    properties: {
      mode: f.mode,
      modeSource: f.modeSource,
      ...(f.path === undefined ? {} : { path: f.path }),
      ...where(r),
    },
  };
}

function passed(r: ObjectResult, rules: number, ts: ReportResult["timestamp"]): ReportResult {
  return {
    policy: POLICY_NAME,
    result: "pass",
    scored: true,
    severity: "high",
    category: "Multi-Tenancy",
    message: `no finding from the ${rules} tenant-guard rules`,
    source: POLICY_NAME,
    timestamp: ts,
    resources: [resourceRef(r)],
    properties: where(r),
  };
}

function notChecked(r: ObjectResult, ts: ReportResult["timestamp"]): ReportResult {
  return {
    policy: POLICY_NAME,
    result: "skip",
    scored: false,
    severity: "info",
    category: "Multi-Tenancy",
    message: r.skipped ?? `no tenant-guard rule checks ${r.kind} objects`,
    source: POLICY_NAME,
    timestamp: ts,
    resources: [resourceRef(r)],
    properties: where(r),
  };
}

/**
 * Reports sorted by name; `rules` is how many rules ran (for the pass message). `maxResults` keeps
 * a report under etcd's object size limit: findings are always listed, pass results only while
 * there is room (the summary still counts every one).
 */
export function toPolicyReports(
  report: AuditReport,
  rules: number,
  maxResults = Infinity,
): PolicyReportObject[] {
  const ms = Date.parse(report.generatedAt);
  const ts = { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
  const byNs = new Map<string, ReportResult[]>();
  for (const r of report.results) {
    // Exempt namespaces get no report; objects of kinds no rule checks get `skip`, never `pass`.
    if (r.skip === "exempt") continue;
    let list = byNs.get(r.namespace);
    if (list === undefined) byNs.set(r.namespace, (list = []));
    for (const f of r.findings) list.push(failed(r, f, ts));
    if (r.skip === "unchecked") list.push(notChecked(r, ts));
    else if (r.findings.length === 0) list.push(passed(r, rules, ts));
  }
  return [...byNs.keys()].sort().map((ns) => {
    const all = byNs.get(ns) ?? [];
    const summary: Record<Outcome, number> = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
    for (const res of all) summary[res.result]++;
    // Findings always; then skip results (what was not checked), then pass results, while there is room.
    const findings = all.filter((x) => x.result !== "pass" && x.result !== "skip");
    const rest = [...all.filter((x) => x.result === "skip"), ...all.filter((x) => x.result === "pass")];
    const room = Math.max(0, maxResults - findings.length);
    const results = rest.length <= room ? all : [...findings, ...rest.slice(0, room)];
    return {
      apiVersion: POLICY_REPORT_API,
      kind: ns === "" ? "ClusterPolicyReport" : "PolicyReport",
      metadata: {
        name: reportName(ns),
        ...(ns === "" ? {} : { namespace: ns }),
        labels: { "app.kubernetes.io/managed-by": POLICY_NAME },
      },
      summary,
      results,
    };
  });
}
