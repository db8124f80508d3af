// A large synthetic cluster for benchmarks: namespaces spread over tenants, service accounts with
// their token secrets, with the metadata real objects carry (Helm labels and annotations,
// managedFields, cloud identity annotations, and a kubectl last-applied-configuration on some).
import type { JsonRecord } from "../../../src/k8s/access.ts";

export interface WorldSize {
  readonly tenants: number;
  readonly namespaces: number;
  readonly serviceAccounts: number;
  readonly secrets: number;
  /** Running pods spread over the namespaces (what spec.quota counts). */
  readonly pods?: number;
  /** Every Tenant gets a spec.quota budget (large enough that creates fit: the ledger is exercised). */
  readonly budgets?: boolean;
  /** Ingresses (two hosts each, one also in tls) and HTTPRoutes (one host each), spread over namespaces. */
  readonly ingresses?: number;
  readonly httpRoutes?: number;
}

const TENANT = "tenant-guard.dev/tenant";
const TIME = "2026-01-15T09:30:00Z";
const pad = (n: number, w = 5): string => String(n).padStart(w, "0");

function managedFields(manager: string): JsonRecord[] {
  return [
    {
      manager,
      operation: "Apply",
      apiVersion: "v1",
      time: TIME,
      fieldsType: "FieldsV1",
      fieldsV1: {
        "f:metadata": {
          "f:labels": { "f:app.kubernetes.io/name": {}, "f:app.kubernetes.io/managed-by": {} },
        },
      },
    },
  ];
}

function lastApplied(obj: JsonRecord): string {
  // kubectl stores the whole applied manifest; pad like a real one with a few env-ish fields.
  return JSON.stringify({
    ...obj,
    metadata: { ...(obj.metadata as JsonRecord), annotations: { note: "x".repeat(600) } },
  });
}

export function* syntheticWorld(size: WorldSize): Generator<JsonRecord> {
  const tenantOf = (ns: number): string => `tenant-${pad(ns % size.tenants, 4)}`;
  for (let t = 0; t < size.tenants; t++) {
    const name = `tenant-${pad(t, 4)}`;
    yield {
      apiVersion: "tenant-guard.dev/v1alpha1",
      kind: "Tenant",
      metadata: { name, managedFields: managedFields("argocd") },
      spec: {
        owners: [
          { kind: "Group", name: `${name}-devs` },
          { kind: "User", name: `lead@${name}.example.com` },
        ],
        podDefaults: {
          labels: { "cost-center": `cc-${t % 50}` },
          resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "2", memory: "4Gi" } },
          maxPerPod: { cpu: "16", memory: "64Gi", "nvidia.com/gpu": "2" },
        },
        nodePool: { nodeSelector: { "tenant-guard.dev/pool": `${name}-pool` } },
        allowedRegistries: [`registry.example.com/${name}/`],
        modelStorage: [`s3://models/${name}/`],
        ...(size.budgets === true
          ? {
              quota: {
                hard: {
                  "requests.cpu": "100k",
                  "limits.memory": "100Ti",
                  "requests.nvidia.com/gpu": "1000",
                  pods: "100k",
                },
                warnAt: 95,
              },
            }
          : {}),
      },
    };
  }
  for (let n = 0; n < size.namespaces; n++) {
    const name = `ns-${pad(n)}`;
    yield {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: {
        name,
        labels: {
          [TENANT]: tenantOf(n),
          "kubernetes.io/metadata.name": name,
          env: n % 3 === 0 ? "prod" : "dev",
        },
        annotations: {
          "scheduler.alpha.kubernetes.io/node-selector": "",
          owner: `${tenantOf(n)}@example.com`,
        },
        managedFields: managedFields("argocd"),
      },
      spec: { finalizers: ["kubernetes"] },
      status: { phase: "Active" },
    };
  }
  const perNs = (total: number): number => Math.max(1, Math.ceil(total / size.namespaces));
  for (let i = 0; i < size.serviceAccounts; i++) {
    const nsIdx = Math.floor(i / perNs(size.serviceAccounts)) % size.namespaces;
    const ns = `ns-${pad(nsIdx)}`;
    const app = `app-${pad(i, 6)}`;
    const sa: JsonRecord = {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: {
        name: app,
        namespace: ns,
        labels: {
          "app.kubernetes.io/name": app,
          "app.kubernetes.io/managed-by": "Helm",
          ...(i % 3 === 0 ? { [TENANT]: tenantOf(nsIdx) } : {}),
        },
        annotations: {
          "meta.helm.sh/release-name": app,
          "meta.helm.sh/release-namespace": ns,
          ...(i % 10 === 0 ? { "eks.amazonaws.com/role-arn": `arn:aws:iam::123456789012:role/${app}` } : {}),
        },
        managedFields: managedFields("helm"),
      },
    };
    if (i % 10 === 5)
      (sa.metadata as { annotations: JsonRecord }).annotations[
        "kubectl.kubernetes.io/last-applied-configuration"
      ] = lastApplied(sa);
    yield sa;
  }
  for (let i = 0; i < size.secrets; i++) {
    const nsIdx = Math.floor(i / perNs(size.secrets)) % size.namespaces;
    const ns = `ns-${pad(nsIdx)}`;
    const app = `app-${pad(i, 6)}`;
    const secret: JsonRecord = {
      apiVersion: "v1",
      kind: "Secret",
      type: i % 2 === 0 ? "kubernetes.io/service-account-token" : "Opaque",
      metadata: {
        name: `${app}-token`,
        namespace: ns,
        labels: { "app.kubernetes.io/name": app, ...(i % 4 === 0 ? { [TENANT]: tenantOf(nsIdx) } : {}) },
        annotations: {
          "kubernetes.io/service-account.name": app,
          "kubernetes.io/service-account.uid": `uid-${i}`,
        },
        managedFields: managedFields("kube-controller-manager"),
      },
      data: {
        token: Buffer.from(`token-${i}-`.repeat(60)).toString("base64"),
        "ca.crt": "LS0tLS1CRUdJTi".repeat(40),
      },
    };
    if (i % 10 === 5)
      (secret.metadata as { annotations: JsonRecord }).annotations[
        "kubectl.kubernetes.io/last-applied-configuration"
      ] = lastApplied(secret);
    yield secret;
  }
  for (let i = 0; i < (size.pods ?? 0); i++) yield runningPod(i, size, tenantOf);
  for (let i = 0; i < (size.ingresses ?? 0); i++) yield syntheticIngress(i, `ns-${pad(i % size.namespaces)}`);
  for (let i = 0; i < (size.httpRoutes ?? 0); i++) yield syntheticRoute(i, `ns-${pad(i % size.namespaces)}`);
}

