// TG-MODEL-STORAGE: model URIs (KServe storageUri, Trainer model initializer, STORAGE_URI-style env
// vars, pvc:// claims) must lie within the tenant's modelStorage prefixes and never in another
// tenant's. The URI paths per kind are configuration (workloads.templates[].modelStorage).
import { checkStorageUri } from "../workloads/model-storage.ts";
import { POD_CHECKS } from "../pod/check-pod-spec.ts";
import { MODEL_STORAGE } from "../pod/codes.ts";
import { podCheck, podRule } from "../pod/pod-rule.ts";
import { podScope } from "../pod/scope.ts";
import type { Finding, Rule, RuleContext } from "../types.ts";
import { podTargets } from "../workloads/targets.ts";

const envRule = podRule(podCheck(POD_CHECKS, MODEL_STORAGE), "");

export const modelStorageRule: Rule = {
  ...envRule,
  summary: "a model URI lies outside the tenant's modelStorage prefixes or in another tenant's",
  check(ctx: RuleContext, out: Finding[]): void {
    envRule.check(ctx, out);
    const targets = podTargets(ctx);
    if (targets === undefined || targets.storage.length === 0) return;
    const scope = podScope(ctx);
    for (const t of targets.storage) checkStorageUri(scope, t.uri, t.path, out);
  },
};
