// Webhook configurations flattened to "group/resource[/sub]:OPERATION" strings, so tests can say
// exactly which writes the API server sends to tenant-guard. The core group is written "core".
import type { K8sObject } from "./kustomize.ts";

export interface WebhookRule {
  apiGroups: string[];
  apiVersions: string[];
  operations: string[];
  resources: string[];
  scope?: string;
}

export interface Webhook {
  name: string;
  admissionReviewVersions: string[];
  sideEffects: string;
  timeoutSeconds?: number;
  matchPolicy?: string;
  failurePolicy?: string;
  reinvocationPolicy?: string;
  clientConfig: {
    caBundle?: string;
    service?: { name: string; namespace: string; path: string; port: number };
  };
  namespaceSelector?: {
    matchExpressions?: { key: string; operator: string; values?: string[] }[];
  };
  matchConditions?: { name: string; expression: string }[];
  rules: WebhookRule[];
}

export function webhooksOf(o: K8sObject): Webhook[] {
  return (o.webhooks ?? []) as Webhook[];
}

export function expandRules(rules: readonly WebhookRule[]): Set<string> {
  const out = new Set<string>();
  for (const r of rules) {
    for (const g of r.apiGroups) {
      for (const res of r.resources) {
        for (const op of r.operations) out.add(`${g === "" ? "core" : g}/${res}:${op}`);
      }
    }
  }
  return out;
}

const ops = (key: string, operations: readonly string[]): string[] => operations.map((o) => `${key}:${o}`);
const CUD = ["CREATE", "UPDATE", "DELETE"] as const;

/** What the validating webhook must send, no more and no less (the rules the catalogue matches, README "Rules"). */
export const EXPECTED_VALIDATING: readonly string[] = [
  ...[
    "pods",
    "secrets",
    "serviceaccounts",
    "configmaps",
    "persistentvolumeclaims",
    "replicationcontrollers",
    "podtemplates",
    "namespaces",
  ].flatMap((r) => ops(`core/${r}`, CUD)),
  ...["services", "endpoints", "resourcequotas", "limitranges"].flatMap((r) => ops(`core/${r}`, CUD)),
  ...ops("discovery.k8s.io/endpointslices", CUD),
  ...["ingresses", "networkpolicies"].flatMap((r) => ops(`networking.k8s.io/${r}`, CUD)),
  ...["resourceclaims", "resourceclaimtemplates"].flatMap((r) =>
    ops(`resource.k8s.io/${r}`, ["CREATE", "UPDATE"]),
  ),
  ...["ephemeralcontainers", "status", "resize"].flatMap((s) => ops(`core/pods/${s}`, ["UPDATE"])),
  ...["pods/binding", "bindings", "pods/eviction"].flatMap((r) => ops(`core/${r}`, ["CREATE"])),
  ...["exec", "attach", "portforward", "proxy"].flatMap((s) => ops(`core/pods/${s}`, ["CONNECT"])),
  ...ops("core/services/proxy", ["CONNECT"]),
  ...ops("core/serviceaccounts/token", ["CREATE"]),
  ...ops("core/namespaces/status", ["UPDATE"]),
  ...ops("core/namespaces/finalize", ["UPDATE"]),
  ...ops("core/persistentvolumes", ["CREATE", "UPDATE"]),
  ...ops("core/persistentvolumes/status", ["UPDATE"]),
  ...[
    "networking.k8s.io/ingressclasses",
    "scheduling.k8s.io/priorityclasses",
    "node.k8s.io/runtimeclasses",
    "storage.k8s.io/storageclasses",
    "storage.k8s.io/volumeattributesclasses",
    "resource.k8s.io/deviceclasses",
  ].flatMap((r) => ops(r, CUD)),
  ...["rolebindings", "roles", "clusterrolebindings"].flatMap((r) =>
    ops(`rbac.authorization.k8s.io/${r}`, CUD),
  ),
  ...["deployments", "statefulsets", "daemonsets", "replicasets"].flatMap((r) => ops(`apps/${r}`, CUD)),
  ...["jobs", "cronjobs"].flatMap((r) => ops(`batch/${r}`, CUD)),
];

/** The part of EXPECTED_VALIDATING in the requester webhook (kubelets and the control plane skipped). */
export const EXPECTED_REQUESTER_ONLY: readonly string[] = [
  ...["services", "endpoints", "resourcequotas", "limitranges"].flatMap((r) => ops(`core/${r}`, CUD)),
  ...ops("discovery.k8s.io/endpointslices", CUD),
  ...["ingresses", "networkpolicies"].flatMap((r) => ops(`networking.k8s.io/${r}`, CUD)),
  ...ops("rbac.authorization.k8s.io/roles", CUD),
  ...["status", "resize"].flatMap((s) => ops(`core/pods/${s}`, ["UPDATE"])),
  ...ops("core/persistentvolumes/status", ["UPDATE"]),
];

