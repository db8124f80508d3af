// Certificate hot reload through the real server, with the files laid out the way the kubelet
// mounts a Secret (`..data` symlink swapped atomically): new connections get the new pair while
// requests keep flowing on old and new connections with zero failures; a broken pair is refused
// and the old one stays; the expiry gauge follows.
import { X509Certificate } from "node:crypto";
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { Agent } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpsRequest } from "../support/https.ts";
import { loadReview } from "../support/fixtures.ts";
import { makeCa, makeLeaf, type Pem } from "../support/pki.ts";
import { startTestServer, type TestServer } from "../support/server.ts";

/** A Secret volume: files are symlinks through `..data`, which the kubelet swaps in one rename. */
class SecretVolume {
  readonly dir = mkdtempSync(join(tmpdir(), "tg-secret-"));
  private generation = 0;
  private current: string | undefined;
  constructor(files: Record<string, string>) {
    this.update(files);
    for (const name of Object.keys(files)) symlinkSync(join("..data", name), join(this.dir, name));
  }
  update(files: Record<string, string>): void {
    const ts = `..2026_11_23_${++this.generation}`;
    mkdirSync(join(this.dir, ts));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(this.dir, ts, name), text);
    symlinkSync(ts, join(this.dir, "..data_tmp"));
    renameSync(join(this.dir, "..data_tmp"), join(this.dir, "..data"));
    if (this.current !== undefined) rmSync(join(this.dir, this.current), { recursive: true });
    this.current = ts;
  }
  path(name: string): string {
    return join(this.dir, name);
  }
}

/** The fingerprint of the certificate a NEW connection is served. */
function servedFingerprint(port: number, ca: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: "127.0.0.1", port, ca, servername: "localhost" }, () => {
      resolve(s.getPeerX509Certificate()?.fingerprint256 ?? "");
      s.end();
    });
    s.on("error", reject);
  });
}
const fp = (pem: Pem): string => new X509Certificate(pem.cert).fingerprint256;
const until = async (cond: () => Promise<boolean> | boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error("condition not reached in time");
    await new Promise((r) => setTimeout(r, 25));
  }
};

let srv: TestServer;
let vol: SecretVolume;
let ca1: Pem;
let ca2: Pem;
let leafA: Pem;
let leafB: Pem;
let leafC: Pem;
const body = JSON.stringify(loadReview("pod-create"));

beforeAll(async () => {
  [ca1, ca2] = await Promise.all([makeCa("ca-1"), makeCa("ca-2")]);
  [leafA, leafB, leafC] = await Promise.all([
    makeLeaf(ca1, { cn: "tenant-guard", usage: "server", days: 10 }),
    makeLeaf(ca2, { cn: "tenant-guard", usage: "server", days: 90 }),
    makeLeaf(ca2, { cn: "tenant-guard", usage: "server", days: 5 }),
  ]);
  vol = new SecretVolume({ "tls.crt": leafA.cert, "tls.key": leafA.key });
  srv = await startTestServer({
    server: { tlsCert: vol.path("tls.crt"), tlsKey: vol.path("tls.key") },
  });
});
afterAll(async () => {
  await srv?.close();
});

