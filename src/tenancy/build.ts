// Kubernetes objects (from YAML files or tests) -> TenantIndex. Shared by the file and memory
// backends; the cluster backend keeps objects the same way (cachedMeta/cleanMap) in its informers.
import { TenantGuardError } from "../errors.ts";
import { isRecord, own, rec, str, type JsonRecord } from "../k8s/access.ts";
import { TenantIndex } from "./tenant-index.ts";
import { chargeOfPod } from "../quota/charge.ts";
import { countKeyOf, countedResources, groupOf, guessResource } from "../quota/object-count.ts";
import { persistentVolumeInfo } from "./persistent-volume.ts";
import { clusterQueueInfo } from "./cluster-queue.ts";
import { KUEUE_GROUP } from "../k8s/kueue.ts";
import { HOST_CLAIM_KINDS } from "../k8s/claimed-hosts.ts";
import { hostClaimOf } from "./host-claims.ts";
import { tenantSchema } from "./tenant-schema.ts";
import { CACHED_KINDS, type CachedKind, type CachedObject, type NodeInfo, type NodeTaint } from "./view.ts";
import type { SourcedObject } from "./yaml-objects.ts";

// Annotations kept on cached objects: tenant-guard's own only. No rule reads another annotation of
// a cached object (cloud identities and token-secret owners are judged on the object under
// review), so keeping them cost memory on 100,000s of objects for nothing; a Secret's
// kubectl.kubernetes.io/last-applied-configuration even holds the secret's data in clear text.
// A rule that needs a cached annotation adds its key here.
const KEPT_ANNOTATION_PREFIX = "tenant-guard.dev/";

function isKeptAnnotation(key: string): boolean {
  return key.startsWith(KEPT_ANNOTATION_PREFIX);
}

// The parent of every cached label/annotation map: empty, frozen, itself without a prototype, so
// nothing is inherited ("constructor" resolves to nothing). Not Object.create(null) per map: V8
// keeps null-prototype objects in dictionary mode, about 3x the memory of a fast-mode object,
// which adds up to ~80 MB over 200,000 cached service accounts and secrets.
const NO_MEMBERS: object = Object.freeze(Object.create(null) as object);
const EMPTY: Readonly<Record<string, string>> = Object.freeze(
  Object.create(NO_MEMBERS) as Record<string, string>,
);

/**
 * Labels/annotations as a frozen map of strings that inherits nothing (so "constructor" is never
 * found). `keep` filters keys; a value equal to `shared` (the object's name, as in
 * app.kubernetes.io/name) reuses that string instead of holding another copy.
 */
export function cleanMap(
  x: unknown,
  keep?: (key: string) => boolean,
  shared?: string,
): Readonly<Record<string, string>> {
  if (!isRecord(x)) return EMPTY;
  let out: Record<string, string> | undefined;
  for (const k of Object.keys(x)) {
    const v = x[k];
    if (typeof v !== "string" || (keep !== undefined && !keep(k))) continue;
    out ??= Object.create(NO_MEMBERS) as Record<string, string>;
    out[k] = v === shared ? shared : v;
  }
  return out === undefined ? EMPTY : Object.freeze(out);
}

/**
 * What the directory keeps of an object's metadata: of the labels only `tenantLabel`, the one rules
 * read of a cached object (ownerOfObject) - Helm/app labels on 200,000 service accounts and secrets
 * were a third of the cluster directory's memory - and the annotations rules use.
 */
export function cachedMeta(metadata: unknown, tenantLabel: string): CachedObject {
  const md = rec(metadata);
  const name = str(own(md, "name"));
  return {
    labels: cleanMap(own(md, "labels"), (k: string): boolean => k === tenantLabel, name),
    annotations: cleanMap(own(md, "annotations"), isKeptAnnotation, name),
  };
}

export function isCachedKind(kind: unknown): kind is CachedKind {
  return typeof kind === "string" && (CACHED_KINDS as readonly string[]).includes(kind);
}

/** Ingress (networking.k8s.io), HTTPRoute, GRPCRoute, TLSRoute, Gateway, ListenerSet (gateway.networking.k8s.io), any version. */
function isHostClaimKind(kind: string, apiVersion: unknown): boolean {
  const group = HOST_CLAIM_KINDS.get(kind);
  return group !== undefined && typeof apiVersion === "string" && apiVersion.startsWith(`${group}/`);
}

export interface BuildResult {
  readonly index: TenantIndex;
  readonly counts: Record<string, number>;
  /** Objects of kinds the directory does not use (Deployments in the same file, say). */
  readonly ignored: number;
}

/** Throws TG_DIRECTORY_INVALID naming file, line and field for the first broken object. */
export function buildIndex(objects: readonly SourcedObject[], tenantLabel: string): BuildResult {
  const index = new TenantIndex(tenantLabel);
  let ignored = 0;
  for (const src of objects) {
    if (!applySourced(index, src)) ignored++;
  }
  countBudgetedObjects(index, objects);
  return { index, counts: index.counts(), ignored };
}

