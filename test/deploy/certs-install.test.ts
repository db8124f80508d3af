// certs-scripts/install-certs.sh against a stand-in kubectl (no cluster here; the kind e2e suite runs
// it for real): the caBundle patches, the secrets it stores, trust-before-certificate ordering,
// idempotence and restarts. The certificates themselves come from the real openssl.
import { spawnSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO } from "./support/kustomize.ts";

const INSTALL = join(REPO, "certs-scripts/install-certs.sh");
const tmp: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), "tg-install-"));
  tmp.push(d);
  return d;
};
afterAll(() => tmp.forEach((d) => rmSync(d, { recursive: true, force: true })));
const read = (dir: string, f: string): string => readFileSync(join(dir, f), "utf8");

describe("certs-scripts/install-certs.sh (against a stand-in kubectl)", () => {
  const state = tempDir();
  const bin = tempDir();
  symlinkSync(join(REPO, "test/deploy/support/fake-kubectl.sh"), join(bin, "kubectl"));
  const env = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH ?? ""}`,
    FAKE_KUBECTL_STATE: state,
    FAKE_WEBHOOKS_validatingwebhookconfiguration: "validate.tenant-guard.dev ml.validate.tenant-guard.dev",
    FAKE_WEBHOOKS_mutatingwebhookconfiguration: "mutate.tenant-guard.dev",
    FAKE_DEPLOYMENT: "1",
  };
  const install = (...args: string[]): string => {
    const r = spawnSync("bash", [INSTALL, ...args], { encoding: "utf8", env, timeout: 30_000 });
    if (r.status !== 0) throw new Error(`install-certs.sh failed (${r.status}): ${r.stderr}`);
    return r.stderr;
  };
  const secret = (name: string, key: string): string =>
    Buffer.from(read(state, `secret-${name}-${key}`), "base64").toString("utf8");
  const bundles = (kind: string): string[] => {
    const ops = JSON.parse(read(state, `patch-${kind}`)) as { op: string; path: string; value: string }[];
    return ops.map((o) => {
      expect(o.path).toMatch(/^\/webhooks\/\d+\/clientConfig\/caBundle$/);
      return Buffer.from(o.value, "base64").toString("utf8");
    });
  };
  const restarts = (): number =>
    existsSync(join(state, "restarts")) ? read(state, "restarts").split("\n").length - 1 : 0;

  it("stores the TLS secret, patches the caBundle of every webhook, trust before the new certificate", () => {
    install();
    const ca = secret("tenant-guard-ca", "ca.crt");
    expect(
      new X509Certificate(secret("tenant-guard-tls", "tls.crt")).checkIssued(new X509Certificate(ca)),
    ).toBe(true);
    expect(secret("tenant-guard-tls", "tls.key")).toContain("PRIVATE KEY");
    expect(bundles("validatingwebhookconfiguration")).toEqual([ca, ca]);
    expect(bundles("mutatingwebhookconfiguration")).toEqual([ca]);
    const calls = read(state, "calls.log").split("\n");
    const patched = calls.findIndex((c) => c.startsWith("patch mutating"));
    const applied = calls.findIndex((c) => c.includes("create secret tls"));
    expect(patched).toBeGreaterThanOrEqual(0);
    expect(patched).toBeLessThan(applied);
    expect(restarts()).toBe(1);
  });

  it("re-running changes nothing and restarts nothing", () => {
    const before = secret("tenant-guard-tls", "tls.crt");
    install();
    expect(secret("tenant-guard-tls", "tls.crt")).toBe(before);
    expect(restarts()).toBe(1);
  });

  it("--rotate trusts old and new CA, restarts the pods; --drop-previous-ca trusts the new one only", () => {
    const oldCa = secret("tenant-guard-ca", "ca.crt");
    install("--rotate");
    const newCa = secret("tenant-guard-ca", "ca.crt");
    expect(newCa).not.toBe(oldCa);
    expect(bundles("mutatingwebhookconfiguration")[0]).toBe(`${newCa.trim()}\n${oldCa.trim()}\n`);
    expect(restarts()).toBe(2);
    install("--drop-previous-ca");
    expect(bundles("mutatingwebhookconfiguration")[0]!.trim()).toBe(newCa.trim());
    expect(restarts()).toBe(2);
  });
});
