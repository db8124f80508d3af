// Config that cannot silently lie: rule codes in enforcement.rules / forced must exist (derived
// from the catalogue, not a copied list), each problem at the line of its own key; check-config
// reads the directory file too and reports every problem in it.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkConfig } from "../../../src/cli/check-config.ts";
import { closest } from "../../../src/config/did-you-mean.ts";
import { checkDirectoryPath } from "../../../src/cli/directory-check.ts";
import { readConfigFile } from "../../../src/config/load.ts";
import { buildConfig } from "../../../src/policy/config.ts";
import { knownRuleCodes } from "../../../src/policy/rule-codes.ts";
import { TenantGuardError } from "../../../src/errors.ts";
import { RULES } from "../../../src/policy/catalogue.ts";

function tmpFile(name: string, text: string): string {
  const p = join(mkdtempSync(join(tmpdir(), "tg-codes-")), name);
  writeFileSync(p, text);
  return p;
}

function problemsOf(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TenantGuardError);
    return ((e as TenantGuardError).detail ?? "").split("; ");
  }
  throw new Error("expected an error");
}

describe("rule codes in config", () => {
  it("the known set is the catalogue's codes plus TG-INTERNAL", () => {
    expect([...knownRuleCodes()].sort()).toEqual(
      [...new Set(RULES.map((r) => r.code)), "TG-INTERNAL"].sort(),
    );
  });

  it("a misspelled code in forced or rules is an error at its own line, with a suggestion", () => {
    const p = tmpFile(
      "config.yaml",
      [
        "enforcement:",
        "  mode: Audit",
        "  rules:",
        "    TG-POD-REGISTRY: Warn",
        "    TG-POD-REGISTY: Warn",
        "  forced:",
        "    - TG-TENANT-LABEL",
        "    - TG-TENANT-LABLE",
        "    - TG-INTERNAL",
        "",
      ].join("\n"),
    );
    expect(problemsOf(() => buildConfig(readConfigFile(p)))).toEqual([
      `enforcement.rules.TG-POD-REGISTY: unknown rule code "TG-POD-REGISTY" (did you mean TG-POD-REGISTRY?) (${p}:5)`,
      `enforcement.forced.1: unknown rule code "TG-TENANT-LABLE" (did you mean TG-TENANT-LABEL?) (${p}:8)`,
    ]);
  });

  it("codes from flags/env layers are checked too, and schema problems are listed alongside", () => {
    const problems = problemsOf(() =>
      buildConfig(undefined, { enforcement: { forced: ["TG-NOPE"] }, server: { port: -1 } }),
    );
    expect(problems).toHaveLength(2);
    expect(problems[1]).toBe('enforcement.forced.0: unknown rule code "TG-NOPE"');
  });

  it("every unknown key is its own problem at its own line", () => {
    const p = tmpFile("config.yaml", "server:\n  port: 8443\n  prot: 1\n  hots: x\n");
    expect(problemsOf(() => buildConfig(readConfigFile(p)))).toEqual([
      `server: unknown key "prot" (${p}:3)`,
      `server: unknown key "hots" (${p}:4)`,
    ]);
  });

  it("closest() suggests only near misses", () => {
    expect(closest("--prot", ["--port", "--host"])).toBe("--port");
    expect(closest("--frobnicate", ["--port", "--host"])).toBeUndefined();
  });
});

const WORLD = `apiVersion: tenant-guard.dev/v1alpha1
kind: Tenant
metadata: {name: a}
spec:
  enforcement:
    rules:
      TG-POD-REGISTRY: Warn
      TG-POD-REGISTY: Audit
  podDefaults:
    maxPerPod:
      cpu: lots
    colour: blue
  modelStorage: ["s3://m/shared/", "s3://m/a/"]
---
apiVersion: tenant-guard.dev/v1alpha1
kind: Tenant
metadata: {name: b}
spec:
  modelStorage:
    - s3://m/b/
    - s3://m/shared
---
apiVersion: v1
kind: Secret
metadata: {name: x}
`;

describe("check-config over the directory file", () => {
  it("lists every problem with the line of its key; unknown Tenant codes are warnings", async () => {
    const world = tmpFile("world.yaml", WORLD);
    const r = await checkDirectoryPath(world);
    expect(r.errors).toEqual([
      `${world}:11: Tenant "a": spec.podDefaults.maxPerPod.cpu: not a valid resource quantity`,
      `${world}:12: Tenant "a": spec.podDefaults: unknown key "colour"`,
      `${world}:21: Tenant "b": spec.modelStorage "s3://m/shared" is also claimed by tenant "a" (${world}:13); a location belongs to one tenant (share it with sharedWith)`,
      `${world}:25: Secret "x" has no metadata.namespace`,
    ]);
    expect(r.warnings).toEqual([
      `${world}:8: Tenant "a": spec.enforcement.rules names unknown rule code "TG-POD-REGISTY" (did you mean TG-POD-REGISTRY?); it has no effect`,
    ]);
  });

  it("a file that does not parse is one problem; the other files are still checked", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tg-world-"));
    writeFileSync(join(dir, "a.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n   x: 1\n");
    writeFileSync(join(dir, "b.yaml"), "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: s}\n");
    const r = await checkDirectoryPath(dir);
    expect(r.errors).toHaveLength(2);
    expect(r.errors[0]).toMatch(/a\.yaml:\d+: /);
    expect(r.errors[1]).toBe(`${join(dir, "b.yaml")}:3: ServiceAccount "s" has no metadata.namespace`);
  });

  it("check-config FILE checks the directory the config names; exit 1 on errors, 0 with warnings only", async () => {
    const lines: string[] = [];
    const out = { log: (l: string) => lines.push(l), error: (l: string) => lines.push(l) };
    const bad = tmpFile("world.yaml", WORLD);
    const cfg = tmpFile("config.yaml", `directory:\n  source: file:${bad}\n`);
    expect(await checkConfig([cfg], out)).toBe(1);
    expect(lines).toContain(`${bad}: invalid`);
    lines.length = 0;
    const warnOnly = tmpFile(
      "world.yaml",
      "apiVersion: tenant-guard.dev/v1alpha1\nkind: Tenant\nmetadata: {name: a}\nspec:\n  enforcement: {rules: {TG-NOPE: Warn}}\n",
    );
    expect(await checkConfig(["--directory", `file:${warnOnly}`], out)).toBe(0);
    expect(lines[0]).toMatch(/^ {2}! .*unknown rule code "TG-NOPE"/);
    expect(lines[1]).toBe(`(defaults): ok (directory file:${warnOnly}, enforcement Enforce: 1 objects)`);
  });
});