describe("certificate hot reload", () => {
  it("rotates the pair under load with zero failed requests; old connections keep working", async () => {
    const port = srv.serving.server.port;
    const trust = [ca1.cert, ca2.cert];
    expect(await servedFingerprint(port, trust)).toBe(fp(leafA));
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 4 });
    let ok = 0;
    const failures: string[] = [];
    let stop = false;
    const worker = async (agent: Agent | undefined): Promise<void> => {
      while (!stop) {
        try {
          const res = await httpsRequest(`${srv.url}/validate`, {
            method: "POST",
            body,
            headers: { "content-type": "application/json" },
            ca: trust.join("\n"),
            agent: agent ?? new Agent({ keepAlive: false }), // a fresh connection every time
          });
          if (res.status === 200) ok++;
          else failures.push(`HTTP ${res.status}`);
        } catch (e) {
          failures.push((e as Error).message);
        }
      }
    };
    const workers = [worker(keepAlive), worker(keepAlive), worker(undefined), worker(undefined)];
    await until(() => ok > 20);
    vol.update({ "tls.crt": leafB.cert, "tls.key": leafB.key });
    await until(async () => (await servedFingerprint(port, trust)) === fp(leafB));
    const atSwap = ok;
    await until(() => ok > atSwap + 20);
    stop = true;
    await Promise.all(workers);
    keepAlive.destroy();
    expect(failures).toEqual([]);
    expect(ok).toBeGreaterThan(40);
    const metrics = (await srv.request("/metrics", { ca: trust.join("\n") })).text;
    const notAfterB = Date.parse(new X509Certificate(leafB.cert).validTo) / 1000;
    expect(metrics).toContain(
      `tenant_guard_serving_cert_expiry_timestamp_seconds{file="serving"} ${notAfterB}`,
    );
    expect(metrics).toMatch(/tenant_guard_file_reloads_total\{file="serving",result="ok"\} 1/);
  });

  it("keeps serving the current pair when the new key does not match the certificate", async () => {
    const trust = [ca1.cert, ca2.cert];
    vol.update({ "tls.crt": leafC.cert, "tls.key": leafA.key }); // mismatched
    await until(() =>
      srv.logs.some((l) => l.msg === "new TLS files rejected; still serving the previous ones"),
    );
    const rejected = srv.logs.find(
      (l) => l.msg === "new TLS files rejected; still serving the previous ones",
    );
    expect(String(rejected?.err)).toContain("key does not match certificate");
    expect(await servedFingerprint(srv.serving.server.port, trust)).toBe(fp(leafB));
    // and a garbage certificate the same way
    vol.update({
      "tls.crt": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
      "tls.key": leafC.key,
    });
    await until(
      () =>
        srv.logs.filter((l) => l.msg === "new TLS files rejected; still serving the previous ones").length >=
        2,
    );
    expect(await servedFingerprint(srv.serving.server.port, trust)).toBe(fp(leafB));
    // a good pair after the broken ones is picked up
    vol.update({ "tls.crt": leafC.cert, "tls.key": leafC.key });
    await until(async () => (await servedFingerprint(srv.serving.server.port, trust)) === fp(leafC));
    const metrics = (await srv.request("/metrics", { ca: trust.join("\n") })).text;
    expect(metrics).toMatch(/tenant_guard_file_reloads_total\{file="serving",result="error"\} 2/);
  });
});

describe("client CA hot reload", () => {
  it("trusts client certificates from the new CA once the CA file changes", async () => {
    const [oldCa, newCa, serverCa] = await Promise.all([makeCa("old"), makeCa("new"), makeCa("srv")]);
    const [serverLeaf, oldClient, newClient] = await Promise.all([
      makeLeaf(serverCa, { cn: "tenant-guard", usage: "server" }),
      makeLeaf(oldCa, { cn: "kube-apiserver", usage: "client" }),
      makeLeaf(newCa, { cn: "kube-apiserver", usage: "client" }),
    ]);
    const v = new SecretVolume({
      "tls.crt": serverLeaf.cert,
      "tls.key": serverLeaf.key,
      "ca.crt": oldCa.cert,
    });
    const s = await startTestServer({
      server: { tlsCert: v.path("tls.crt"), tlsKey: v.path("tls.key"), clientCa: v.path("ca.crt") },
    });
    try {
      // fresh connections each time: a client CA change applies to new handshakes
      const call = (c: Pem) =>
        s.request("/validate", {
          method: "POST",
          body,
          headers: { "content-type": "application/json" },
          ca: serverCa.cert,
          cert: c.cert,
          key: c.key,
          agent: new Agent({ keepAlive: false }),
        });
      expect((await call(oldClient)).status).toBe(200);
      expect((await call(newClient)).status).toBe(401);
      v.update({ "tls.crt": serverLeaf.cert, "tls.key": serverLeaf.key, "ca.crt": newCa.cert });
      await until(async () => (await call(newClient)).status === 200);
      expect((await call(oldClient)).status).toBe(401);
    } finally {
      await s.close();
    }
  });
});
