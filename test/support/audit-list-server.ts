// A list-only API server for `tenant-guard audit --cluster` tests: HTTPS with its own certificate,
// bearer-token auth, every collection the scan reads (the shared fake API server serves only the
// directory's resources), `limit`/`continue` paging, metadata-only lists on request, `type=`
// field selectors on secrets, 403 for chosen collections, and server-side apply (PATCH
// application/apply-patch+yaml) of wgpolicyk8s.io reports, kept by path. Items are sent without kind and
// apiVersion, as the real API server sends them inside a list.
import type { ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import { mkdtemp, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SCANNED_COLLECTIONS } from "../../src/audit/cluster-scan.ts";
import { gvkOf, resourceOf } from "../../src/audit/resources.ts";
import { rec, type JsonRecord } from "../../src/k8s/access.ts";
import { selfSignedCert } from "../../src/server/tls.ts";

import { FakeLeases } from "./fake-apiserver/leases.ts";

export const LIST_TOKEN = "audit-list-server-token";

export interface SeenRequest {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly accept: string;
}

export interface ListServer {
  readonly url: string;
  readonly kubeconfig: string;
  readonly requests: SeenRequest[];
  readonly forbidden: Set<string>;
  /** Behave like a server that ignores the metadata-only Accept header (sends full objects). */
  ignoreMetadataAccept: boolean;
  /** Reports applied with PATCH, by path; how many applies each got. */
  readonly applied: Map<string, { object: JsonRecord; applies: number }>;
  /** Report paths DELETEd, in order. */
  readonly deleted: string[];
  /** The background audit's Leases (leader election). */
  readonly leases: FakeLeases;
  /** Collections answered with 500 (a list failure), by path. */
  readonly failing: Set<string>;
  /** Collections answered with 404, as a server that does not serve that group version. */
  readonly unserved: Set<string>;
  /** Adds or replaces an object (by collection, namespace and name), as kubectl apply would. */
  put(obj: JsonRecord): void;
  /** Removes an object, as kubectl delete would. */
  remove(obj: JsonRecord): void;
  close(): Promise<void>;
}

export function collectionPath(obj: JsonRecord): string {
  const gvk = gvkOf(String(obj.apiVersion), String(obj.kind));
  const { resource } = resourceOf(gvk);
  return gvk.group === ""
    ? `/api/${gvk.version}/${resource}`
    : `/apis/${gvk.group}/${gvk.version}/${resource}`;
}

function send(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { "content-type": "application/json" }).end(JSON.stringify(body));
}

