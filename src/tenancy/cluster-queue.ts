// A Kueue ClusterQueue as the directory keeps it: its name, the tenant its tenant label names, and
// the tenants it is shared with by the tenant-guard.dev/shared-with annotation. Quotas, flavors and
// status are dropped at once. Shared by the file backend and the cluster informer.
import { own, rec, str } from "../k8s/access.ts";
import { cleanMap } from "./build.ts";
import type { ClusterQueueInfo } from "./view.ts";

/** Annotation on a ClusterQueue: tenants (comma-separated, or "*" for every tenant) that may use it. */
export const SHARED_WITH_ANNOTATION = "tenant-guard.dev/shared-with";

/** Annotations are at most 256 KiB in all; a longer value than this lists no sane set of tenants. */
const SHARED_WITH_MAX = 16_384;

/** The tenants a shared-with value names ("*" kept as is); linear, no regex over the value. */
export function parseSharedWith(value: string | undefined): ReadonlySet<string> {
  if (value === undefined || value.length > SHARED_WITH_MAX) return EMPTY;
  const out = new Set<string>();
  for (const part of value.split(",")) {
    const name = part.trim();
    if (name !== "") out.add(name);
  }
  return out.size === 0 ? EMPTY : out;
}

const EMPTY: ReadonlySet<string> = new Set();

export function clusterQueueInfo(obj: unknown, tenantLabel: string): ClusterQueueInfo {
  const md = rec(own(rec(obj), "metadata"));
  const labels = cleanMap(own(md, "labels"));
  const annotations = cleanMap(own(md, "annotations"));
  const claimed = Object.hasOwn(labels, tenantLabel) ? labels[tenantLabel] : undefined;
  return Object.freeze({
    name: str(own(md, "name")) ?? "",
    tenant: claimed === undefined || claimed === "" ? undefined : claimed,
    sharedWith: parseSharedWith(
      Object.hasOwn(annotations, SHARED_WITH_ANNOTATION) ? annotations[SHARED_WITH_ANNOTATION] : undefined,
    ),
  });
}
