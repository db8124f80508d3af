// What the informer caches keep of each object: only what the directory indexes. Everything else
// (secret data if a server ever sent it, managedFields, last-applied-configuration, status) is
// dropped before an object reaches the cache, so memory stays flat and secrets never linger.
import type { KubernetesObject } from "@kubernetes/client-node";
import { own, rec, str } from "../../k8s/access.ts";
import { cachedMeta, cleanMap, nodeInfo } from "../build.ts";
import type { CachedObject, NodeInfo } from "../view.ts";

export interface SlimMeta {
  readonly name: string;
  readonly namespace?: string;
  readonly resourceVersion?: string;
}

/** A cached object: identity for the informer's cache plus what the index needs. */
export interface SlimObject extends KubernetesObject {
  readonly metadata: SlimMeta;
  /** Namespaces, service accounts, secrets, config maps, PVCs: their labels. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Service accounts, secrets, config maps, PVCs: the annotations the directory keeps. */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Nodes: name, labels and taints (the index keeps this same object). */
  readonly node?: NodeInfo;
  /** Tenants: the object as received, validated when applied. */
  readonly tenant?: unknown;
  /** Tenants: the status.namespaces the cluster holds now (the status writer compares with it). */
  readonly statusNamespaces?: readonly string[];
}

/** Service accounts, secrets, config maps, PVCs: the informer's object IS the index's entry (one
 * object per cached item, not two: it adds up at 200,000 items). */
export type SlimCached = SlimObject & CachedObject;

export function isSlimCached(o: SlimObject): o is SlimCached {
  return o.labels !== undefined && o.annotations !== undefined && o.metadata.namespace !== undefined;
}

export type Slimmer = (obj: unknown) => SlimObject;

/** Shares one string per namespace name across every cached object of that namespace. */
export class Interner {
  private readonly strings = new Map<string, string>();
  intern(s: string): string {
    const have = this.strings.get(s);
    if (have !== undefined) return have;
    this.strings.set(s, s);
    return s;
  }
}

function identity(obj: unknown, interner?: Interner): SlimMeta {
  const md = rec(own(rec(obj), "metadata"));
  const name = str(own(md, "name")) ?? "";
  const ns = str(own(md, "namespace"));
  const resourceVersion = str(own(md, "resourceVersion"));
  return ns === undefined
    ? { name, resourceVersion }
    : { name, namespace: interner?.intern(ns) ?? ns, resourceVersion };
}

export function slimNamespace(obj: unknown): SlimObject {
  return { metadata: identity(obj), labels: cleanMap(own(rec(own(rec(obj), "metadata")), "labels")) };
}

/** Nodes arrive whole (taints are in spec): keep labels and taints, drop status, images and the rest at once. */
export function slimNode(obj: unknown): SlimObject {
  return { metadata: identity(obj), node: nodeInfo(obj) };
}

export function slimMetadataObject(interner: Interner, tenantLabel: string): Slimmer {
  return (obj) => {
    const { labels, annotations } = cachedMeta(own(rec(obj), "metadata"), tenantLabel);
    return { metadata: identity(obj, interner), labels, annotations }; // a literal: fields in-object
  };
}

export function slimTenant(obj: unknown): SlimObject {
  const o = rec(obj);
  const md = rec(own(o, "metadata"));
  // Keep what the schema checks (apiVersion, kind, metadata.name, spec), not status or managedFields.
  const tenant = {
    apiVersion: own(o, "apiVersion"),
    kind: own(o, "kind"),
    metadata: { name: own(md, "name") },
    spec: own(o, "spec"),
  };
  const listed = own(rec(own(o, "status")), "namespaces");
  const statusNamespaces =
    Array.isArray(listed) && listed.every((n) => typeof n === "string") ? (listed as string[]) : undefined;
  return { metadata: identity(obj), tenant, statusNamespaces };
}

const NO_DATA: Readonly<Record<string, string>> = cleanMap(undefined);
const NO_IDENTITY: SlimMeta = Object.freeze({ name: "", namespace: "" });
/** Distinct cached values kept shared; past this, values are stored per object (bounded memory
 * even if someone churns objects with ever new label values). */
const MAX_SHARED_VALUES = 4096;

/**
 * Service accounts, secrets, config maps, PVCs: what the cache stores is only what the index reads
 * (labels and kept annotations), without the name (the cache's key already is) or resourceVersion.
 * Objects with the same content share one frozen value: 200,000 objects carry a handful of tenant
 * labels, so they cost a Map entry each instead of four small objects each.
 */
export class CompactValues {
  private readonly shared = new Map<string, SlimCached>();

  compact(o: SlimObject): SlimObject {
    const labels = o.labels ?? NO_DATA;
    const annotations = o.annotations ?? NO_DATA;
    const key = JSON.stringify([labels, annotations]);
    const have = this.shared.get(key);
    if (have !== undefined) return have;
    const value: SlimCached = Object.freeze({ metadata: NO_IDENTITY, labels, annotations });
    if (this.shared.size < MAX_SHARED_VALUES) this.shared.set(key, value);
    return value;
  }

  get size(): number {
    return this.shared.size;
  }
}

/** Objects only counted (count/<resource>.<group> budgets): their identity, nothing else. */
export function slimIdentity(interner: Interner): Slimmer {
  return (obj) => ({ metadata: identity(obj, interner) });
}
