// A collection whose group moved versions (DRA's resource.k8s.io: v1 since Kubernetes 1.34, v1beta2
// in 1.33, v1beta1 in 1.32) is listed at the newest version the API server serves: a 404 at one
// version asks the next older one. The items get the apiVersion they were listed at, so rules read
// them in that version's shape.
import type { Source } from "./cluster-scan.ts";
import type { ListOptions, ListResult } from "./kube-list.ts";

export interface ServedList {
  readonly res: ListResult;
  /** The apiVersion the items were listed at (the last one tried when none is served). */
  readonly apiVersion: string;
}

/** "/apis/resource.k8s.io/v1/resourceclaims" at "resource.k8s.io/v1beta1" -> ".../v1beta1/resourceclaims". */
export function pathAtVersion(src: Source, apiVersion: string): string {
  const resource = src.path.slice(src.path.lastIndexOf("/") + 1);
  return apiVersion.includes("/") ? `/apis/${apiVersion}/${resource}` : `/api/${apiVersion}/${resource}`;
}

/** The apiVersion of one of the source's paths (pathAtVersion's inverse). */
export function apiVersionOf(src: Source, path: string): string {
  const parts = path.split("/").filter(Boolean);
  return parts[0] === "api" ? (parts[1] ?? src.apiVersion) : `${parts[1]}/${parts[2]}`;
}

/** The source's apiVersion first, then each of its older versions while the server answers 404. */
export function servedVersions(src: Source): string[] {
  const slash = src.apiVersion.lastIndexOf("/");
  const group = slash < 0 ? "" : src.apiVersion.slice(0, slash);
  return [src.apiVersion, ...(src.olderVersions ?? []).map((v) => (group ? `${group}/${v}` : v))];
}

export async function listServed(
  list: (path: string, opts: ListOptions) => Promise<ListResult>,
  src: Source,
  opts: ListOptions,
): Promise<ServedList> {
  let last: ServedList | undefined;
  for (const apiVersion of servedVersions(src)) {
    const res = await list(pathAtVersion(src, apiVersion), opts);
    last = { res, apiVersion };
    if (res.ok || res.status !== 404) return last;
  }
  return last as ServedList;
}
