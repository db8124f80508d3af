// TG-MODEL-STORAGE: model URIs (KServe storageUri, Trainer model initializer, STORAGE_URI-style env
// vars, pvc:// claims) must lie within the tenant's modelStorage prefixes and never in another
// tenant's. The URI paths per kind are configuration (workloads.templates[].modelStorage).
import { MODEL_STORAGE } from "../pod/codes.ts";
import { podRule, type PodRule } from "../pod/pod-rule.ts";
import type { PodScope } from "../pod/scope.ts";
import type { Finding } from "../types.ts";
import {
  checkContainerStorageEnv,
  checkSpecStorageEnv,
  checkStorageSpec,
  checkStorageUri,
} from "../workloads/model-storage.ts";
import type { PodTargets } from "../workloads/targets.ts";

/** The URIs a kind's configuration points at, beyond its pod specs and containers. */
function checkStorageTargets(scope: PodScope, targets: PodTargets, out: Finding[]): void {
  const { storage, storageSpecs } = targets; // index loops: no iterator per review
  for (let i = 0; i < storage.length; i++) checkStorageUri(scope, storage[i]!.uri, storage[i]!.path, out);
  for (let i = 0; i < storageSpecs.length; i++) {
    const s = storageSpecs[i]!; // KServe `storage: {key, path, parameters}`
    checkStorageSpec(scope, s.spec, s.path, s.secret, out);
  }
}

export const modelStorageRule: PodRule = podRule({
  code: MODEL_STORAGE,
  summary: "a model URI lies outside the tenant's modelStorage prefixes or in another tenant's",
  spec: checkSpecStorageEnv,
  container: checkContainerStorageEnv,
  targets: checkStorageTargets,
});
