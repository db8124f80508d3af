// The configuration schema: every setting, its type and its default live here and only here.
// Parsed once at start, then deep-frozen; nothing below main.ts reads process.env.
import { z } from "zod";
import { MODES } from "./modes.ts";
import { parseCidr } from "../k8s/cidr.ts";

export const DEFAULT_TENANT_LABEL = "tenant-guard.dev/tenant";
const DEFAULT_NAMESPACE = "tenant-guard-system";
export const SYSTEM_NAMESPACES = ["kube-system", "kube-public", "kube-node-lease"] as const;

const port = z.number().int().min(0).max(65535);
const mode = z.enum(MODES);
/** What config accepts as a template path: name segments (letters, digits, _ -) and `*`, `[*]` as a wildcard. */
export const TEMPLATE_PATH = /^[A-Za-z0-9_-]+(\[\*\]|\.\*|\.[A-Za-z0-9_-]+)*$/;
/** Env vars read as model URIs when a kind's config names none. */
export const DEFAULT_MODEL_STORAGE_ENV: readonly string[] = ["STORAGE_URI", "MODEL_URI", "MODEL_STORAGE_URI"];
const templatePath = z.string().regex(TEMPLATE_PATH, "not a template path (a.b[*].c, a.*.b)");
/** "30s", "10m", "1h", "500ms": one number and one unit, linear to check. */
const DURATION = /^([1-9][0-9]{0,8})(ms|s|m|h)$/;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
export function durationMs(text: string): number {
  const m = DURATION.exec(text);
  return m === null ? NaN : Number(m[1]) * (UNIT_MS[m[2] ?? ""] ?? NaN);
}
const duration = z
  .string()
  .regex(DURATION, 'a duration such as "30s", "10m" or "1h"')
  .refine((d) => durationMs(d) >= 100, "at least 100ms");
const directorySource = z.string().regex(/^(cluster|file:.+)$/, 'must be "cluster" or "file:PATH"');

