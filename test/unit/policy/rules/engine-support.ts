// The real engine over the real catalogue, for tests that check how findings resolve end to end.
import type { AdmissionRequest } from "../../../../src/admission/types.ts";
import type { JsonRecord } from "../../../../src/k8s/access.ts";
import { mutatorRegistry, ruleRegistry } from "../../../../src/policy/catalogue.ts";
import { decide, type Decision } from "../../../../src/policy/engine.ts";
import type { TenantView } from "../../../../src/tenancy/view.ts";
import { settings } from "./world.ts";

export function buildEngine(cfg: JsonRecord = {}) {
  const engine = { rules: ruleRegistry(), mutators: mutatorRegistry(), settings: settings(cfg) };
  return {
    decide: (req: AdmissionRequest, view: TenantView): Decision => decide("validate", req, view, engine),
  };
}
