// certs-scripts/gen-certs.sh: the real openssl generates the CA and serving certificate, and the
// real tenant-guard serves with them. install-certs.sh is in certs-install.test.ts.
import { execFileSync, spawnSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startTestServer } from "../support/server.ts";
import { REPO } from "./support/kustomize.ts";

const GEN = join(REPO, "certs-scripts/gen-certs.sh");
const SVC = "tenant-guard.tenant-guard-system.svc";
const OPENSSL = spawnSync("openssl", ["version"], { encoding: "utf8" });
const tmp: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), "tg-certs-"));
  tmp.push(d);
  return d;
};
afterAll(() => tmp.forEach((d) => rmSync(d, { recursive: true, force: true })));

function gen(dir: string, ...args: string[]): string {
  const r = spawnSync("bash", [GEN, dir, ...args], { encoding: "utf8", timeout: 20_000 });
  if (r.status !== 0) throw new Error(`gen-certs.sh failed (${r.status}): ${r.stderr}`);
  return r.stderr;
}
const copyOf = (src: string): string => {
  const d = tempDir();
  cpSync(src, d, { recursive: true });
  return d;
};
const read = (dir: string, f: string): string => readFileSync(join(dir, f), "utf8");
const snapshot = (dir: string): Record<string, string> =>
  Object.fromEntries(readdirSync(dir).map((f) => [f, read(dir, f)]));
const x509 = (dir: string, f: string): X509Certificate => new X509Certificate(read(dir, f));
const verify = (dir: string, ca: string): string =>
  spawnSync("openssl", ["verify", "-CAfile", join(dir, ca), join(dir, "tls.crt")], { encoding: "utf8" })
    .stdout;

describe("certs-scripts/gen-certs.sh (openssl)", () => {
  it("needs openssl, which is installed here", () => {
    expect(OPENSSL.status, "openssl is required for certs-scripts: apt-get install openssl").toBe(0);
  });

  const dir = tempDir();
  it("generates a CA and an ECDSA P-256 serving certificate for the service DNS names", () => {
    expect(gen(dir)).toContain("generated a new CA");
    expect(readdirSync(dir).sort()).toEqual(["ca-bundle.crt", "ca.crt", "ca.key", "tls.crt", "tls.key"]);
    const leaf = x509(dir, "tls.crt");
    const ca = x509(dir, "ca.crt");
    expect(leaf.subjectAltName?.split(", ")).toEqual(
      expect.arrayContaining([
        `DNS:${SVC}`,
        `DNS:${SVC}.cluster.local`,
        "DNS:tenant-guard.tenant-guard-system",
      ]),
    );
    expect(leaf.publicKey.asymmetricKeyType).toBe("ec");
    expect(leaf.publicKey.asymmetricKeyDetails?.namedCurve).toBe("prime256v1");
    expect(leaf.ca).toBe(false);
    expect(ca.ca).toBe(true);
    expect(leaf.checkIssued(ca)).toBe(true);
    const text = execFileSync("openssl", ["x509", "-in", join(dir, "tls.crt"), "-noout", "-text"], {
      encoding: "utf8",
    });
    expect(text).toContain("TLS Web Server Authentication");
    expect(
      execFileSync("openssl", ["pkey", "-in", join(dir, "tls.key"), "-noout", "-text"], { encoding: "utf8" }),
    ).toContain("NIST CURVE: P-256");
    expect(verify(dir, "ca.crt")).toContain("tls.crt: OK");
    expect(read(dir, "ca-bundle.crt").trim()).toBe(read(dir, "ca.crt").trim());
  });

  it("is idempotent: a second run keeps every file byte for byte", () => {
    const before = snapshot(dir);
    expect(gen(dir)).toContain("reusing the serving certificate");
    expect(snapshot(dir)).toEqual(before);
  });

  it("re-issues a serving certificate that expires within 30 days, with the same CA", () => {
    const d = tempDir();
    gen(d, "--days", "10");
    const ca = read(d, "ca.crt");
    const leaf = read(d, "tls.crt");
    expect(gen(d)).toContain("expires within 30 days");
    expect(read(d, "ca.crt")).toBe(ca);
    expect(read(d, "tls.crt")).not.toBe(leaf);
    expect(verify(d, "ca.crt")).toContain("OK");
  });

  it("re-issues when the service name changes, and replaces a CA whose key does not match", () => {
    const d = copyOf(dir);
    expect(gen(d, "--namespace", "guard")).toContain("lacks DNS:tenant-guard.guard");
    expect(x509(d, "tls.crt").subjectAltName).toContain("DNS:tenant-guard.guard.svc.cluster.local");
    execFileSync("openssl", [
      "genpkey",
      "-algorithm",
      "EC",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-out",
      join(d, "ca.key"),
    ]);
    expect(gen(d, "--namespace", "guard")).toContain("key does not match");
    expect(verify(d, "ca.crt")).toContain("OK");
  });

  it("--rotate: new CA and certificate, both CAs trusted until --drop-previous-ca", () => {
    const d = copyOf(dir);
    const oldCa = read(d, "ca.crt");
    gen(d, "--rotate");
    expect(read(d, "ca.crt")).not.toBe(oldCa);
    expect(read(d, "ca.prev.crt")).toBe(oldCa);
    expect(read(d, "ca-bundle.crt").match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(read(d, "ca-bundle.crt")).toContain(oldCa.trim());
    expect(verify(d, "ca.crt")).toContain("OK");
    expect(verify(d, "ca.prev.crt")).not.toContain("OK");
    gen(d, "--drop-previous-ca");
    expect(existsSync(join(d, "ca.prev.crt"))).toBe(false);
    expect(read(d, "ca-bundle.crt").trim()).toBe(read(d, "ca.crt").trim());
  });

  it("tenant-guard serves with the generated pair, and a client trusting the CA gets /healthz", async () => {
    const server = await startTestServer({
      server: { tlsCert: join(dir, "tls.crt"), tlsKey: join(dir, "tls.key") },
    });
    try {
      const port = server.serving.server.port;
      const get = (ca: string): Promise<number> =>
        new Promise((resolve, reject) => {
          const req = request(
            { host: "127.0.0.1", port, path: "/healthz", servername: SVC, ca, timeout: 5000 },
            (res) => {
              res.resume();
              resolve(res.statusCode ?? 0);
            },
          );
          req.on("error", reject);
          req.end();
        });
      expect(await get(read(dir, "ca.crt"))).toBe(200);
      const stranger = tempDir();
      execFileSync(
        "openssl",
        [
          "req",
          "-x509",
          "-newkey",
          "ec",
          "-pkeyopt",
          "ec_paramgen_curve:P-256",
          "-nodes",
          "-subj",
          "/CN=stranger",
          "-days",
          "1",
          "-keyout",
          join(stranger, "k"),
          "-out",
          join(stranger, "ca.crt"),
        ],
        { stdio: "ignore" },
      );
      await expect(get(read(stranger, "ca.crt"))).rejects.toThrow(/self.signed|unable to (verify|get)/i);
    } finally {
      await server.close();
    }
  });
});
