// `tenant-guard audit` in process over the fixture manifests: the expected report and exit code
// in every output, --config and --enforcement.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { audit, flagged, json, tempFile } from "./support/run-audit.ts";
import { MANIFESTS, worldWith } from "./support/world.ts";

const EXPECTED = [
  "Deployment team-alpha/metrics-exporter: TG-TENANT-LABEL:Enforce",
  "Pod alpha-train/debug-shell: TG-TENANT-LABEL:Enforce",
  "PersistentVolumeClaim alpha-serving/model-cache: TG-TENANT-LABEL:Enforce",
];

describe("audit over the fixture manifests", () => {
  it("-o json: exactly the violating objects, in file order, with their file and line; exit 1", async () => {
    const { code, report } = await json([MANIFESTS]);
    expect(code).toBe(1);
    expect(report.kind).toBe("AuditReport");
    expect(report.summary).toMatchObject({ objects: 8, findings: { Enforce: 3, Warn: 0, Audit: 0 } });
    expect(flagged(report)).toEqual(EXPECTED);
    const pod = report.results.find((r) => r.name === "debug-shell");
    expect(pod).toMatchObject({ line: 1 });
    expect(pod?.file).toMatch(/manifests\/pod\.yaml$/);
    expect(report.results.map((r) => r.name)).toContain("notebook-viewers"); // rbac/ subdirectory
  });

  it("-o table: a header, one row per finding, a summary line; secret data never printed", async () => {
    const r = await audit([MANIFESTS]);
    expect(r.code).toBe(1);
    const lines = r.out.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^NAMESPACE\s+OBJECT\s+RULE\s+MODE\s+SOURCE\s+MESSAGE$/);
    expect(lines[1]).toMatch(
      /^team-alpha\s+Deployment\/metrics-exporter\s+TG-TENANT-LABEL\s+Enforce\s+\S*deployment\.yaml:30\s+deployment "metrics-exporter"/,
    );
    expect(lines).toHaveLength(6);
    expect(lines[5]).toBe(
      "3 finding(s) in 3 of 8 object(s) (3 Enforce); objects with Enforce findings would be denied at admission.",
    );
    expect(r.out + r.err).not.toMatch(/c3VwZXIt|super-secret/);
    expect(r.err).toMatch(
      /8 object\(s\) against directory file:examples\/cluster\.yaml, created as system:kube-controller-manager/,
    );
  });

  it("--enforcement sets the global mode; a Tenant's own mode still wins for its namespaces", async () => {
    // examples/cluster.yaml gives team-alpha `enforcement: {mode: Enforce}`: its objects stay Enforce.
    const pinned = await json(["--enforcement", "Audit", MANIFESTS]);
    expect(pinned.code).toBe(1);
    expect(pinned.report.results.flatMap((r) => r.findings.map((f) => `${f.mode}:${f.modeSource}`))).toEqual([
      "Enforce:tenant",
      "Enforce:tenant",
      "Enforce:tenant",
    ]);
    // Without that Tenant setting the global Audit mode governs: same findings, nothing denied, exit 0.
    const open = await json(["--directory", await worldWith(undefined), "--enforcement", "Audit", MANIFESTS]);
    expect(open.code).toBe(0);
    expect(flagged(open.report)).toEqual(EXPECTED.map((e) => e.replace(":Enforce", ":Audit")));
  });

  it("--config applies the same enforcement settings as serve (a forced rule stays Enforce)", async () => {
    const cfg = await tempFile("config.yaml", "enforcement:\n  mode: Audit\n  forced: [TG-TENANT-LABEL]\n");
    const { code, report } = await json(["--config", cfg, MANIFESTS]);
    expect(code).toBe(1);
    expect(report.results.flatMap((r) => r.findings.map((f) => f.modeSource))).toEqual([
      "forced",
      "forced",
      "forced",
    ]);
  });

  it("refuses a config whose enforcement settings name no rule (a typo in forced would do nothing)", async () => {
    const cfg = await tempFile(
      "config.yaml",
      "enforcement:\n  forced: [TG-TENANT-LABLE]\n  rules: {TG-TENANT-LABEL: Warn}\n",
    );
    const r = await audit(["--config", cfg, MANIFESTS]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `enforcement.forced.0: unknown rule code "TG-TENANT-LABLE" (did you mean TG-TENANT-LABEL?) (${cfg}:2)`,
    );
    expect(r.err).not.toContain("TG-TENANT-LABEL: unknown");
  });

  it("warns about Tenant rule codes that name no rule, the CRD cannot know them", async () => {
    const world = await worldWith("{mode: Enforce, rules: {TG-NO-SUCH-RULE: Audit, TG-POD-REGISTY: Warn}}");
    const { err } = await json(["--directory", world, MANIFESTS]);
    expect(err).toContain(
      "warning: Tenant team-alpha: spec.enforcement.rules names unknown rule TG-NO-SUCH-RULE\n",
    );
    expect(err).toContain("unknown rule TG-POD-REGISTY (did you mean TG-POD-REGISTRY?)");
  });

  it("a clean manifest exits 0 with a one-line table", async () => {
    const r = await audit([join(MANIFESTS, "rbac")]);
    expect(r).toMatchObject({ code: 0, out: "No findings in 1 object(s).\n" });
  });
});