export async function startListServer(objects: readonly JsonRecord[]): Promise<ListServer> {
  // Every collection the scan reads exists (maybe empty), as on a real cluster.
  const byPath = new Map<string, JsonRecord[]>(SCANNED_COLLECTIONS.map((p) => [p, []]));
  for (const o of objects) {
    const p = collectionPath(o);
    byPath.set(p, [...(byPath.get(p) ?? []), o]);
  }
  const requests: SeenRequest[] = [];
  const forbidden = new Set<string>();
  const applied = new Map<string, { object: JsonRecord; applies: number }>();
  const deleted: string[] = [];
  const failing = new Set<string>();
  const unserved = new Set<string>();
  const same = (a: JsonRecord, b: JsonRecord): boolean =>
    JSON.stringify([rec(a.metadata)?.namespace, rec(a.metadata)?.name]) ===
    JSON.stringify([rec(b.metadata)?.namespace, rec(b.metadata)?.name]);
  const remove = (obj: JsonRecord): void => {
    const p = collectionPath(obj);
    byPath.set(
      p,
      (byPath.get(p) ?? []).filter((o) => !same(o, obj)),
    );
  };
  // Reports applied so far, listed like the API server lists them (label selector honoured).
  const reportList = (
    kind: "policyreports" | "clusterpolicyreports",
    selector: string | null,
  ): JsonRecord[] =>
    [...applied.entries()]
      .filter(([path]) => path.includes(`/${kind}/`))
      .map(([, a]) => a.object)
      .filter((o) => {
        if (selector === null) return true;
        const [k, v] = selector.split("=");
        return rec(rec(o.metadata)?.labels)?.[k ?? ""] === v;
      });
  const cert = await selfSignedCert(["localhost"]);
  const leases = new FakeLeases();
  const server: Server = createServer({ cert: cert.cert, key: cert.key }, (req, res) => {
    const url = new URL(req.url ?? "/", "https://x");
    const accept = req.headers.accept ?? "";
    requests.push({ path: url.pathname, query: url.searchParams, accept });
    if (req.headers.authorization !== `Bearer ${LIST_TOKEN}`)
      return send(res, 401, { kind: "Status", code: 401, message: "Unauthorized" });
    if (forbidden.has(url.pathname))
      return send(res, 403, { kind: "Status", code: 403, message: `cannot list ${url.pathname}` });
    if (failing.has(url.pathname))
      return send(res, 500, { kind: "Status", code: 500, message: "etcdserver: request timed out" });
    if (unserved.has(url.pathname))
      return send(res, 404, {
        kind: "Status",
        code: 404,
        message: "the server could not find the requested resource",
      });
    // The background audit's leader election: Leases as the fake API server serves them.
    if (url.pathname.startsWith("/apis/coordination.k8s.io/")) {
      void leases.handle(req, res, url.pathname);
      return;
    }
    if (req.method === "DELETE") {
      if (!applied.delete(url.pathname))
        return send(res, 404, { kind: "Status", code: 404, message: "not found" });
      deleted.push(url.pathname);
      return send(res, 200, { kind: "Status", code: 200, status: "Success" });
    }
    const reports = /^\/apis\/wgpolicyk8s\.io\/v1alpha2\/(policyreports|clusterpolicyreports)$/.exec(
      url.pathname,
    );
    if (req.method === "GET" && reports !== null) {
      const items = reportList(reports[1] as "policyreports", url.searchParams.get("labelSelector"));
      return send(res, 200, { kind: "List", apiVersion: "v1", metadata: { resourceVersion: "100" }, items });
    }
    if (req.method === "PATCH") {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        const ok =
          url.pathname.startsWith("/apis/wgpolicyk8s.io/v1alpha2/") &&
          req.headers["content-type"] === "application/apply-patch+yaml" &&
          url.searchParams.get("fieldManager") === "tenant-guard";
        if (!ok) return send(res, 415, { kind: "Status", code: 415, message: "not an apply patch" });
        const prev = applied.get(url.pathname);
        const object = JSON.parse(body) as JsonRecord;
        applied.set(url.pathname, { object, applies: (prev?.applies ?? 0) + 1 });
        send(res, prev === undefined ? 201 : 200, object);
      });
      return;
    }
    const all = byPath.get(url.pathname);
    if (all === undefined)
      return send(res, 404, {
        kind: "Status",
        code: 404,
        message: "the server could not find the requested resource",
      });
    const selector = url.searchParams.get("fieldSelector");
    const matching = selector?.startsWith("type=") ? all.filter((o) => o.type === selector.slice(5)) : all;
    const from = Number(Buffer.from(url.searchParams.get("continue") ?? "", "base64url").toString() || "0");
    const limit = Number(url.searchParams.get("limit") ?? "0") || matching.length;
    const page = matching.slice(from, from + limit);
    const next =
      from + page.length < matching.length
        ? Buffer.from(String(from + page.length)).toString("base64url")
        : undefined;
    const metadataOnly = accept.includes("as=PartialObjectMetadataList") && !handle.ignoreMetadataAccept;
    send(res, 200, {
      kind: metadataOnly ? "PartialObjectMetadataList" : "List",
      apiVersion: metadataOnly ? "meta.k8s.io/v1" : "v1",
      metadata: { resourceVersion: "100", ...(next ? { continue: next } : {}) },
      items: page.map(({ kind: _k, apiVersion: _a, ...rest }) =>
        metadataOnly
          ? { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: rest.metadata }
          : rest,
      ),
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = await mkdtemp(join(tmpdir(), "tg-audit-kube-"));
  const kubeconfig = join(dir, "kubeconfig");
  const ca = Buffer.from(cert.cert).toString("base64");
  await writeFile(
    kubeconfig,
    `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: "${url}", certificate-authority-data: ${ca}}\n` +
      `users:\n- name: u\n  user: {token: ${LIST_TOKEN}}\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\ncurrent-context: c\n`,
    { mode: 0o600 },
  );
  const handle: ListServer = {
    url,
    kubeconfig,
    requests,
    forbidden,
    ignoreMetadataAccept: false,
    applied,
    deleted,
    leases,
    failing,
    unserved,
    put: (obj) => {
      remove(obj);
      const p = collectionPath(obj);
      byPath.set(p, [...(byPath.get(p) ?? []), obj]);
    },
    remove,
    close: () => new Promise((r) => server.close(() => r())),
  };
  return handle;
}
