// -o policyreport against the real wgpolicyk8s.io v1alpha2 CRD schemas (kubernetes-sigs/
// wg-policy-prototypes, stored in test/fixtures/audit/schema), plus the result mapping.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { toPolicyReports, type PolicyReportObject } from "../../../src/audit/policy-report.ts";
import { summarize, type AuditReport, type ObjectResult } from "../../../src/audit/report.ts";
import { runAudit } from "../../../src/cli/audit.ts";
import { validate, type StructuralSchema } from "../../deploy/support/structural-schema.ts";
import { MANIFESTS, ROOT } from "./support/world.ts";

const CRDS = JSON.parse(
  readFileSync(join(ROOT, "test", "fixtures", "audit", "schema", "wgpolicyk8s.io-v1alpha2.json"), "utf8"),
) as Record<"PolicyReport" | "ClusterPolicyReport", { openAPIV3Schema: StructuralSchema; scope: string }>;

function schemaErrors(doc: PolicyReportObject): string[] {
  return validate(doc, CRDS[doc.kind].openAPIV3Schema);
}

async function cliReports(): Promise<{ code: number; docs: PolicyReportObject[] }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let text = "";
  out.on("data", (c: Buffer) => (text += c.toString()));
  const code = await runAudit(["-o", "policyreport", MANIFESTS], new PassThrough(), out, err);
  const docs = parseAllDocuments(text).map((d) => d.toJS() as PolicyReportObject);
  return { code, docs };
}

function result(over: Partial<ObjectResult>): ObjectResult {
  return { apiVersion: "v1", kind: "Pod", namespace: "team-alpha", name: "p", findings: [], ...over };
}

function reportOf(results: ObjectResult[]): AuditReport {
  return {
    generatedAt: "2026-01-02T03:04:05.678Z",
    scope: "manifests",
    directory: "file:x",
    user: "u",
    results,
    summary: summarize(results),
  };
}

describe("PolicyReport output", () => {
  it("the CLI's reports validate against the CRD schemas: one per namespace plus a cluster report", async () => {
    const { code, docs } = await cliReports();
    expect(code).toBe(1);
    expect(docs.map((d) => `${d.kind}/${d.metadata.namespace ?? ""}/${d.metadata.name}`)).toEqual([
      "ClusterPolicyReport//tenant-guard-cluster",
      "PolicyReport/alpha-serving/tenant-guard-alpha-serving",
      "PolicyReport/alpha-train/tenant-guard-alpha-train",
      "PolicyReport/team-alpha/tenant-guard-team-alpha",
      "PolicyReport/team-beta/tenant-guard-team-beta",
      "PolicyReport/team-gamma/tenant-guard-team-gamma",
    ]);
    for (const d of docs) {
      expect(d.apiVersion).toBe("wgpolicyk8s.io/v1alpha2");
      expect(schemaErrors(d)).toEqual([]);
      const counted = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
      for (const r of d.results) counted[r.result]++;
      expect(d.summary).toEqual(counted);
      for (const r of d.results) {
        expect(r).toMatchObject({ policy: "tenant-guard", source: "tenant-guard" });
        if (d.kind === "PolicyReport") expect(r.resources[0]?.namespace).toBe(d.metadata.namespace);
      }
    }
    const alpha = docs.find((d) => d.metadata.name === "tenant-guard-team-alpha")!;
    expect(alpha.summary).toMatchObject({ pass: 1, fail: 1 });
    const fail = alpha.results.find((r) => r.result === "fail")!;
    expect(fail).toMatchObject({ rule: "TG-TENANT-LABEL", scored: true });
    expect(fail.resources).toEqual([
      { apiVersion: "apps/v1", kind: "Deployment", name: "metrics-exporter", namespace: "team-alpha" },
    ]);
    expect(fail.properties).toMatchObject({ mode: "Enforce", line: "30" });
    expect(fail.properties.file).toMatch(/deployment\.yaml$/);
  });

  it("the validator is not a rubber stamp: a wrong result, a missing policy, an unknown field fail", async () => {
    const { docs } = await cliReports();
    const bad = structuredClone(docs[1]!) as unknown as {
      results: Record<string, unknown>[];
      extra?: number;
    };
    bad.results[0]!.result = "denied";
    delete bad.results[0]!.policy;
    bad.extra = 1;
    const errors = schemaErrors(bad as unknown as PolicyReportObject);
    expect(errors.some((e) => /result: "denied" is not one of/.test(e))).toBe(true);
    expect(errors.some((e) => /policy: required/.test(e))).toBe(true);
    expect(errors.some((e) => /extra: unknown field/.test(e))).toBe(true);
  });

  it("maps Enforce to fail, Warn and Audit to unscored warn, a rule failure to error, clean objects to pass, unchecked kinds to skip", () => {
    const f = (code: string, mode: "Enforce" | "Warn" | "Audit") => ({
      code,
      mode,
      modeSource: "global" as const,
      message: `${code} m`,
    });
    const docs = toPolicyReports(
      reportOf([
        result({ name: "a", findings: [f("TG-X", "Enforce"), f("TG-Y", "Warn"), f("TG-Z", "Audit")] }),
        result({ name: "b", findings: [f("TG-INTERNAL", "Enforce")] }),
        result({ name: "c" }),
        result({ name: "d", skipped: "exempt", skip: "exempt" }),
        result({ name: "e", kind: "Service", skipped: "no rule checks Service objects", skip: "unchecked" }),
        result({ kind: "Namespace", namespace: "", name: "ns" }),
      ]),
      5,
    );
    expect(docs.map((d) => d.kind)).toEqual(["ClusterPolicyReport", "PolicyReport"]);
    const ns = docs[1]!;
    expect(ns.results.map((r) => [r.resources[0]?.name, r.rule, r.result, r.scored])).toEqual([
      ["a", "TG-X", "fail", true],
      ["a", "TG-Y", "warn", false],
      ["a", "TG-Z", "warn", false],
      ["b", "TG-INTERNAL", "error", false],
      ["c", undefined, "pass", true],
      ["e", undefined, "skip", false],
    ]);
    expect(ns.results[5]?.message).toBe("no rule checks Service objects");
    expect(ns.summary).toEqual({ pass: 1, fail: 1, warn: 2, error: 1, skip: 1 });
    expect(ns.results[0]?.timestamp).toEqual({ seconds: 1767323045, nanos: 678_000_000 });
    for (const d of docs) expect(schemaErrors(d)).toEqual([]);
  });
});
