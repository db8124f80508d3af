// The Tenant custom resource (tenant-guard.dev/v1alpha1), validated with zod when the directory
// loads it: every field optional, unknown fields rejected so typos are reported, not ignored.
import { z } from "zod";
import { MODES } from "../config/modes.ts";
import { isQuantity, parseQuantity } from "../k8s/quantity.ts";
import { parseCidr } from "../k8s/cidr.ts";
import { checkPodDefaults, checkToleration } from "./tenant-checks.ts";

export const TENANT_API_VERSION = "tenant-guard.dev/v1alpha1";
const modeSchema = z.enum(MODES);

const LABEL_NAME =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
// PriorityClass names are DNS subdomains (the API server's NameIsDNSSubdomain).
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// An exact host or "*." and a suffix (the Ingress spec's wildcard hosts).
const HOSTNAME_PATTERN = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const SERVICE_TYPES = ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"] as const;

// RuntimeClass, StorageClass, DeviceClass, IngressClass and GatewayClass names are DNS subdomains too.
const className = (what: string) =>
  z.string().max(253).regex(DNS_SUBDOMAIN, `not a valid ${what} class name`);

const labelKey = z.string().max(316).regex(LABEL_NAME, "not a valid label key");
const labelValue = z.string().max(63).regex(LABEL_VALUE, "not a valid label value");
const quantity = z
  .union([z.string(), z.number()])
  .refine(isQuantity, "not a valid resource quantity")
  .refine((q) => (parseQuantity(q) ?? 0) >= 0, "a resource quantity must not be negative");
// Resource names are checked in checkPodDefaults: a refined record key only reports "Invalid key".
const resourceList = z.record(z.string(), quantity);

const tolerationSchema = z
  .strictObject({
    key: z.string().optional(),
    operator: z.enum(["Equal", "Exists"]).optional(),
    value: z.string().optional(),
    effect: z.enum(["NoSchedule", "PreferNoSchedule", "NoExecute"]).optional(),
    tolerationSeconds: z.number().int().optional(),
  })
  .superRefine(checkToleration);

const tenantSpecSchema = z.strictObject({
  owners: z
    .array(z.strictObject({ kind: z.enum(["User", "Group", "ServiceAccount"]), name: z.string().min(1) }))
    .optional(),
  enforcement: z
    .strictObject({ mode: modeSchema.optional(), rules: z.record(z.string(), modeSchema).optional() })
    .optional(),
  podDefaults: z
    .strictObject({
      labels: z.record(labelKey, labelValue).optional(),
      annotations: z.record(labelKey, z.string()).optional(),
      resources: z
        .strictObject({ requests: resourceList.optional(), limits: resourceList.optional() })
        .optional(),
      maxPerPod: resourceList.optional(),
      priorityClassName: z.string().regex(DNS_LABEL, "not a valid priority class name").optional(),
      runtimeClassName: className("runtime").optional(),
    })
    .superRefine(checkPodDefaults)
    .optional(),
  nodePool: z
    .strictObject({
      nodeSelector: z.record(labelKey, labelValue).optional(),
      tolerations: z.array(tolerationSchema).optional(),
    })
    .optional(),
  allowedRegistries: z.array(z.string().min(1)).optional(),
  /** Priority classes the tenant's pods may name besides podDefaults.priorityClassName; system-* never. */
  allowedPriorityClasses: z
    .array(z.string().max(253).regex(DNS_SUBDOMAIN, "not a valid priority class name"))
    .optional(),
  /** RuntimeClasses the tenant's pods may name besides podDefaults.runtimeClassName; absent: any. */
  allowedRuntimeClasses: z.array(className("runtime")).optional(),
  /** StorageClasses of the tenant's claims; defaultClass is set on claims that name none. */
  storage: z
    .strictObject({
      allowedClasses: z.array(className("storage")).optional(),
      defaultClass: className("storage").optional(),
    })
    .optional(),
  /** DRA DeviceClasses the tenant's ResourceClaims (and templates) may request; absent: any. */
  allowedDeviceClasses: z.array(className("device")).optional(),
  cloudIdentities: z.array(z.string().min(1)).optional(),
  /** Service exposure: which types, and which external IPs (CVE-2020-8554). */
  services: z
    .strictObject({
      allowedTypes: z.array(z.enum(SERVICE_TYPES)).optional(),
      allowedExternalIPs: z
        .array(z.string().refine((c) => parseCidr(c) !== undefined, "not a CIDR (203.0.113.0/28, fd00::/64)"))
        .optional(),
    })
    .optional(),
  /** Ingress (and Gateway) classes, the class set on Ingresses naming none, and the hosts they may claim. */
  ingress: z
    .strictObject({
      allowedClasses: z.array(className("ingress")).optional(),
      defaultClass: className("ingress").optional(),
      allowedHostnames: z
        .array(z.string().max(253).regex(HOSTNAME_PATTERN, 'not a host name or "*." wildcard'))
        .optional(),
    })
    .optional(),
  modelStorage: z.array(z.string().min(1)).optional(),
  sharedWith: z.array(z.string().regex(DNS_LABEL, "not a valid tenant name")).optional(),
  /** How many namespaces the tenant may own, and labels pinned on each of them (Pod Security). */
  namespaces: z
    .strictObject({
      max: z.number().int().min(0).optional(),
      labels: z.record(labelKey, labelValue).optional(),
    })
    .optional(),
  /** true: the tenant's creates and updates are denied (an incident); deletes pass. */
  cordoned: z.boolean().optional(),
  /** Team budget: ResourceQuota's keys summed over all the tenant's namespaces; warnAt in percent. */
  quota: z
    .strictObject({
      hard: z.record(z.string().min(1).max(320), quantity).optional(),
      warnAt: z.number().int().min(1).max(100).optional(),
    })
    .optional(),
  /** Kueue LocalQueue set as the kueue.x-k8s.io/queue-name label on jobs and pods naming none. */
  queue: z.string().max(63).regex(DNS_SUBDOMAIN, "not a valid LocalQueue name").optional(),
});

export const tenantSchema = z.object({
  apiVersion: z.literal(TENANT_API_VERSION),
  kind: z.literal("Tenant"),
  metadata: z.looseObject({ name: z.string().regex(DNS_LABEL, "not a valid tenant name") }),
  spec: tenantSpecSchema.optional(),
  status: z.unknown().optional(),
});

export type TenantSpec = z.infer<typeof tenantSpecSchema>;
export type TenantObject = z.infer<typeof tenantSchema>;
export type Toleration = z.infer<typeof tolerationSchema>;
