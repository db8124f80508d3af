// A small two-and-a-half tenant world for the pure pod checks: alpha and beta with node pools,
// registries, quotas and model storage; beta shares with gamma; objects labelled across tenants.
import type { AdmissionRequest } from "../../../../src/admission/types.ts";
import { buildConfig } from "../../../../src/policy/config.ts";
import { TENANT_LABEL, namespaceObject, namespacedObject, tenantObject } from "../../../support/objects.ts";
import { policySettings } from "../../../../src/policy/settings.ts";
import type { JsonRecord } from "../../../../src/k8s/access.ts";
import { buildContext } from "../../../../src/policy/engine.ts";
import type { SpecCheck } from "../../../../src/policy/pod/pod-rule.ts";
import { podScope, type PodScope } from "../../../../src/policy/pod/scope.ts";
import type { Finding, PolicySettings } from "../../../../src/policy/types.ts";
import { MemoryDirectory } from "../../../../src/tenancy/memory.ts";

const L = TENANT_LABEL;
const tenant = tenantObject;
const ns = namespaceObject;
const obj = namespacedObject;

export const WORLD: readonly JsonRecord[] = [
  tenant("alpha", {
    podDefaults: { maxPerPod: { cpu: "4", memory: "8Gi", "nvidia.com/gpu": "2" } },
    nodePool: {
      nodeSelector: { "pool.example/name": "alpha-gpu" },
      tolerations: [
        { key: "pool.example/name", operator: "Equal", value: "alpha-gpu", effect: "NoSchedule" },
      ],
    },
    allowedRegistries: ["registry.example.com/alpha/", "docker.io/library/busybox"],
    modelStorage: ["s3://models/alpha/", "pvc://alpha-models"],
    allowedRuntimeClasses: ["gvisor"],
    storage: { allowedClasses: ["standard"] },
  }),
  tenant("beta", {
    nodePool: { nodeSelector: { "pool.example/name": "beta-gpu" } },
    modelStorage: ["s3://models/beta/", "pvc://beta-models"],
    sharedWith: ["gamma"],
  }),
  tenant("gamma", {}),
  ns("alpha-ns", "alpha"),
  ns("beta-ns", "beta"),
  ns("gamma-ns", "gamma"),
  ns("nobody"),
  obj("ServiceAccount", "alpha-ns", "trainer"),
  obj("ServiceAccount", "alpha-ns", "beta-sa", "beta"),
  obj("ServiceAccount", "gamma-ns", "beta-shared", "beta"),
  obj("ServiceAccount", "gamma-ns", "alpha-sa", "alpha"),
  obj("Secret", "alpha-ns", "mine"),
  obj("Secret", "alpha-ns", "beta-secret", "beta"),
  obj("Secret", "gamma-ns", "beta-shared-secret", "beta"),
  obj("ConfigMap", "alpha-ns", "beta-cm", "beta"),
  obj("ConfigMap", "alpha-ns", "cm"),
  obj("PersistentVolumeClaim", "alpha-ns", "beta-pvc", "beta"),
  obj("PersistentVolumeClaim", "alpha-ns", "data"),
  obj("ServiceAccount", "nobody", "default"),
  // Nodes named by spec.nodeName / matchFields: alpha's (label and taint), beta's (label), one marked
  // as alpha's by its taint alone, one on a pool value no tenant owns, and one in no pool at all.
  node("alpha-node", { "pool.example/name": "alpha-gpu" }, [
    { key: "pool.example/name", value: "alpha-gpu", effect: "NoSchedule" },
  ]),
  node("beta-node", { "pool.example/name": "beta-gpu" }),
  node("alpha-tainted", { "kubernetes.io/os": "linux" }, [
    { key: "pool.example/name", value: "alpha-gpu", effect: "NoExecute" },
  ]),
  node("general-node", { "pool.example/name": "general" }),
  node("free-node", { "kubernetes.io/os": "linux" }),
  // A volume labelled for beta, for claim specs in pods (generic ephemeral volumes).
  {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name: "beta-pv", labels: { [L]: "beta" } },
    spec: {},
  },
];

function node(name: string, labels: Record<string, string>, taints: JsonRecord[] = []): JsonRecord {
  return { apiVersion: "v1", kind: "Node", metadata: { name, labels }, spec: { taints } };
}

const directory = new MemoryDirectory([...WORLD], L);
export const view = directory.view();
export const settings: PolicySettings = policySettings(buildConfig(undefined, {}));

export function request(
  namespace: string,
  object: JsonRecord,
  resource = "pods",
  group = "",
): AdmissionRequest {
  return {
    uid: "u-1",
    kind: { group, version: "v1", kind: "Pod" },
    resource: { group, version: "v1", resource },
    subResource: "",
    name: "p",
    namespace,
    operation: "CREATE",
    userInfo: { username: "alice", groups: [] },
    object,
    oldObject: undefined,
    dryRun: false,
  };
}

export function scopeFor(namespace: string, s: PolicySettings = settings): PodScope {
  return podScope(buildContext(request(namespace, { spec: {} }), view, s));
}

/** Runs one pure check over a spec in a namespace; returns "CODE@path" strings. */
export function run(
  check: SpecCheck,
  namespace: string,
  spec: JsonRecord,
  s: PolicySettings = settings,
): string[] {
  const out: Finding[] = [];
  check(scopeFor(namespace, s), spec, "spec", out);
  return out.map((f) => `${f.code}@${f.path ?? ""}`);
}

export function messages(check: SpecCheck, namespace: string, spec: JsonRecord): string[] {
  const out: Finding[] = [];
  check(scopeFor(namespace), spec, "spec", out);
  return out.map((f) => f.message);
}

export const c = (extra: JsonRecord = {}): JsonRecord => ({
  name: "main",
  image: "registry.example.com/alpha/app:1",
  ...extra,
});