export const configSchema = z
  .strictObject({
    server: z
      .strictObject({
        port: port.default(8443),
        host: z.string().min(1).default("0.0.0.0"),
        tlsCert: z.string().min(1).optional(),
        tlsKey: z.string().min(1).optional(),
        clientCa: z.string().min(1).optional(),
        jwks: z.string().min(1).optional(),
        /** Object + oldObject can each reach etcd's 1.5 MiB; leave room for the envelope. */
        bodyLimitBytes: z
          .number()
          .int()
          .min(1024)
          .default(6 * 1024 * 1024),
        /** Above the API server's 90 s idle-connection timeout, so it closes first. */
        keepAliveTimeoutMs: z.number().int().min(1000).default(120_000),
        /** Time to receive a request's headers / whole body, counted from its first byte. */
        headersTimeoutMs: z.number().int().min(1000).default(10_000),
        requestTimeoutMs: z.number().int().min(1000).default(30_000),
        shutdownDelayMs: z.number().int().min(0).default(3000),
        /** After stopping to accept: how long in-flight requests may take before they are cut. */
        drainTimeoutMs: z.number().int().min(0).default(10_000),
        /** Fallback poll of the certificate/key/CA/JWKS files, on top of watching them. */
        reloadPollMs: z.number().int().min(100).default(30_000),
        maxConnections: z.number().int().min(1).default(10_000),
        /** After a burst of reviews, give memory back to the OS only above this RSS (0: always). */
        reduceMemoryAboveMb: z.number().int().min(0).default(150),
        /** Server processes sharing the port (node:cluster), for nodes with more than one core. */
        workers: z.number().int().min(1).max(64).default(1),
        /** Extra DNS names for the self-signed certificate. */
        serviceNames: z.array(z.string().min(1)).default([]),
      })
      .prefault({}),
    /** Who may call: mTLS (server.clientCa) and/or bearer JWT (server.jwks). Off when neither is set. */
    auth: z
      .strictObject({
        /** With both mTLS and JWT configured: either one suffices ("any") or both are needed ("all"). */
        require: z.enum(["any", "all"]).default("any"),
        /** The kubelet presents neither a client certificate nor a token. */
        probesRequireAuth: z.boolean().default(false),
        metricsRequireAuth: z.boolean().default(false),
        /** Client certificate common names / DNS SANs allowed; empty = any certificate from the CA. */
        clientNames: z.array(z.string().min(1)).default([]),
        jwt: z
          .strictObject({
            issuer: z.string().min(1).optional(),
            audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
            clockToleranceSec: z.number().int().min(0).max(300).default(30),
            algorithms: z.array(z.string().min(1)).default(["RS256", "ES256", "EdDSA", "PS256"]),
            /** Remote JWKS: refetch at most this often, and at once (after the cooldown) on an unknown kid. */
            cacheMaxAgeSec: z.number().int().min(1).default(600),
            cooldownSec: z.number().int().min(0).default(30),
            fetchTimeoutMs: z.number().int().min(100).default(5000),
          })
          .prefault({}),
      })
      .prefault({}),
    directory: z
      .strictObject({
        source: directorySource.default("file:examples/cluster.yaml"),
        kubeconfig: z.string().min(1).optional(),
        /** Answer while not synced: deny (fail closed) or allow with a warning. */
        whenNotReady: z.enum(["deny", "allow"]).default("deny"),
        watchFile: z.boolean().default(true),
        /** Cluster backend: write each Tenant's status.namespaces / namespaceCount. */
        writeTenantStatus: z.boolean().default(true),
        /** Cluster backend: watch HTTPRoutes, GRPCRoutes, Gateways for claimed hosts (needs their CRDs). */
        gatewayAPI: z.boolean().default(false),
      })
      .prefault({}),
    tenancy: z
      .strictObject({
        tenantLabel: z.string().min(1).default(DEFAULT_TENANT_LABEL),
        /** tenant-guard's own namespace: always exempt. */
        namespace: z.string().min(1).default(DEFAULT_NAMESPACE),
        exemptNamespaces: z.array(z.string().min(1)).default([]),
        unownedNamespaces: z.enum(["allow", "deny"]).default("allow"),
      })
      .prefault({}),
    requesters: z
      .strictObject({
        exemptUsers: z.array(z.string().min(1)).default([]),
        exemptGroups: z.array(z.string().min(1)).default([]),
      })
      .prefault({}),
    enforcement: z
      .strictObject({
        mode: mode.default("Enforce"),
        rules: z.record(z.string(), mode).default({}),
        /** Rule codes pinned to Enforce: a Tenant cannot downgrade them. */
        forced: z.array(z.string()).default([]),
      })
      .prefault({}),
    pods: z
      .strictObject({
        allowHostNamespaces: z.boolean().default(false),
        allowHostPath: z.boolean().default(false),
        allowPrivileged: z.boolean().default(false),
        /** Priority classes every tenant may use (system-* ones only when listed here). */
        globalPriorityClasses: z.array(z.string().min(1)).default([]),
      })
      .prefault({}),
    rbac: z
      .strictObject({ clusterRoleBindings: z.enum(["deny", "warn", "allow"]).default("deny") })
      .prefault({}),
    network: z
      .strictObject({
        /** Pod and service ranges: Endpoints/EndpointSlices tenants write may not point inside them. */
        clusterCIDRs: z
          .array(
            z.string().refine((c) => parseCidr(c) !== undefined, "not a CIDR (10.244.0.0/16, fd00::/48)"),
          )
          .default([]),
      })
      .prefault({}),
    /** Kueue (README "Kueue"): what the directory learns of it, and whether GPU work must be queued. */
    kueue: z
      .strictObject({
        /** Cluster backend: a metadata-only informer on ClusterQueues (TG-KUEUE-LOCALQUEUE needs it). */
        watchClusterQueues: z.boolean().default(false),
        /** The served kueue.x-k8s.io version the informer lists (metadata only: any served one will do). */
        clusterQueueVersion: z.enum(["v1beta1", "v1beta2"]).default("v1beta1"),
        /** Pods and jobs requesting any of these resources must name a queue (TG-KUEUE-QUEUE-REQUIRED). */
        requireQueueFor: z
          .strictObject({ resources: z.array(z.string().min(1).max(253)).default([]) })
          .prefault({}),
      })
      .prefault({}),
    /** Where pod templates live in workload kinds (README "Workloads"); Kubernetes kinds are built in. */
    workloads: z
      .strictObject({
        /** Kubeflow, Ray, KServe, JobSet and Argo template paths (src/policy/workloads/known-kinds.ts). */
        builtinCustomResources: z.boolean().default(true),
        /** More kinds, or replacements for a known kind with the same group and resource. */
        templates: z
          .array(
            z.strictObject({
              group: z.string(),
              kind: z.string().min(1),
              resource: z.string().min(1),
              templates: z.array(templatePath).default([]),
              podSpecs: z.array(templatePath).default([]),
              containers: z.array(templatePath).default([]),
              resources: z.array(templatePath).default([]),
              modelStorage: z.array(templatePath).default([]),
              modelStorageSpecs: z.array(templatePath).default([]),
              podSpecPatches: z.array(templatePath).default([]),
            }),
          )
          .default([]),
        /** Container env vars whose value is a model URI, checked by TG-MODEL-STORAGE. */
        modelStorageEnv: z.array(z.string().min(1)).default([...DEFAULT_MODEL_STORAGE_ENV]),
      })
      .prefault({}),
    audit: z
      .strictObject({
        /** `serve --background-audit`: PolicyReports kept current from inside the server. */
        background: z
          .strictObject({
            /** Off when absent; a run starts this long after the previous one ended. */
            interval: duration.optional(),
            /** Items per list page (limit). */
            pageSize: z.number().int().min(10).max(5000).default(500),
            /** Pause before every list page after the first: at most ~1000/pagePauseMs pages/s. */
            pagePauseMs: z.number().int().min(0).max(60_000).default(200),
            /** A run that takes longer stops and keeps the last reports (default: the interval). */
            budget: duration.optional(),
            /** Clean (pass/skip) results listed per report; findings always are, counts always add up. */
            maxResults: z.number().int().min(0).max(5000).default(1000),
            /**
             * Which replica runs it: the holder of a coordination.k8s.io/v1 Lease (client-go's
             * leaderelection). On by default: a Deployment of two replicas must not publish twice.
             */
            leaderElection: z
              .strictObject({
                enabled: z.boolean().default(true),
                /** The Lease's namespace (default: POD_NAMESPACE, else tenancy.namespace). */
                namespace: z.string().min(1).optional(),
                leaseName: z.string().min(1).default("tenant-guard-background-audit"),
                /** How long a Lease not renewed keeps the others waiting (whole seconds). */
                leaseDuration: duration.default("15s"),
                /** The leader stops leading when no renewal succeeded for this long. */
                renewDeadline: duration.default("10s"),
                /** Between attempts to acquire (jittered) or renew. */
                retryPeriod: duration.default("2s"),
              })
              .prefault({}),
          })
          .prefault({}),
      })
      .prefault({}),
    log: z
      .strictObject({
        level: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
      })
      .prefault({}),
  })
  .superRefine((cfg, ctx) => {
    // client-go's rule: the leader must give up (renewDeadline) before others may take over
    // (leaseDuration), and must get more than one try (retryPeriod x jitter 1.2) in between.
    const le = cfg.audit.background.leaderElection;
    const [lease, renew, retry] = [le.leaseDuration, le.renewDeadline, le.retryPeriod].map(durationMs);
    if (lease! % 1000 !== 0)
      ctx.addIssue({
        code: "custom",
        path: ["audit", "background", "leaderElection", "leaseDuration"],
        message: "whole seconds (Lease.spec.leaseDurationSeconds)",
      });
    if (!(lease! > renew!))
      ctx.addIssue({
        code: "custom",
        path: ["audit", "background", "leaderElection", "renewDeadline"],
        message: "must be shorter than leaseDuration",
      });
    if (!(renew! > 1.2 * retry!))
      ctx.addIssue({
        code: "custom",
        path: ["audit", "background", "leaderElection", "retryPeriod"],
        message: "must be shorter than renewDeadline / 1.2",
      });
  })
  .superRefine((cfg, ctx) => {
    // A JWT check without issuer and audience would accept any token the key ever signed.
    if (cfg.server.jwks === undefined) return;
    for (const field of ["issuer", "audience"] as const) {
      if (cfg.auth.jwt[field] === undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["auth", "jwt", field],
          message: `required when server.jwks is set`,
        });
      }
    }
  });

export type ConfigInput = z.input<typeof configSchema>;
export type Config = Readonly<z.output<typeof configSchema>>;
