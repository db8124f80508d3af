// Every rule and mutator tenant-guard runs, in one place. New rules plug in here.
import { Registry, type MutatorRegistry, type RuleRegistry } from "./registry.ts";
import { podTenantLabelMutator } from "./mutators/pod-labels.ts";
import { tenantLabelRule } from "./rules/tenant-label.ts";
import type { Mutator, Rule } from "./types.ts";

export const RULES: readonly Rule[] = [tenantLabelRule];
export const MUTATORS: readonly Mutator[] = [podTenantLabelMutator];

export function ruleRegistry(rules: readonly Rule[] = RULES): RuleRegistry {
  return new Registry(rules);
}

export function mutatorRegistry(mutators: readonly Mutator[] = MUTATORS): MutatorRegistry {
  return new Registry(mutators);
}
