// `tenant-guard audit` inputs: stdin (helm output), -n, --as, control characters; bad usage and
// unreadable input exit 2 naming file and line.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { audit, flagged, json, tempFile, type JsonReport } from "./support/run-audit.ts";
import { MANIFESTS } from "./support/world.ts";

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
  it("broken YAML names the file and line, is skipped, and the exit status says so", async () => {
    const bad = await tempFile(
      "bad.yaml",
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\n   namespace: x\n",
    );
    const r = await audit([bad]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`${bad.replaceAll("/", "\\/")}:4: .*; file skipped`));
    expect(r.out).toContain(`Could not read 1 file(s), the rest was audited: ${bad}:4.`);
  });

  it("an object without a kind is skipped with a note naming the file and line", async () => {
    const bad = await tempFile(
      "nokind.yaml",
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nmetadata: {name: b}\n",
    );
    const r = await json([bad]);
    expect(r.code).toBe(0);
    expect(r.err).toContain(`skipped ${bad}:5: no apiVersion and kind: not a Kubernetes object`);
    expect(r.report.results.map((o) => o.name)).toEqual(["a"]);
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
