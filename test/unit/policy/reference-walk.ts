// Walks @kubernetes/client-node's generated models (each class's static attributeTypeMap) from the
// pod, workload, PVC, service account and network types down, and returns every field that names
// another object or a place, as "Type.field" (Type without the V1 prefix). Detection, by type and
// by name, is the contract of test/unit/policy/reference-catalogue.ts.
import * as k8s from "@kubernetes/client-node";

interface Attr {
  readonly name: string;
  readonly baseName: string;
  readonly type: string;
}

const MODELS = k8s as unknown as Record<string, { attributeTypeMap?: readonly Attr[] } | undefined>;

/** The walk starts here: what a tenant writes in pods, workloads, claims, SAs, and the network. */
export const ROOTS = [
  "V1PodSpec",
  "V1PodTemplateSpec",
  "V1PersistentVolumeClaimSpec",
  "V1ServiceAccount",
  "V1DeploymentSpec",
  "V1StatefulSetSpec",
  "V1DaemonSetSpec",
  "V1ReplicaSetSpec",
  "V1JobSpec",
  "V1CronJobSpec",
  "V1ServiceSpec",
  "V1Endpoints",
  "V1IngressSpec",
] as const;

/** Types that are themselves a reference: the field holding one is listed, and not walked into. */
const REFERENCE_TYPE =
  /^V1(LocalObjectReference|ObjectReference|TypedLocalObjectReference|TypedObjectReference|OwnerReference|LabelSelector|\w+KeySelector|\w+EnvSource)$/;
/** Field names that name an object (…Ref, …Name, …ClassName) wherever they appear. */
const REFERENCE_NAME = /(Ref|Reference|Refs|References|Name)$/;
/** Field names that name an object or a place: a node, an image, an address, a namespace. */
const PLACE_NAMES: ReadonlySet<string> = new Set([
  "reference",
  "image",
  "nodeSelector",
  "affinity",
  "tolerations",
  "namespace",
  "namespaces",
  "namespaceSelector",
  "selector",
  "labelSelector",
  "preference",
  "resourceClaims",
  "claims",
  "secrets",
  "serviceAccount",
  "dataSource",
  "hostname",
  "hostnames",
  "subdomain",
  "nameservers",
  "seLinuxOptions",
  "host",
  "hosts",
  "ip",
  "hostIP",
  "hostPort",
  "nodePort",
  "healthCheckNodePort",
  "clusterIP",
  "clusterIPs",
  "externalIPs",
  "loadBalancerIP",
  "loadBalancerClass",
  "loadBalancerSourceRanges",
  "server",
  "volumeID",
  "diskURI",
  "targetPortal",
  "portals",
  "monitors",
  "pool",
  "endpoints",
  "registry",
  "volume",
  "repository",
  "driver",
  "targetWWNs",
  "wwids",
  "pdID",
  "volumePath",
  "service",
  "backend",
  "defaultBackend",
  "resource",
]);
/** `name` (and `path`) only where the type is a pointer to something else. */
const NAME_IN = /^V1(\w+(Source|Projection|Backend))$/;
/** Written by the control plane, not by a tenant: not walked. */
const SKIPPED_FIELDS: ReadonlySet<string> = new Set(["status", "managedFields"]);

export function typeLabel(cls: string): string {
  return cls.replace(/^(V1|CoreV1)/, "");
}

/** `Array<X>` and `{ [key: string]: X; }` down to X. */
export function elementType(type: string): string {
  let t = type;
  for (;;) {
    const m = /^Array<(.*)>$/.exec(t) ?? /^\{ \[key: string\]: (.*); \}$/.exec(t);
    if (m === null) return t;
    t = m[1] as string;
  }
}

function isReference(cls: string, a: Attr, element: string): boolean {
  // Each volume source is a place; the volume's own name is not.
  if ((cls === "V1Volume" || cls === "V1VolumeProjection") && a.baseName !== "name") return true;
  if (REFERENCE_TYPE.test(element)) return true;
  if (REFERENCE_NAME.test(a.baseName) || PLACE_NAMES.has(a.baseName)) return true;
  return (a.baseName === "name" || a.baseName === "path") && NAME_IN.test(cls);
}

export interface Walk {
  /** "Type.field" of every detected field. */
  readonly fields: ReadonlySet<string>;
  /** Every "Type.field" the walk saw, detected or not (to tell a renamed field from a removed one). */
  readonly all: ReadonlySet<string>;
}

export function walkModels(roots: readonly string[] = ROOTS): Walk {
  const fields = new Set<string>();
  const all = new Set<string>();
  const seen = new Set<string>();
  const todo = [...roots];
  for (let cls = todo.pop(); cls !== undefined; cls = todo.pop()) {
    if (seen.has(cls)) continue; // cycles (JSONSchemaProps-like types) and shared types
    seen.add(cls);
    const attrs = MODELS[cls]?.attributeTypeMap;
    if (attrs === undefined) throw new Error(`${cls}: not a model class of @kubernetes/client-node`);
    for (const a of attrs) {
      if (SKIPPED_FIELDS.has(a.baseName)) continue;
      const key = `${typeLabel(cls)}.${a.baseName}`;
      all.add(key);
      const element = elementType(a.type);
      if (isReference(cls, a, element)) fields.add(key);
      if (MODELS[element]?.attributeTypeMap !== undefined && !REFERENCE_TYPE.test(element))
        todo.push(element);
    }
  }
  return { fields, all };
}
