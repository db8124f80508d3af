// First-day edges: the Node version check bin/ runs before any .ts loads (kept equal to package.json
// engines), "did you mean" for flags and commands, and a missing default directory said as such.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MIN_NODE, nodeTooOld } from "../../bin/node-version.js";
import { parseAuditArgs } from "../../src/audit/args.ts";
import { parseServeArgs } from "../../src/cli/args.ts";
import { checkDefaultDirectory } from "../../src/config/default-directory.ts";
import { buildConfig } from "../../src/policy/config.ts";

describe("node version check", () => {
  it("equals package.json engines", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { engines: { node: string } };
    expect(pkg.engines.node).toBe(`>=${MIN_NODE}`);
  });

  it.each([
    ["v20.20.2", true],
    ["v22.18.0", true],
    ["v22.19.0", false],
    ["v22.20.1", false],
    ["v23.0.0", false],
    ["v24.21.0", false],
  ])("%s too old: %s", (v, old) => {
    const msg = nodeTooOld(v);
    expect(msg !== undefined).toBe(old);
    if (old) expect(msg).toContain(`needs Node.js >= ${MIN_NODE}`);
  });

  // The machine's system node may be older; if it is, bin/ must say so instead of failing on .ts.
  const system = spawnSync("/usr/bin/node", ["--version"], { encoding: "utf8" });
  const systemVersion = system.status === 0 ? system.stdout.trim() : undefined;
  it.skipIf(systemVersion === undefined || nodeTooOld(systemVersion) === undefined)(
    `bin/tenant-guard.js on an old Node (${systemVersion ?? "none"}) says so and exits 1`,
    () => {
      const r = spawnSync("/usr/bin/node", ["bin/tenant-guard.js", "audit", "--help"], { encoding: "utf8" });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`tenant-guard needs Node.js >= ${MIN_NODE}`);
      expect(r.stderr).not.toContain("ERR_UNKNOWN_FILE_EXTENSION");
    },
  );
});

describe("did you mean", () => {
  it("serve and audit suggest the closest flag", () => {
    expect(() => parseServeArgs(["--prot", "1"], {})).toThrow("unknown flag --prot (did you mean --port?)");
    expect(() => parseAuditArgs(["--clustr"])).toThrow("unknown flag --clustr (did you mean --cluster?)");
    expect(() => parseAuditArgs(["--zzzzzzzz", "x"])).toThrow(/unknown flag --zzzzzzzz$/);
  });
});

describe("missing default directory", () => {
  it("says the default was used and what to pass instead", () => {
    expect(() => checkDefaultDirectory(buildConfig(undefined), "/nonexistent")).toThrow(
      /no --directory given, and the default file:examples\/cluster\.yaml does not exist here \(\/nonexistent\/examples\/cluster\.yaml\); pass --directory/,
    );
    expect(() => checkDefaultDirectory(buildConfig(undefined))).not.toThrow();
    const other = buildConfig(undefined, { directory: { source: "file:/nonexistent/x.yaml" } });
    expect(() => checkDefaultDirectory(other, "/nonexistent")).not.toThrow();
  });
});