export const EXPECTED_MUTATING: readonly string[] = [
  "apps/deployments:CREATE",
  "apps/statefulsets:CREATE",
  "batch/jobs:CREATE",
  "core/persistentvolumeclaims:CREATE",
  "core/pods:CREATE",
  "networking.k8s.io/ingresses:CREATE",
];
/** The namespaces mutating webhook (spec.namespaces.labels), without a namespaceSelector. */
export const EXPECTED_NAMESPACES_MUTATING: readonly string[] = ["core/namespaces:CREATE"];

/** The ML platform kinds of deploy/components/ml-platforms. */
export const EXPECTED_ML: readonly string[] = [
  ...["pytorchjobs", "tfjobs", "mpijobs", "jaxjobs", "xgboostjobs", "paddlejobs"].flatMap((r) =>
    ops(`kubeflow.org/${r}`, CUD),
  ),
  ...["trainjobs", "trainingruntimes"].flatMap((r) => ops(`trainer.kubeflow.org/${r}`, CUD)),
  ...["rayclusters", "rayjobs", "rayservices", "raycronjobs"].flatMap((r) => ops(`ray.io/${r}`, CUD)),
  ...["inferenceservices", "llminferenceservices", "llminferenceserviceconfigs"].flatMap((r) =>
    ops(`serving.kserve.io/${r}`, CUD),
  ),
  ...ops("jobset.x-k8s.io/jobsets", CUD),
  ...["workflows", "workflowtemplates", "cronworkflows"].flatMap((r) => ops(`argoproj.io/${r}`, CUD)),
];

export const SYSTEM_NAMESPACES = ["kube-system", "kube-public", "kube-node-lease", "tenant-guard-system"];

/** One write as the API server's webhook dispatcher sees it. `group` is "" for the core group. */
export interface Write {
  readonly group: string;
  readonly resource: string;
  /** "" for the main resource. */
  readonly subresource: string;
  readonly operation: string;
  /** Whether the object lives in a namespace (rule scope Namespaced) or not (Cluster). */
  readonly namespaced: boolean;
}

// The API server's rule matching (k8s.io/apiserver admission/plugin/webhook/predicates/rules):
// "*" is any group / operation; "*" alone is every main resource, "x/*" every subresource of x
// (and x itself), "*/*" everything; scope "*" (the default) matches both. Versions are not
// compared: every webhook here uses matchPolicy Equivalent, which sends all versions of a match.
function ruleSends(r: WebhookRule, w: Write): boolean {
  if (!r.operations.includes("*") && !r.operations.includes(w.operation)) return false;
  if (!r.apiGroups.includes("*") && !r.apiGroups.includes(w.group)) return false;
  const scope = r.scope ?? "*";
  if (scope === "Cluster" && w.namespaced) return false;
  if (scope === "Namespaced" && !w.namespaced) return false;
  return r.resources.some((entry) => {
    const slash = entry.indexOf("/");
    const res = slash < 0 ? entry : entry.slice(0, slash);
    const sub = slash < 0 ? "" : entry.slice(slash + 1);
    return (res === "*" || res === w.resource) && (sub === "*" || sub === w.subresource);
  });
}

/** The webhooks (of one configuration or several) that the API server calls for this write. */
export function webhooksSending(hooks: readonly Webhook[], w: Write): string[] {
  return hooks.filter((h) => h.rules.some((r) => ruleSends(r, w))).map((h) => h.name);
}

/** Cluster-scoped resources a rule may name; everything else is namespaced. */
export const CLUSTER_SCOPED: ReadonlySet<string> = new Set([
  "namespaces",
  // Kueue's cluster-scoped kinds (kueue.x-k8s.io)
  "clusterqueues",
  "cohorts",
  "resourceflavors",
  "workloadpriorityclasses",
  "admissionchecks",
  "topologies",
  "multikueueclusters",
  "multikueueconfigs",
  "provisioningrequestconfigs",
  "nodes",
  "persistentvolumes",
  "clusterroles",
  "clusterrolebindings",
  "priorityclasses",
  "storageclasses",
  "volumeattributesclasses",
  "runtimeclasses",
  "ingressclasses",
  "deviceclasses",
  "gatewayclasses",
  "tenants",
]);

/**
 * Subresources and the operation each is written with, for rules that match a resource with
 * subresource "*" (from kube-apiserver's pkg/registry/core/rest/storage_core.go).
 */
export const SUBRESOURCES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  namespaces: { status: "UPDATE", finalize: "UPDATE" },
  persistentvolumes: { status: "UPDATE" },
  pods: {
    status: "UPDATE",
    ephemeralcontainers: "UPDATE",
    resize: "UPDATE",
    binding: "CREATE",
    eviction: "CREATE",
    exec: "CONNECT",
    attach: "CONNECT",
    portforward: "CONNECT",
    proxy: "CONNECT",
  },
  serviceaccounts: { token: "CREATE" },
  services: { status: "UPDATE", proxy: "CONNECT" },
};
