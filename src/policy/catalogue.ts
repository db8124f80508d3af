// Every rule and mutator tenant-guard runs, in one place. New rules plug in here.
import { Registry, type MutatorRegistry, type RuleRegistry } from "./registry.ts";
import { podLabelsMutator } from "./mutators/pod-labels.ts";
import { podPlacementMutator } from "./mutators/pod-placement.ts";
import { podPriorityMutator } from "./mutators/pod-priority.ts";
import { podResourcesMutator } from "./mutators/pod-resources.ts";
import { podRuntimeMutator } from "./mutators/pod-runtime.ts";
import { pvcStorageClassMutator } from "./mutators/pvc-storage-class.ts";
import { queueNameMutator } from "./mutators/queue-name.ts";
import { tenantLabelChangeRule, tenantLabelRule } from "./rules/tenant-label.ts";
import { podUnownedNamespaceRule } from "./rules/pod-unowned-namespace.ts";
import {
  podNodePoolRule,
  podPriorityClassRule,
  podReferenceRule,
  podRegistryRule,
  podResourcesRule,
  podRuntimeClassRule,
  podServiceAccountRule,
} from "./rules/pod-boundaries.ts";
import { podBindingNodeRule } from "./rules/pod-binding.ts";
import { podHostNamespaceRule, podHostPathRule, podPrivilegedRule } from "./rules/pod-host.ts";
import { modelStorageRule } from "./rules/model-storage.ts";
import { podSpecPatchRule } from "./rules/pod-spec-patch.ts";
import { pvcDataSourceRule, pvcStorageClassRule, pvcVolumeRule } from "./rules/pvc-boundaries.ts";
import { draDeviceClassRule } from "./rules/dra-device-class.ts";
import { requesterCrossTenantRule } from "./rules/requester-cross-tenant.ts";
import { secretSaTokenRule } from "./rules/secret-sa-token.ts";
import { saCloudIdentityRule } from "./rules/serviceaccount-cloud-identity.ts";
import { saSecretReferenceRule } from "./rules/serviceaccount-secret-reference.ts";
import { rbacRoleBindingSubjectRule } from "./rules/rbac-rolebinding-subject.ts";
import { rbacClusterRoleBindingRule } from "./rules/rbac-clusterrolebinding.ts";
import { tokenCrossTenantRule } from "./rules/token-cross-tenant.ts";
import { namespaceCreateNonOwnerRule, namespaceCreateUnlabelledRule } from "./rules/namespace-create.ts";
import { namespaceLabelChangeRule } from "./rules/namespace-label-change.ts";
import { namespaceLabelsRule, namespaceMaxRule } from "./rules/namespace-options.ts";
import { tenantCordonedRule } from "./rules/tenant-cordoned.ts";
import { pvTenantLabelChangeRule, pvTenantRule } from "./rules/persistent-volume.ts";
import { namespaceLabelsMutator } from "./mutators/namespace-labels.ts";
import { serviceExternalIpRule, serviceTypeRule } from "./rules/service-exposure.ts";
import { endpointsAddressRule } from "./rules/endpoints-address.ts";
import { ingressClassRule, ingressHostnameRule } from "./rules/ingress-boundaries.ts";
import { ingressClassMutator } from "./mutators/ingress-class.ts";
import { gatewayClassRule, gatewayHostnameRule, routeCrossTenantRule } from "./rules/gateway-api.ts";
import { quotaRule, quotaWarnRule } from "./rules/quota.ts";
import { quotaGangRule, quotaGangWaitRule } from "./rules/quota-gang.ts";
import { kueueLocalQueueRule } from "./rules/kueue-localqueue.ts";
import { kueueClusterObjectsRule } from "./rules/kueue-cluster-objects.ts";
import { kueueQueueRequiredRule } from "./rules/kueue-queue-required.ts";
import { hostnameCollisionRule } from "./rules/hostname-collision.ts";
import { clusterClassRule } from "./rules/cluster-classes.ts";
import type { Mutator, Rule } from "./types.ts";

export const RULES: readonly Rule[] = [
  tenantLabelRule,
  tenantLabelChangeRule,
  // pods and the pod templates of workloads (Kubernetes kinds and configured custom resources)
  podUnownedNamespaceRule,
  podServiceAccountRule,
  podReferenceRule,
  podNodePoolRule,
  podBindingNodeRule,
  podRegistryRule,
  podResourcesRule,
  podPriorityClassRule,
  podRuntimeClassRule,
  podHostNamespaceRule,
  podHostPathRule,
  podPrivilegedRule,
  modelStorageRule,
  podSpecPatchRule,
  // team budgets (spec.quota) over all the tenant's namespaces
  quotaRule,
  quotaWarnRule,
  quotaGangRule,
  quotaGangWaitRule,
  // Kueue: LocalQueues point at the tenant's ClusterQueues, Kueue's cluster objects are the
  // platform's, and GPU work is queued (kueue.requireQueueFor)
  kueueLocalQueueRule,
  kueueClusterObjectsRule,
  kueueQueueRequiredRule,
  // claims: data sources and PersistentVolume binding (PVCs, ephemeral volumes, StatefulSets)
  pvcDataSourceRule,
  pvcVolumeRule,
  pvcStorageClassRule,
  // DRA device claims (resource.k8s.io)
  draDeviceClassRule,
  // who is asking, and identity-bearing objects
  requesterCrossTenantRule,
  secretSaTokenRule,
  saCloudIdentityRule,
  saSecretReferenceRule,
  rbacRoleBindingSubjectRule,
  rbacClusterRoleBindingRule,
  tokenCrossTenantRule,
  namespaceCreateNonOwnerRule,
  namespaceCreateUnlabelledRule,
  namespaceLabelChangeRule,
  namespaceMaxRule,
  namespaceLabelsRule,
  tenantCordonedRule,
  pvTenantRule,
  pvTenantLabelChangeRule,
  // the cluster-scoped classes every tenant's objects name (IngressClass, StorageClass, PriorityClass...)
  clusterClassRule,
  // network: how Services are exposed, hand-written endpoints, Ingress classes and hosts
  serviceTypeRule,
  serviceExternalIpRule,
  endpointsAddressRule,
  ingressClassRule,
  ingressHostnameRule,
  // Gateway API kinds (routed by deploy/components/gateway-api)
  gatewayClassRule,
  gatewayHostnameRule,
  routeCrossTenantRule,
  // one host, one tenant: Ingresses, routes and Gateway listeners across tenants (the host index)
  hostnameCollisionRule,
];
// Pods, an Ingress's default class, new namespaces' pinned labels: workload templates are not
// mutated (GitOps tools would see drift); their pods are.
export const MUTATORS: readonly Mutator[] = [
  podLabelsMutator,
  podResourcesMutator,
  podPlacementMutator,
  podPriorityMutator,
  namespaceLabelsMutator,
  ingressClassMutator,
  podRuntimeMutator,
  // PersistentVolumeClaims: the tenant's default storage class (the claim itself, not a template)
  pvcStorageClassMutator,
  // Kueue jobs (Job, JobSet, Kubeflow, Ray, TrainJob...): the tenant's spec.queue as queue-name
  queueNameMutator,
];

export function ruleRegistry(rules: readonly Rule[] = RULES): RuleRegistry {
  return new Registry(rules);
}

export function mutatorRegistry(mutators: readonly Mutator[] = MUTATORS): MutatorRegistry {
  return new Registry(mutators);
}
