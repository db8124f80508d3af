// Config -> the PolicySettings rules see (sets and maps built once).
import { parseCidr, type Cidr } from "../k8s/cidr.ts";
import type { PolicySettings } from "./types.ts";
import { compileWorkloads } from "./workloads/settings.ts";
import { SYSTEM_NAMESPACES, type Config } from "../config/schema.ts";

export function policySettings(cfg: Config): PolicySettings {
  return Object.freeze({
    tenantLabel: cfg.tenancy.tenantLabel,
    exemptNamespaces: new Set([...SYSTEM_NAMESPACES, cfg.tenancy.namespace, ...cfg.tenancy.exemptNamespaces]),
    unownedNamespaces: cfg.tenancy.unownedNamespaces,
    exemptUsers: new Set(cfg.requesters.exemptUsers),
    exemptGroups: new Set(cfg.requesters.exemptGroups),
    enforcement: Object.freeze({
      mode: cfg.enforcement.mode,
      rules: new Map(Object.entries(cfg.enforcement.rules)),
      forced: new Set(cfg.enforcement.forced),
    }),
    pods: cfg.pods,
    globalPriorityClasses: new Set(cfg.pods.globalPriorityClasses),
    clusterRoleBindings: cfg.rbac.clusterRoleBindings,
    workloads: compileWorkloads(cfg.workloads),
    clusterCIDRs: Object.freeze(
      cfg.network.clusterCIDRs.map(parseCidr).filter((c): c is Cidr => c !== undefined),
    ),
    queueRequiredFor: new Set(cfg.kueue.requireQueueFor.resources),
  });
}
