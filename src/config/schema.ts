// The configuration schema: every setting, its type and its default live here and only here.
// Parsed once at start, then deep-frozen; nothing below main.ts reads process.env.
import { z } from "zod";
import { MODES } from "../tenancy/tenant-schema.ts";

export const DEFAULT_TENANT_LABEL = "tenant-guard.dev/tenant";
export const DEFAULT_NAMESPACE = "tenant-guard-system";
export const SYSTEM_NAMESPACES = ["kube-system", "kube-public", "kube-node-lease"] as const;

const port = z.number().int().min(0).max(65535);
const mode = z.enum(MODES);
const directorySource = z.string().regex(/^(cluster|file:.+)$/, 'must be "cluster" or "file:PATH"');

export const configSchema = z.strictObject({
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
      maxConnections: z.number().int().min(1).default(10_000),
      /** Extra DNS names for the self-signed certificate. */
      serviceNames: z.array(z.string().min(1)).default([]),
    })
    .prefault({}),
  directory: z
    .strictObject({
      source: directorySource.default("file:examples/cluster.yaml"),
      kubeconfig: z.string().min(1).optional(),
      /** Answer while not synced: deny (fail closed) or allow with a warning. */
      whenNotReady: z.enum(["deny", "allow"]).default("deny"),
      watchFile: z.boolean().default(true),
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
    })
    .prefault({}),
  rbac: z
    .strictObject({ clusterRoleBindings: z.enum(["deny", "warn", "allow"]).default("deny") })
    .prefault({}),
  log: z
    .strictObject({
      level: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    })
    .prefault({}),
});

export type ConfigInput = z.input<typeof configSchema>;
export type Config = Readonly<z.output<typeof configSchema>>;
