// `tenant-guard audit` in process: the fixture directory of manifests gives the expected report
// and exit code in every output; stdin, --as, -n, --config and --enforcement; bad input exits 2
// naming file and line.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { runAudit } from "../../../src/cli/audit.ts";
import { MANIFESTS, worldWith } from "./support/world.ts";

interface Run {
  code: number;
  out: string;
  err: string;
}

async function audit(args: string[], stdin = ""): Promise<Run> {
  const input = new PassThrough();
  input.end(stdin);
  const out = new PassThrough();
  const err = new PassThrough();
  let o = "";
  let e = "";
  out.on("data", (c: Buffer) => (o += c.toString()));
  err.on("data", (c: Buffer) => (e += c.toString()));
  const code = await runAudit(args, input, out, err);
  return { code, out: o, err: e };
}

interface JsonReport {
  kind: string;
  user: string;
  summary: { objects: number; findings: Record<string, number> };
  results: {
    kind: string;
    namespace: string;
    name: string;
    file?: string;
    line?: number;
    findings: { code: string; mode: string; modeSource: string }[];
  }[];
}

async function json(
  args: string[],
  stdin?: string,
): Promise<{ code: number; report: JsonReport; err: string }> {
  const r = await audit(["-o", "json", ...args], stdin);
  return { code: r.code, report: JSON.parse(r.out) as JsonReport, err: r.err };
}

function flagged(report: JsonReport): string[] {
  return report.results
    .filter((r) => r.findings.length > 0)
    .map(
      (r) => `${r.kind} ${r.namespace}/${r.name}: ${r.findings.map((f) => `${f.code}:${f.mode}`).join(",")}`,
    );
}

async function tempFile(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "tg-audit-"));
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

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

  it("warns about enforcement settings that name no rule (a typo in forced would do nothing)", async () => {
    const cfg = await tempFile(
      "config.yaml",
      "enforcement:\n  forced: [TG-TENANT-LABLE]\n  rules: {TG-TENANT-LABEL: Warn}\n",
    );
    const world = await worldWith("{mode: Enforce, rules: {TG-NO-SUCH-RULE: Audit}}");
    const { err } = await json(["--config", cfg, "--directory", world, MANIFESTS]);
    expect(err).toContain("warning: config enforcement.forced names unknown rule TG-TENANT-LABLE");
    expect(err).toContain(
      "warning: Tenant team-alpha: spec.enforcement.rules names unknown rule TG-NO-SUCH-RULE",
    );
    expect(err).not.toContain("unknown rule TG-TENANT-LABEL\n");
  });

  it("a clean manifest exits 0 with a one-line table", async () => {
    const r = await audit([join(MANIFESTS, "rbac")]);
    expect(r).toMatchObject({ code: 0, out: "No findings in 1 object(s).\n" });
  });
});

describe("inputs", () => {
  const helm = [
    "---",
    "# Source: trainer/templates/serviceaccount.yaml",
    "apiVersion: v1",
    "kind: ServiceAccount",
    "metadata:",
    "  name: helm-trainer",
    "---",
    "# Source: trainer/templates/pod.yaml",
    "apiVersion: v1",
    "kind: Pod",
    "metadata:",
    "  name: helm-trainer",
    "  labels: {tenant-guard.dev/tenant: team-gamma}",
    "spec:",
    "  serviceAccountName: helm-trainer",
    "  containers: [{name: main, image: registry.example.com/alpha/trainer:1}]",
    "",
  ].join("\n");

  it("reads stdin (helm template output), defaulting the namespace with -n", async () => {
    const { code, report } = await json(["-n", "team-alpha", "-"], helm);
    expect(code).toBe(1);
    expect(flagged(report)).toEqual(["Pod team-alpha/helm-trainer: TG-TENANT-LABEL:Enforce"]);
    expect(report.results[1]).toMatchObject({ file: "<stdin>", line: 9 });
  });

  it("control characters in names never reach the terminal", async () => {
    const evil = [
      "apiVersion: v1",
      "kind: ConfigMap",
      "metadata:",
      '  name: "x\\e[2J\\e[31mred"',
      "  namespace: team-alpha",
      "  labels: {tenant-guard.dev/tenant: team-beta}",
    ].join("\n");
    const r = await audit(["-"], evil);
    expect(r.code).toBe(1);
    expect(r.out).toContain("ConfigMap/x [2J [31mred");
    expect(r.out).not.toContain("\u001b");
  });

  it('without -n objects land in "default", as with kubectl', async () => {
    const { report } = await json(["-"], helm);
    expect(report.results.map((r) => r.namespace)).toEqual(["default", "default"]);
  });

  it("--as judges the request as that user: a team-beta owner writing into team-alpha is a requester finding", async () => {
    const deployment = join(MANIFESTS, "deployment.yaml");
    const asComponent = await json([deployment]);
    const asBob = await json(["--as", "bob@example.com", "--group", "team-beta-devs", deployment]);
    expect(asBob.report.user).toBe("bob@example.com");
    const codes = (r: JsonReport) =>
      r.results.find((x) => x.name === "trainer-api")?.findings.map((f) => f.code);
    expect(codes(asComponent.report)).toEqual([]);
    expect(codes(asBob.report)).toContain("TG-REQUESTER-CROSS-TENANT");
  });
});

describe("bad usage and unreadable input exit 2 with a clear message", () => {
  it("broken YAML names the file and line", async () => {
    const bad = await tempFile(
      "bad.yaml",
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\n   namespace: x\n",
    );
    const r = await audit([bad]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`${bad.replaceAll("/", "\\/")}:4: `));
    expect(r.out).toBe("");
  });

  it("an object without a kind names the file and line", async () => {
    const bad = await tempFile(
      "nokind.yaml",
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nmetadata: {name: b}\n",
    );
    const r = await audit([bad]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${bad}:5: object has no apiVersion or kind`);
  });

  it("a missing file, a bad flag, no input, a bad directory", async () => {
    expect((await audit(["/nonexistent/x.yaml"])).err).toMatch(
      /\/nonexistent\/x\.yaml: cannot read \(ENOENT\)/,
    );
    for (const args of [
      ["/nonexistent/x.yaml"],
      ["--bogus", MANIFESTS],
      [],
      ["-o", "yaml", MANIFESTS],
      ["--directory", "nope", MANIFESTS],
      ["--directory", "file:/nonexistent", MANIFESTS],
      ["--cluster", MANIFESTS],
      ["--group", "g", MANIFESTS],
    ]) {
      const r = await audit(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err, args.join(" ")).toMatch(/^tenant-guard audit: /);
    }
  });

  it("--help prints usage and exits 0", async () => {
    const r = await audit(["--help"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^usage: tenant-guard audit/);
  });
});
