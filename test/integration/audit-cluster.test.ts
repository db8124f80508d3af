// `tenant-guard audit --cluster` against a live(-ish) API server: every collection listed page by
// page, secrets and config maps as metadata only, progress on stderr, objects owned by an audited
// controller left out, forbidden collections reported, and the same findings as the offline audit
// of the same manifests. `--directory cluster` runs the real cluster backend on the shared fake
// API server.
import { afterEach, describe, expect, it } from "vitest";
import { scanCluster } from "../../src/audit/cluster-scan.ts";
import { kubeLister, loadKubeConfig } from "../../src/audit/kube-list.ts";
import { audit } from "../unit/audit/support/run-audit.ts";
import { startListServer, type ListServer } from "../support/audit-list-server.ts";
import { startFakeCluster, type FakeCluster } from "../support/fake-apiserver/harness.ts";
import { SECRET_VALUE, world } from "../unit/audit/support/cluster-world.ts";
import { MANIFESTS } from "../unit/audit/support/world.ts";

interface Finding {
  code: string;
  message: string;
  mode: string;
}
interface Report {
  scope: string;
  incomplete?: string[];
  results: { kind: string; namespace: string; name: string; findings: Finding[] }[];
}

function findings(r: Report): string[] {
  return r.results
    .flatMap((o) =>
      o.findings.map((f) => `${o.kind} ${o.namespace}/${o.name} ${f.code} ${f.mode}: ${f.message}`),
    )
    .sort();
}

let server: ListServer | undefined;
let fake: FakeCluster | undefined;
afterEach(async () => {
  await server?.close();
  await fake?.close();
  server = fake = undefined;
});

