// The kind end-to-end suite (test/e2e/run.sh) as a vitest test. It needs docker with a running
// daemon, kind and kubectl, takes minutes, and so only runs with TENANT_GUARD_E2E=1
// (`npm run test:e2e`); everywhere else it is skipped at once, saying why.
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO } from "../deploy/support/kustomize.ts";

function missing(): string | undefined {
  if (process.env.TENANT_GUARD_E2E !== "1") return "set TENANT_GUARD_E2E=1 (npm run test:e2e) to run it";
  const has = (cmd: string, ...args: string[]): boolean =>
    spawnSync(cmd, args, { stdio: "ignore", timeout: 10_000 }).status === 0;
  if (!has("docker", "--version")) return "docker is not installed";
  if (!has("docker", "info")) return "no docker daemon (docker info failed)";
  if (!has("kind", "version")) return "kind is not installed";
  if (!has("kubectl", "version", "--client")) return "kubectl is not installed";
  return undefined;
}

const reason = missing();
if (reason !== undefined) console.log(`test/e2e/kind.test.ts skipped: ${reason}`);

describe.skipIf(reason !== undefined)("tenant-guard on a kind cluster (test/e2e/run.sh)", () => {
  it(
    "denies every cross-tenant attempt, allows its twin, mutates pods, and audits in the audit overlay",
    async () => {
      const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn("bash", [join(REPO, "test/e2e/run.sh")], { cwd: REPO, env: process.env });
        let output = "";
        const take = (b: Buffer): void => {
          output += b.toString("utf8");
          process.stdout.write(b);
        };
        child.stdout.on("data", take);
        child.stderr.on("data", take);
        child.on("close", (c) => resolve({ code: c, output }));
      });
      expect(output).not.toContain("SKIP:");
      expect(output).toMatch(/\n\d+ passed, 0 failed\n/);
      expect(code).toBe(0);
    },
    30 * 60_000,
  );
});
