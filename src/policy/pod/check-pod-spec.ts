// Every pod check, found in the catalogue (each pod rule carries its check), over one PodSpec at a
// base path: for callers that want all findings at once (audit, tests). No second list to keep.
import type { JsonRecord } from "../../k8s/access.ts";
import { RULES } from "../catalogue.ts";
import type { Finding } from "../types.ts";
import { isPodRule, type PodCheck } from "./pod-rule.ts";
import type { PodScope } from "./scope.ts";

export const POD_CHECKS: readonly PodCheck[] = RULES.filter(isPodRule).map((r) => r.pod);

/** Every pod check over one PodSpec. */
export function checkPodSpec(scope: PodScope, spec: JsonRecord, base: string, out: Finding[]): void {
  for (const c of POD_CHECKS) c.spec(scope, spec, base, out);
}