describe("audit --cluster", () => {
  it("lists everything page by page, metadata only for secrets and config maps, with progress", async () => {
    server = await startListServer(await world());
    const r = await audit(["--cluster", "--kubeconfig", server.kubeconfig, "-o", "json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as Report;
    expect(report.scope).toBe("cluster");
    expect(report.incomplete).toBeUndefined();
    // Secrets and config maps: only ever asked for as metadata; their values never reach output.
    for (const q of server.requests.filter((x) => /\/(secrets|configmaps)$/.test(x.path))) {
      expect(q.accept).toBe("application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1");
    }
    expect(r.out + r.err).not.toContain(SECRET_VALUE);
    expect(r.out).not.toContain(Buffer.from(SECRET_VALUE).toString("base64"));
    // Metadata lists carry no `type`: a second, field-selected list finds the token secrets.
    expect(
      server.requests.some(
        (q) => q.query.get("fieldSelector") === "type=kubernetes.io/service-account-token",
      ),
    ).toBe(true);
    const token = report.results.find((o) => o.name === "beta-sync-token");
    expect(token?.findings.map((f) => f.code)).toEqual(["TG-SECRET-SA-TOKEN"]);
    // 1200 config maps: three pages of 500, and progress says so.
    const cmPages = server.requests.filter((x) => x.path === "/api/v1/configmaps");
    expect(cmPages.map((q) => q.query.get("limit"))).toEqual(["500", "500", "500"]);
    expect(cmPages.filter((q) => q.query.get("continue")).length).toBe(2);
    expect(r.err).toContain("listing configmaps: 1000 so far");
    expect(r.err).toMatch(/listed \d+ configmaps/);
    // The ReplicaSet's pod repeats its template's finding: left out unless asked for.
    expect(r.err).toContain("1 object(s) owned by an audited controller left out");
    expect(report.results.some((o) => o.name === "trainer-api-5d8f7-abcde")).toBe(false);
    const all = JSON.parse(
      (await audit(["--cluster", "--include-owned", "--kubeconfig", server.kubeconfig, "-o", "json"])).out,
    ) as Report;
    expect(
      all.results.find((o) => o.name === "trainer-api-5d8f7-abcde")?.findings.map((f) => f.code),
    ).toContain("TG-TENANT-LABEL");
  });

  it("finds exactly what the offline audit finds in the same manifests, plus what only the cluster holds", async () => {
    server = await startListServer(await world());
    const live = JSON.parse(
      (await audit(["--cluster", "--kubeconfig", server.kubeconfig, "-o", "json"])).out,
    ) as Report;
    const offline = JSON.parse((await audit(["-o", "json", MANIFESTS])).out) as Report;
    const liveFindings = findings(live);
    for (const f of findings(offline)) expect(liveFindings).toContain(f);
    // The examples world's own boundary crossings (made before tenant-guard ran) show up too.
    expect(
      liveFindings.some((f) => f.startsWith("ServiceAccount team-alpha/beta-sync TG-TENANT-LABEL")),
    ).toBe(true);
  });

  it("keeps secret and config map data out even when the server ignores the metadata-only Accept", async () => {
    server = await startListServer(await world());
    server.ignoreMetadataAccept = true;
    const lister = kubeLister(loadKubeConfig(server.kubeconfig));
    const snap = await scanCluster(lister, {
      tenantLabel: "tenant-guard.dev/tenant",
      includeOwned: true,
      progress: () => {},
    });
    const dataKinds = snap.targets.filter((t) => t.object.kind === "Secret" || t.object.kind === "ConfigMap");
    expect(dataKinds.length).toBeGreaterThan(1200);
    expect(JSON.stringify(dataKinds)).not.toContain(Buffer.from(SECRET_VALUE).toString("base64"));
    expect(JSON.stringify(dataKinds)).not.toContain(SECRET_VALUE);
    expect(
      dataKinds.every(
        (t) =>
          Object.keys(t.object).sort().join() === "apiVersion,kind,metadata" || t.object.type !== undefined,
      ),
    ).toBe(true);
    // The token secret's type comes from the field-selected list, not from the body.
    expect(
      snap.targets.find((t) => (t.object.metadata as { name?: string }).name === "beta-sync-token")?.object
        .type,
    ).toBe("kubernetes.io/service-account-token");
  });

  it("a collection it may not list is reported, the rest is still audited", async () => {
    server = await startListServer(await world());
    server.forbidden.add("/api/v1/pods");
    const r = await audit(["--cluster", "--kubeconfig", server.kubeconfig, "-o", "json"]);
    const report = JSON.parse(r.out) as Report;
    expect(report.incomplete).toEqual(["pods: 403 cannot list /api/v1/pods"]);
    expect(r.err).toContain("cannot list pods (403)");
    expect(report.results.some((o) => o.kind === "Deployment")).toBe(true);
    expect(report.results.some((o) => o.kind === "Pod")).toBe(false);
  });

  it("an unreachable cluster or bad kubeconfig exits 2", async () => {
    const r = await audit(["--cluster", "--kubeconfig", "/nonexistent/kubeconfig"]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^tenant-guard audit: kubeconfig \/nonexistent\/kubeconfig: /);
  });
});

describe("audit --directory cluster", () => {
  it("judges manifests against the live cluster's directory (real informers) like the file directory", async () => {
    fake = await startFakeCluster();
    const viaCluster = await audit([
      "--directory",
      "cluster",
      "--kubeconfig",
      fake.kubeconfig,
      "-o",
      "json",
      MANIFESTS,
    ]);
    const viaFile = await audit(["-o", "json", MANIFESTS]);
    expect(viaCluster.code).toBe(1);
    expect(findings(JSON.parse(viaCluster.out) as Report)).toEqual(
      findings(JSON.parse(viaFile.out) as Report),
    );
  });
});

describe("audit --cluster: claimed hosts", () => {
  it("lists Ingresses and Gateway API kinds and reports the later of two claims of one host", async () => {
    fake = await startFakeCluster();
    // The examples' objects are stamped now by the fake API server; the taker comes a second later.
    await new Promise((r) => setTimeout(r, 1100));
    const put = (kind: string, namespace: string, name: string, spec: object): void => {
      fake?.fake.store.apply({
        apiVersion: "gateway.networking.k8s.io/v1",
        kind,
        metadata: { name, namespace },
        spec,
      });
    };
    put("HTTPRoute", "team-gamma", "taker", { hostnames: ["shop.alpha.example.com"] });
    // The Gateway API v1.6 standard kinds: TLSRoute and ListenerSet claim hosts, TCP/UDPRoute none.
    put("TLSRoute", "team-alpha", "db", { hostnames: ["db.alpha.example.com"] });
    put("ListenerSet", "team-alpha", "edge", {
      parentRef: { name: "platform", namespace: "shared-tools" },
      listeners: [{ name: "https", hostname: "edge.alpha.example.com", port: 443, protocol: "HTTPS" }],
    });
    put("TCPRoute", "team-alpha", "pg", { rules: [{ backendRefs: [{ name: "pg", port: 5432 }] }] });
    put("UDPRoute", "team-alpha", "dns", { rules: [{ backendRefs: [{ name: "dns", port: 53 }] }] });
    await new Promise((r) => setTimeout(r, 1100));
    put("HTTPRoute", "team-gamma", "late", { hostnames: ["db.alpha.example.com", "edge.alpha.example.com"] });
    const r = await audit(["--cluster", "--kubeconfig", fake.kubeconfig, "-o", "json"]);
    const report = JSON.parse(r.out) as Report;
    // (the fake API server serves no workloads or role bindings: those are reported incomplete)
    expect((report.incomplete ?? []).filter((x) => /ingresses|routes|gateways|listenersets/.test(x))).toEqual(
      [],
    );
    const kinds = new Set(report.results.map((o) => o.kind));
    for (const k of ["Ingress", "HTTPRoute", "Gateway", "TLSRoute", "TCPRoute", "UDPRoute", "ListenerSet"])
      expect(kinds).toContain(k);
    for (const path of ["tlsroutes", "tcproutes", "udproutes", "listenersets"])
      expect(fake.fake.requestsFor(path, { watch: false })).not.toHaveLength(0);
    const collisions = findings(report).filter((f) => f.includes("TG-HOSTNAME-COLLISION"));
    expect(collisions.filter((f) => f.startsWith("HTTPRoute team-gamma/taker "))).toHaveLength(1);
    expect(collisions.find((f) => f.startsWith("HTTPRoute team-gamma/taker "))).toMatch(
      /^HTTPRoute team-gamma\/taker TG-HOSTNAME-COLLISION .*Ingress team-alpha\/shop/,
    );
    // The audit's directory indexes the TLSRoute's and the ListenerSet's hosts.
    const late = collisions.filter((f) => f.startsWith("HTTPRoute team-gamma/late "));
    expect(late.some((f) => /"db\.alpha\.example\.com".*TLSRoute team-alpha\/db/.test(f))).toBe(true);
    expect(late.some((f) => /"edge\.alpha\.example\.com".*ListenerSet team-alpha\/edge/.test(f))).toBe(true);
    expect(collisions.every((f) => / team-gamma\/(taker|late) /.test(f))).toBe(true);
  });

  it("a cluster without the v1.6 kinds (older Gateway API) is not an incomplete scan", async () => {
    fake = await startFakeCluster({ unserved: ["tlsroutes", "tcproutes", "udproutes", "listenersets"] });
    const r = await audit(["--cluster", "--kubeconfig", fake.kubeconfig, "-o", "json"]);
    const report = JSON.parse(r.out) as Report;
    expect((report.incomplete ?? []).filter((x) => /routes|listenersets/.test(x))).toEqual([]);
    expect(fake.fake.requestsFor("tlsroutes").map((q) => q.status)).toEqual([404]);
    expect(new Set(report.results.map((o) => o.kind))).toContain("HTTPRoute");
  });

  it("a Gateway API v1.6 kind it may not list (403) makes the scan incomplete", async () => {
    server = await startListServer(await world());
    server.forbidden.add("/apis/gateway.networking.k8s.io/v1/tlsroutes");
    const r = await audit(["--cluster", "--kubeconfig", server.kubeconfig, "-o", "json"]);
    const report = JSON.parse(r.out) as Report;
    expect(report.incomplete).toEqual([
      "tlsroutes: 403 cannot list /apis/gateway.networking.k8s.io/v1/tlsroutes",
    ]);
    expect(r.err).toContain("cannot list tlsroutes (403)");
  });
});
