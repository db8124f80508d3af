// `tenant-guard audit` as an operator runs it: a child process through src/main.ts, stdout,
// stderr and exit status. Few processes (a Node start costs seconds on a loaded machine); the
// other paths are covered in process by test/unit/audit/cli.test.ts and platform-tree.test.ts.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MANIFESTS, PLATFORM, ROOT } from "../unit/audit/support/world.ts";

const NODE = join(ROOT, "node_modules", ".bin", "node");

function run(args: string[], stdin = ""): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, ["src/main.ts", "audit", ...args], { cwd: ROOT, stdio: "pipe" });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, out, err }));
    child.stdin.end(stdin);
  });
}

describe("tenant-guard audit (child process)", () => {
  it("reports the violating manifests as a table and exits 1", async () => {
    const r = await run([MANIFESTS]);
    expect(r.code).toBe(1);
    const rows = r.out.split("\n").filter((l) => /\sTG-TENANT-LABEL\s/.test(l));
    expect(rows.map((l) => l.split(/\s+/).slice(0, 2).join(" "))).toEqual([
      "team-alpha Deployment/metrics-exporter",
      "alpha-train Pod/debug-shell",
      "alpha-serving PersistentVolumeClaim/model-cache",
    ]);
    expect(r.out).toMatch(/3 finding\(s\) in 3 of 8 object\(s\)/);
  });

  it("survives a real tree: reports every readable object, names the skipped ones, exits 3", async () => {
    // deploy/ adds tenant-guard's own objects: exempt in tenant-guard-system, cluster-scoped kinds
    // no rule checks (webhook configurations, ClusterRoles, CRD), or its PriorityClass (checked by
    // TG-CLUSTER-CLASS, like the platform tree's RuntimeClass; no tenant writes them); the background
    // audit, kueue and gateway-api components add a ClusterRoleBinding (checked) and a ClusterRole
    // each, the background audit its Lease Role and RoleBinding (exempt, in tenant-guard-system). The
    // platform tree's Kueue objects are checked: its LocalQueue points at an unlabelled ClusterQueue.
    const r = await run([PLATFORM, "deploy"]);
    // 1 (Enforce findings) + 2 (an unreadable file, skipped; the rest audited)
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/platform\/argo\/nightly-eval\.yaml:9: .+; file skipped/);
    expect(r.err).toMatch(/skipped deploy\/components\/ml-platforms\/ml-webhook\.yaml:2: a JSON patch/);
    expect(r.err).toMatch(/skipped \S+platform\/kustomization\.yaml:1: Kustomization: kustomize input/);
    expect(r.out).toMatch(
      /^6 finding\(s\) in 5 of 17 object\(s\) \(6 Enforce\); 14 skipped \(exempt namespace\);/m,
    );
    expect(r.out).toMatch(/^Not checked: 9 object\(s\) of kinds no tenant-guard rule checks \(/m);
    expect(r.out).toMatch(/^Could not read 1 file\(s\), the rest was audited: \S+nightly-eval\.yaml:9\.$/m);
  });
});
