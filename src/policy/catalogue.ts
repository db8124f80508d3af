// Every rule and mutator tenant-guard runs, in one place. New rules plug in here.
import { Registry, type MutatorRegistry, type RuleRegistry } from "./registry.ts";
import { podTenantLabelMutator } from "./mutators/pod-labels.ts";
import { tenantLabelRule } from "./rules/tenant-label.ts";
import { requesterCrossTenantRule } from "./rules/requester-cross-tenant.ts";
import { secretSaTokenRule } from "./rules/secret-sa-token.ts";
import { saCloudIdentityRule } from "./rules/serviceaccount-cloud-identity.ts";
import { saSecretReferenceRule } from "./rules/serviceaccount-secret-reference.ts";
import { rbacRoleBindingSubjectRule } from "./rules/rbac-rolebinding-subject.ts";
import { rbacClusterRoleBindingRule } from "./rules/rbac-clusterrolebinding.ts";
import { tokenCrossTenantRule } from "./rules/token-cross-tenant.ts";
import { namespaceCreateNonOwnerRule, namespaceCreateUnlabelledRule } from "./rules/namespace-create.ts";
import { namespaceLabelChangeRule } from "./rules/namespace-label-change.ts";
import type { Mutator, Rule } from "./types.ts";

export const RULES: readonly Rule[] = [
  tenantLabelRule,
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
];
export const MUTATORS: readonly Mutator[] = [podTenantLabelMutator];

export function ruleRegistry(rules: readonly Rule[] = RULES): RuleRegistry {
  return new Registry(rules);
}

export function mutatorRegistry(mutators: readonly Mutator[] = MUTATORS): MutatorRegistry {
  return new Registry(mutators);
}
