// The command line as a user runs it: a real child process on Node 24.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { httpsRequest } from "../support/https.ts";
import { listeningUrl } from "../support/listening.ts";

const NODE = process.execPath;

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(NODE, ["src/main.ts", ...args], { encoding: "utf8", timeout: 15_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("tenant-guard CLI", () => {
  it("check-config accepts the example config", () => {
    const r = run("check-config", "examples/config.yaml");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/examples\/config.yaml: ok/);
  });

  it("check-config names the field and line of each problem and exits 1", () => {
    const dir = mkdtempSync(join(tmpdir(), "tg-cli-"));
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "directory:\n  source: s3://nope\nlog:\n  level: loud\n");
    const r = run("check-config", file);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`directory.source: must be "cluster" or "file:PATH" (${file}:2)`);
    expect(r.stderr).toContain(`log.level`);
    expect(r.stderr).toContain(`${file}:4`);
  });

  it("check-config refuses a misspelled rule code at its line and checks the directory file it names", () => {
    const dir = mkdtempSync(join(tmpdir(), "tg-cli-"));
    const world = join(dir, "world.yaml");
    writeFileSync(
      world,
      "apiVersion: tenant-guard.dev/v1alpha1\nkind: Tenant\nmetadata: {name: t}\nspec:\n  podDefaults:\n    maxPerPod: {cpu: lots}\n    colour: blue\n",
    );
    const cfg = join(dir, "config.yaml");
    writeFileSync(
      cfg,
      `directory:\n  source: file:${world}\nenforcement:\n  forced:\n    - TG-TENANT-LABLE\n`,
    );
    const bad = run("check-config", cfg);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(
      `enforcement.forced.0: unknown rule code "TG-TENANT-LABLE" (did you mean TG-TENANT-LABEL?) (${cfg}:5)`,
    );
    writeFileSync(cfg, `directory:\n  source: file:${world}\n`);
    const r = run("check-config", cfg);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${world}: invalid`);
    expect(r.stderr).toContain(
      `${world}:6: Tenant "t": spec.podDefaults.maxPerPod.cpu: not a valid resource quantity`,
    );
    expect(r.stderr).toContain(`${world}:7: Tenant "t": spec.podDefaults: unknown key "colour"`);
  });

  it("serve from elsewhere says the default directory is missing, and a misspelled flag gets a suggestion", () => {
    const cwd = mkdtempSync(join(tmpdir(), "tg-cli-"));
    const main = join(process.cwd(), "src", "main.ts");
    const r = spawnSync(NODE, [main, "serve", "--port", "0"], { encoding: "utf8", timeout: 15_000, cwd });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      "no --directory given, and the default file:examples/cluster.yaml does not exist here",
    );
    expect(run("serve", "--prot", "1").stderr).toContain("unknown flag --prot (did you mean --port?)");
    expect(run("serv").stderr).toContain('unknown command "serv" (did you mean serve?)');
  });

  it("check-config without a file is a usage error", () => {
    expect(run("check-config").status).toBe(2);
  });

  it("unknown commands and flags are usage errors with exit 2", () => {
    const a = run("frobnicate");
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(/unknown command "frobnicate"/);
    const b = run("serve", "--prot", "1");
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/tenant-guard: bad command-line usage/);
  });

  it("serve refuses a broken directory file with its file and line", () => {
    const dir = mkdtempSync(join(tmpdir(), "tg-cli-"));
    const file = join(dir, "world.yaml");
    writeFileSync(
      file,
      "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: tenant-guard.dev/v1alpha1\nkind: Tenant\nmetadata: {name: t}\nspec:\n  podDefaults:\n    maxPerPod: {cpu: lots}\n",
    );
    const r = run("serve", "--port", "0", "--directory", `file:${file}`);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}:10`);
    expect(r.stderr).toMatch(/not a valid resource quantity/);
  });

  it("serve starts on the embedded default, becomes ready, and exits 0 on SIGTERM", async () => {
    const child = spawn(NODE, ["src/main.ts", "serve", "--port", "0", "--host", "127.0.0.1"], {
      env: { ...process.env, TENANT_GUARD_LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    const url = await listeningUrl(child, "serve", 10_000);
    const ready = await httpsRequest(`${url}/readyz`);
    expect(ready.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(out).toMatch(/self-signed ECDSA P-256/);
  });
});
