// What of the e2e suite can run without a cluster: the scripts parse (and pass shellcheck where it
// is installed), run.sh skips cleanly without a docker daemon, and world.ts turns the example
// world into objects an API server accepts.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { REPO } from "../deploy/support/kustomize.ts";

const SCRIPTS = [
  "test/e2e/run.sh",
  "test/e2e/lib.sh",
  "certs-scripts/gen-certs.sh",
  "certs-scripts/install-certs.sh",
  "test/deploy/support/fake-kubectl.sh",
];
const hasShellcheck = spawnSync("shellcheck", ["--version"], { stdio: "ignore" }).status === 0;
const dockerUp = spawnSync("docker", ["info"], { stdio: "ignore", timeout: 10_000 }).status === 0;

type Obj = { kind: string; metadata: { name: string; namespace?: string }; [k: string]: unknown };

describe("e2e and certs scripts", () => {
  it("parse with bash -n", () => {
    for (const s of SCRIPTS) {
      const r = spawnSync("bash", ["-n", join(REPO, s)], { encoding: "utf8" });
      expect([s, r.status, r.stderr]).toEqual([s, 0, ""]);
    }
  });

  it.skipIf(!hasShellcheck)("pass shellcheck", () => {
    const r = spawnSync("shellcheck", ["-x", ...SCRIPTS], { cwd: REPO, encoding: "utf8" });
    expect(r.stdout).toBe("");
    expect(r.status).toBe(0);
  });

  it.skipIf(dockerUp)("run.sh skips with a clear message when there is no docker daemon", () => {
    const r = spawnSync("bash", [join(REPO, "test/e2e/run.sh")], { encoding: "utf8", timeout: 20_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^SKIP: (docker is not installed|no docker daemon)/);
  });

  it("world.ts makes the example world applyable", () => {
    const r = spawnSync(join(REPO, "node_modules/.bin/node"), [join(REPO, "test/e2e/world.ts")], {
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    const objs = parseAllDocuments(r.stdout).map((d) => d.toJS() as Obj);
    const kinds = (k: string): Obj[] => objs.filter((o) => o.kind === k);
    expect(kinds("Tenant").map((t) => t.metadata.name)).toEqual(["team-alpha", "team-beta", "team-gamma"]);
    expect(
      kinds("PriorityClass")
        .map((p) => p.metadata.name)
        .sort(),
    ).toEqual(["team-alpha", "team-beta"]);
    expect(kinds("Namespace").map((n) => n.metadata.name)).not.toContain("kube-system");
    for (const s of kinds("Secret")) expect(s.stringData, s.metadata.name).toBeDefined();
    for (const p of kinds("PersistentVolumeClaim"))
      expect(p.spec, p.metadata.name).toMatchObject({ accessModes: ["ReadWriteOnce"] });
    const firstNamespaced = objs.findIndex((o) => o.metadata.namespace !== undefined);
    expect(objs.slice(firstNamespaced).some((o) => o.kind === "Namespace")).toBe(false);
    // the identities run.sh impersonates exist
    const sas = kinds("ServiceAccount").map((s) => `${s.metadata.namespace}/${s.metadata.name}`);
    expect(sas).toEqual(
      expect.arrayContaining(["team-alpha/trainer", "team-beta/notebook", "team-alpha/beta-sync"]),
    );
  });
});