/** A running pod as the API server stores it: a Deployment's, with status, probes and env. */
function runningPod(i: number, size: WorldSize, tenantOf: (ns: number) => string): JsonRecord {
  const nsIdx = i % size.namespaces;
  const ns = `ns-${pad(nsIdx)}`;
  const app = `app-${pad(i % 5000, 6)}`;
  const gpus = i % 8 === 0 ? "1" : undefined;
  const resources = {
    requests: { cpu: "500m", memory: "1Gi", ...(gpus === undefined ? {} : { "nvidia.com/gpu": gpus }) },
    limits: { cpu: "2", memory: "2Gi", ...(gpus === undefined ? {} : { "nvidia.com/gpu": gpus }) },
  };
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: `${app}-7c9f8d6b5-${pad(i, 6)}`,
      namespace: ns,
      uid: `pod-uid-${i}`,
      labels: { "app.kubernetes.io/name": app, "pod-template-hash": "7c9f8d6b5", [TENANT]: tenantOf(nsIdx) },
      ownerReferences: [
        {
          apiVersion: "apps/v1",
          kind: "ReplicaSet",
          name: `${app}-7c9f8d6b5`,
          uid: `rs-${i % 5000}`,
          controller: true,
        },
      ],
      managedFields: managedFields("kube-controller-manager"),
    },
    spec: {
      containers: [
        {
          name: "main",
          image: `registry.example.com/${tenantOf(nsIdx)}/${app}:1.0.${i % 20}`,
          env: [
            { name: "APP", value: app },
            { name: "LOG_LEVEL", value: "info" },
          ],
          resources,
          readinessProbe: { httpGet: { path: "/healthz", port: 8080 }, periodSeconds: 10 },
        },
      ],
      nodeName: `node-${pad(i % 500, 4)}`,
      nodeSelector: { "tenant-guard.dev/pool": `${tenantOf(nsIdx)}-pool` },
      serviceAccountName: "default",
    },
    status: {
      phase: "Running",
      podIP: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      startTime: TIME,
      conditions: [{ type: "Ready", status: "True", lastTransitionTime: TIME }],
      containerStatuses: [
        { name: "main", ready: true, restartCount: 0, started: true, image: "x", imageID: "y" },
      ],
    },
  };
}

/** The hosts of synthetic Ingress i in ns: `web-<i>.<ns>.example.com` (rules and tls) and a www twin. */
export const syntheticIngressHost = (i: number, ns: string): string => `web-${pad(i, 6)}.${ns}.example.com`;
export const syntheticRouteHost = (i: number, ns: string): string =>
  `api-${pad(i, 6)}.${ns}.apps.example.com`;

function syntheticIngress(i: number, ns: string): JsonRecord {
  const name = `web-${pad(i, 6)}`;
  const host = syntheticIngressHost(i, ns);
  const path = (p: string, svc: string): JsonRecord => ({
    path: p,
    pathType: "Prefix",
    backend: { service: { name: svc, port: { number: 80 } } },
  });
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: {
      name,
      namespace: ns,
      creationTimestamp: TIME,
      labels: { "app.kubernetes.io/name": name, "app.kubernetes.io/managed-by": "Helm" },
      annotations: {
        "meta.helm.sh/release-name": name,
        "nginx.ingress.kubernetes.io/proxy-body-size": "64m",
        "cert-manager.io/cluster-issuer": "letsencrypt",
      },
      managedFields: managedFields("helm"),
    },
    spec: {
      ingressClassName: "nginx",
      tls: [{ hosts: [host], secretName: `${name}-tls` }],
      rules: [
        { host, http: { paths: [path("/", name), path("/api", `${name}-api`)] } },
        { host: `www.${host}`, http: { paths: [path("/", name)] } },
      ],
    },
    status: { loadBalancer: { ingress: [{ ip: "203.0.113.10" }] } },
  };
}

function syntheticRoute(i: number, ns: string): JsonRecord {
  const name = `api-${pad(i, 6)}`;
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: {
      name,
      namespace: ns,
      creationTimestamp: TIME,
      labels: { "app.kubernetes.io/name": name },
      managedFields: managedFields("argocd"),
    },
    spec: {
      parentRefs: [{ name: "platform", namespace: "gateway-system" }],
      hostnames: [syntheticRouteHost(i, ns)],
      rules: [
        {
          matches: [{ path: { type: "PathPrefix", value: "/" } }],
          backendRefs: [{ name, port: 8080, weight: 1 }],
        },
      ],
    },
    status: {
      parents: [
        {
          parentRef: { name: "platform", namespace: "gateway-system" },
          controllerName: "example.com/gateway-controller",
          conditions: [{ type: "Accepted", status: "True", reason: "Accepted", lastTransitionTime: TIME }],
        },
      ],
    },
  };
}
