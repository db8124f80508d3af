// API discovery for the informers of resources a cluster may not serve (CRDs): budgeted
// count/<resource>.<group> kinds (counted.ts) and the optional Gateway API host-claim kinds
// (optional-sources.ts). /api/v1 for the core group, /apis/<group>/<version> for any other,
// /apis/<group> for a group's preferred version. A 404 is "not served", never an error.
import type { KubeConfig } from "@kubernetes/client-node";
import { isRecord, own, rec, str } from "../../k8s/access.ts";
import { apiUrl, jsonBody, kubeRequest } from "../../k8s/kube-request.ts";

/** The JSON at a discovery path, or undefined when the server answers 404 (not served). */
async function getJson(kc: KubeConfig, path: string, timeoutMs: number): Promise<unknown> {
  const res = await kubeRequest(kc, "GET", apiUrl(kc, path), { Accept: "application/json" }, undefined, {
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (res.status === 404) return undefined;
  if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status}`);
  return jsonBody(res);
}

/** Whether an APIResourceList serves `resource` as a namespaced resource. */
export function servesNamespaced(list: unknown, resource: string): boolean {
  const rs = own(rec(list), "resources");
  return (
    Array.isArray(rs) && rs.some((r) => isRecord(r) && r.name === resource && own(r, "namespaced") === true)
  );
}

/** The APIResourceList of a group version ("v1" or "group/version"); undefined when not served. */
export function resourceList(kc: KubeConfig, groupVersion: string, timeoutMs: number): Promise<unknown> {
  return getJson(kc, groupVersion === "v1" ? "/api/v1" : `/apis/${groupVersion}`, timeoutMs);
}

/** The all-namespaces collection path of a namespaced resource at its group's preferred version
 * (the core group: v1), or undefined when it is not served. */
export async function preferredPath(
  kc: KubeConfig,
  group: string,
  resource: string,
  timeoutMs: number,
): Promise<string | undefined> {
  if (group === "") {
    return servesNamespaced(await resourceList(kc, "v1", timeoutMs), resource)
      ? `/api/v1/${resource}`
      : undefined;
  }
  const doc = await getJson(kc, `/apis/${group}`, timeoutMs);
  const gv = str(own(rec(own(rec(doc), "preferredVersion")), "groupVersion"));
  if (gv === undefined) return undefined;
  return servesNamespaced(await resourceList(kc, gv, timeoutMs), resource)
    ? `/apis/${gv}/${resource}`
    : undefined;
}

/** true when one metadata-only page of `path` can be listed; the HTTP status when it cannot. */
export async function mayList(kc: KubeConfig, path: string, timeoutMs: number): Promise<true | number> {
  const res = await kubeRequest(
    kc,
    "GET",
    apiUrl(kc, `${path}?limit=1`),
    { Accept: "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json" },
    undefined,
    { signal: AbortSignal.timeout(timeoutMs) },
  );
  if (res.status === 200) return true;
  if (res.status === 401 || res.status === 403) return res.status;
  throw new Error(`GET ${path}: HTTP ${res.status}`);
}
