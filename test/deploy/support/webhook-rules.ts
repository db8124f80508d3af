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

/** What the validating webhook must send, no more and no less (DESIGN.md section 3). */
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
  ...ops("core/pods/ephemeralcontainers", ["UPDATE"]),
  ...["exec", "attach", "portforward"].flatMap((s) => ops(`core/pods/${s}`, ["CONNECT"])),
  ...ops("core/serviceaccounts/token", ["CREATE"]),
  ...ops("core/namespaces/status", ["UPDATE"]),
  ...ops("core/namespaces/finalize", ["UPDATE"]),
  ...["rolebindings", "clusterrolebindings"].flatMap((r) => ops(`rbac.authorization.k8s.io/${r}`, CUD)),
  ...["deployments", "statefulsets", "daemonsets", "replicasets"].flatMap((r) => ops(`apps/${r}`, CUD)),
  ...["jobs", "cronjobs"].flatMap((r) => ops(`batch/${r}`, CUD)),
];

export const EXPECTED_MUTATING: readonly string[] = ["core/pods:CREATE"];

/** The ML platform kinds of deploy/components/ml-platforms. */
export const EXPECTED_ML: readonly string[] = [
  ...["pytorchjobs", "tfjobs", "mpijobs", "jaxjobs", "xgboostjobs", "paddlejobs"].flatMap((r) =>
    ops(`kubeflow.org/${r}`, CUD),
  ),
  ...ops("trainer.kubeflow.org/trainjobs", CUD),
  ...["rayclusters", "rayjobs", "rayservices"].flatMap((r) => ops(`ray.io/${r}`, CUD)),
  ...ops("serving.kserve.io/inferenceservices", CUD),
  ...ops("jobset.x-k8s.io/jobsets", CUD),
  ...["workflows", "workflowtemplates", "cronworkflows"].flatMap((r) => ops(`argoproj.io/${r}`, CUD)),
];

export const SYSTEM_NAMESPACES = ["kube-system", "kube-public", "kube-node-lease", "tenant-guard-system"];