/**
 * Objects of the resources some Tenant budgets with count/<resource>.<group> (spec.quota.hard),
 * counted once every Tenant is read (a Tenant may come after its objects in the file). Pods are
 * charged as pods; objects of resources no budget names are not kept.
 */
function countBudgetedObjects(index: TenantIndex, objects: readonly SourcedObject[]): void {
  const budgeted = new Set<string>();
  for (const t of index.tenantNames())
    for (const c of countedResources(index.tenant(t)?.quotaHard.keys() ?? [])) budgeted.add(c.key);
  if (budgeted.size === 0) return;
  for (const { object: obj } of objects) {
    const kind = str(obj.kind);
    const md = rec(obj.metadata);
    const ns = str(own(md, "namespace"));
    const name = str(own(md, "name"));
    if (kind === undefined || kind === "Pod" || !ns || !name) continue;
    const group = groupOf(str(obj.apiVersion) ?? "");
    const resource = guessResource(kind);
    if (budgeted.has(countKeyOf(group, resource))) index.setCountedObject(group, resource, ns, name);
  }
}

function fail(src: SourcedObject, path: readonly (string | number)[], msg: string): never {
  throw new TenantGuardError("TG_DIRECTORY_INVALID", `${src.file}:${src.lineOf(path)}: ${msg}`);
}

function applySourced(index: TenantIndex, src: SourcedObject): boolean {
  const obj = src.object;
  const kind = str(obj.kind);
  if (kind === undefined) fail(src, ["kind"], "object has no kind");
  const md = rec(obj.metadata);
  const name = str(own(md, "name"));
  if (name === undefined || name === "") fail(src, ["metadata"], `${kind} has no metadata.name`);
  if (kind === "Tenant") {
    const parsed = tenantSchema.safeParse(obj);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = (issue?.path ?? []).filter((p): p is string | number => typeof p !== "symbol");
      fail(src, path, `Tenant "${name}": ${path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`);
    }
    index.upsertTenant(name, parsed.data.spec);
    return true;
  }
  if (kind === "Namespace") {
    index.upsertNamespace(name, cleanMap(own(md, "labels")));
    return true;
  }
  if (kind === "Node") {
    index.upsertNode(nodeInfo(obj));
    return true;
  }
  if (kind === "PersistentVolume") {
    index.upsertPersistentVolume(persistentVolumeInfo(obj, index.tenantLabel));
    return true;
  }
  if (kind === "ClusterQueue" && str(obj.apiVersion)?.startsWith(`${KUEUE_GROUP}/`) === true) {
    index.upsertClusterQueue(clusterQueueInfo(obj, index.tenantLabel));
    return true;
  }
  if (kind === "Pod") {
    // Only its quota charge is kept: what spec.quota counts (file worlds; the cluster has an informer).
    const ns = str(own(md, "namespace"));
    if (ns === undefined || ns === "") fail(src, ["metadata"], `Pod "${name}" has no metadata.namespace`);
    index.setPodCharge(ns, name, chargeOfPod(obj));
    return true;
  }
  if (isHostClaimKind(kind, obj.apiVersion)) {
    // Only kind, namespace, name, hosts and age are kept (TG-HOSTNAME-COLLISION).
    const ns = str(own(md, "namespace"));
    if (ns === undefined || ns === "") fail(src, ["metadata"], `${kind} "${name}" has no metadata.namespace`);
    index.setHostClaim(
      kind,
      ns,
      name,
      hostClaimOf(kind, obj, (s) => s),
    );
    return true;
  }
  if (isCachedKind(kind)) {
    const ns = str(own(md, "namespace"));
    if (ns === undefined || ns === "") fail(src, ["metadata"], `${kind} "${name}" has no metadata.namespace`);
    index.upsertObject(kind, ns, name, cachedMeta(md, index.tenantLabel));
    return true;
  }
  return false;
}

/**
 * What the directory keeps of a Node (from a file or the nodes informer): name, labels and
 * spec.taints as key/value/effect. Status, images, conditions and the rest never enter the cache.
 */
export function nodeInfo(obj: unknown): NodeInfo {
  const o = rec(obj);
  const md = rec(own(o, "metadata"));
  const taints: NodeTaint[] = [];
  const list = own(rec(own(o, "spec")), "taints");
  if (Array.isArray(list)) {
    for (const t of list) {
      const r = rec(t);
      const key = str(own(r, "key"));
      if (key === undefined || key === "") continue; // the API server requires a key
      taints.push(
        Object.freeze({ key, value: str(own(r, "value")) ?? "", effect: str(own(r, "effect")) ?? "" }),
      );
    }
  }
  return Object.freeze({
    name: str(own(md, "name")) ?? "",
    labels: cleanMap(own(md, "labels")),
    taints: Object.freeze(taints),
  });
}

/** For tests: plain objects without a source file. */
export function buildIndexFromObjects(objects: readonly JsonRecord[], tenantLabel: string): TenantIndex {
  return buildIndex(
    objects.map((object, i) => ({ object, file: "<memory>", line: i + 1, lineOf: () => i + 1 })),
    tenantLabel,
  ).index;
}
