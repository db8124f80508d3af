// The answer when deciding itself failed (not one rule: the engine catches those). Under Enforce
// the request is denied with a message that says so; under Warn/Audit it is allowed with a warning
// and an audit annotation, and the error is logged by the caller. Never a 5xx: the API server
// would apply failurePolicy without telling the user why.
import { cleanText } from "../admission/limits.ts";
import type { AdmissionResponse } from "../admission/types.ts";
import { RULE_FAILED_CODE, type Decision } from "../policy/engine.ts";
import type { Mode } from "../policy/types.ts";

export function failedDecision(uid: string, mode: Mode, e: unknown): Decision {
  const detail = cleanText(e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 200);
  const message = `tenant-guard could not evaluate this request (${detail}); report it to the platform team`;
  const enforce = mode === "Enforce";
  const response: AdmissionResponse = enforce
    ? { uid, allowed: false, status: { code: 500, reason: "InternalError", message } }
    : {
        uid,
        allowed: true,
        ...(mode === "Warn" ? { warnings: [message] } : {}),
        auditAnnotations: { [RULE_FAILED_CODE.toLowerCase()]: `${mode}: ${message}` },
      };
  // Only the global mode decides a failure (no Tenant can downgrade it).
  const finding = { code: RULE_FAILED_CODE, message, mode, modeSource: "global" as const };
  return {
    allowed: !enforce,
    findings: [finding],
    patch: [],
    response,
  };
}
