// The three calls leader election makes on a coordination.k8s.io/v1 Lease: get, create, and an
// update that carries metadata.resourceVersion, so a write based on a stale read is refused with
// 409 Conflict (optimistic concurrency: two replicas never both win the same transition).
import type { KubeConfig } from "@kubernetes/client-node";
import { rec, type JsonRecord } from "../k8s/access.ts";
import { apiUrl, jsonBody, kubeRequest, KubeHttpError } from "../k8s/kube-request.ts";

/** Lease.spec as client-go's resourcelock writes it (times are RFC 3339 with microseconds). */
export interface LeaseSpec {
  readonly holderIdentity?: string;
  readonly leaseDurationSeconds?: number;
  readonly acquireTime?: string;
  readonly renewTime?: string;
  readonly leaseTransitions?: number;
}

export interface Lease {
  readonly resourceVersion: string;
  readonly spec: LeaseSpec;
}

export type LeaseWrite =
  { readonly ok: true; readonly lease: Lease } | { readonly ok: false; readonly conflict: true };

export interface LeaseClient {
  get(): Promise<Lease | undefined>;
  /** 409 AlreadyExists (another replica created it first) is a conflict, not an error. */
  create(spec: LeaseSpec): Promise<LeaseWrite>;
  /** Replaces the spec if the Lease is still at `resourceVersion`; otherwise a conflict. */
  update(resourceVersion: string, spec: LeaseSpec): Promise<LeaseWrite>;
}

const JSON_HEADERS = { "content-type": "application/json", accept: "application/json" };
const TIMEOUT_MS = 5_000; // one call must not outlive the renew deadline

function toLease(body: unknown): Lease {
  const obj = rec(body);
  const rv = rec(obj?.metadata)?.resourceVersion;
  if (typeof rv !== "string") throw new Error("a Lease without metadata.resourceVersion");
  const s = rec(obj?.spec) ?? {};
  return { resourceVersion: rv, spec: s as LeaseSpec };
}

function fail(what: string, status: number, body: string): never {
  const message = (rec(safe(body))?.message as string | undefined) ?? body.slice(0, 200);
  throw new KubeHttpError(status, `${what}: ${status} ${message}`);
}

const safe = (body: string): unknown => jsonBody({ status: 0, body });

export function leaseClient(kc: KubeConfig, namespace: string, name: string): LeaseClient {
  const collection = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases`;
  const item = `${collection}/${encodeURIComponent(name)}`;
  const object = (spec: LeaseSpec, resourceVersion?: string): string =>
    JSON.stringify({
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: { name, namespace, ...(resourceVersion === undefined ? {} : { resourceVersion }) },
      spec,
    } satisfies JsonRecord);
  const call = (method: string, path: string, body?: string) =>
    kubeRequest(kc, method, apiUrl(kc, path), JSON_HEADERS, body, {
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  return {
    async get() {
      const res = await call("GET", item);
      if (res.status === 404) return undefined;
      if (res.status !== 200) fail(`get lease ${namespace}/${name}`, res.status, res.body);
      return toLease(jsonBody(res));
    },
    async create(spec) {
      const res = await call("POST", collection, object(spec));
      if (res.status === 409) return { ok: false, conflict: true };
      if (res.status !== 201 && res.status !== 200)
        fail(`create lease ${namespace}/${name}`, res.status, res.body);
      return { ok: true, lease: toLease(jsonBody(res)) };
    },
    async update(resourceVersion, spec) {
      const res = await call("PUT", item, object(spec, resourceVersion));
      if (res.status === 409) return { ok: false, conflict: true };
      if (res.status !== 200) fail(`update lease ${namespace}/${name}`, res.status, res.body);
      return { ok: true, lease: toLease(jsonBody(res)) };
    },
  };
}
