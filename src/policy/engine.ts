// decide(): request + view -> Decision. Runs the rules (validate) or mutators (mutate) that match,
// resolves each finding's enforcement mode, and shapes the AdmissionResponse. A rule that throws is
// a bug, not a policy outcome: it becomes a TG-INTERNAL finding (deny under Enforce, allow+audit
// under Audit), never a crash.
import type { PatchOp } from "../admission/patch.ts";
import { boundAuditAnnotations, boundDenyMessage, boundWarnings } from "../admission/limits.ts";
import type { AdmissionRequest, AdmissionResponse } from "../admission/types.ts";
import { errorText } from "../errors.ts";
import type { TenantView } from "../tenancy/view.ts";
import { explainMode, type ModeSource } from "./enforcement.ts";
import type { MutatorRegistry, RuleRegistry } from "./registry.ts";
import { resolveRequester } from "./requester.ts";
import type { Finding, Mode, PolicySettings, RuleContext } from "./types.ts";

export type Endpoint = "validate" | "mutate";

export interface ResolvedFinding extends Finding {
  readonly mode: Mode;
  /** Which setting chose the mode (see enforcement.ts); absent on fail-safe decisions. */
  readonly modeSource?: ModeSource;
}

export interface Decision {
  readonly allowed: boolean;
  readonly findings: readonly ResolvedFinding[];
  readonly patch: readonly PatchOp[];
  readonly response: AdmissionResponse;
}

export interface Engine {
  readonly rules: RuleRegistry;
  readonly mutators: MutatorRegistry;
  readonly settings: PolicySettings;
}

export const INTERNAL_CODE = "TG-INTERNAL";
const NO_PATCH: readonly PatchOp[] = [];
const NO_FINDINGS: readonly ResolvedFinding[] = [];

export function buildContext(req: AdmissionRequest, view: TenantView, settings: PolicySettings): RuleContext {
  return {
    request: req,
    view,
    settings,
    namespaceTenant: req.namespace === "" ? undefined : view.tenantOfNamespace(req.namespace),
    requester: resolveRequester(req.userInfo, view, settings),
  };
}

export function decide(
  endpoint: Endpoint,
  req: AdmissionRequest,
  view: TenantView,
  engine: Engine,
): Decision {
  // A Namespace object is judged even when it is exempt: its own labels are what make it exempt or
  // owned, and skipping it let label injection into kube-system through in Capsule (CVE-2025-55205).
  if (
    req.namespace !== "" &&
    engine.settings.exemptNamespaces.has(req.namespace) &&
    !(req.resource.group === "" && req.resource.resource === "namespaces")
  ) {
    return {
      allowed: true,
      findings: NO_FINDINGS,
      patch: NO_PATCH,
      response: { uid: req.uid, allowed: true },
    };
  }
  const ctx = buildContext(req, view, engine.settings);
  if (endpoint === "mutate") return mutate(ctx, engine);
  const raw: Finding[] = [];
  for (const rule of engine.rules.forRequest(req)) {
    if (!rule.operations.includes(req.operation)) continue;
    try {
      rule.check(ctx, raw);
    } catch (e) {
      raw.push({ code: INTERNAL_CODE, message: `rule ${rule.code} failed: ${errorText(e)}` });
    }
  }
  return shape(req, resolve(raw, ctx), NO_PATCH);
}

function mutate(ctx: RuleContext, engine: Engine): Decision {
  const ops: PatchOp[] = [];
  const raw: Finding[] = [];
  for (const m of engine.mutators.forRequest(ctx.request)) {
    if (!m.operations.includes(ctx.request.operation)) continue;
    const before = ops.length;
    try {
      m.mutate(ctx, ops);
    } catch (e) {
      ops.length = before; // never half-apply a mutator
      raw.push({ code: INTERNAL_CODE, message: `mutator ${m.name} failed: ${errorText(e)}` });
    }
  }
  return shape(ctx.request, resolve(raw, ctx), ops);
}

function resolve(raw: readonly Finding[], ctx: RuleContext): readonly ResolvedFinding[] {
  if (raw.length === 0) return NO_FINDINGS;
  return raw.map((f) => {
    // An internal failure cannot be downgraded by a Tenant: only config (forced, rules, mode) decides it.
    const internal = f.code === INTERNAL_CODE;
    const tenantName = internal ? undefined : (f.tenant ?? ctx.namespaceTenant);
    const tenant = tenantName === undefined ? undefined : ctx.view.tenant(tenantName);
    const { mode, source } = explainMode(f.code, tenant, ctx.settings, internal ? undefined : f.mode);
    return { ...f, mode, modeSource: source };
  });
}

export function formatFinding(f: Finding): string {
  return f.path === undefined ? `[${f.code}] ${f.message}` : `[${f.code}] ${f.message} (${f.path})`;
}

function describe(req: AdmissionRequest): string {
  const name = req.name || "(generated name)";
  const what = req.subResource ? `${req.resource.resource}/${req.subResource}` : req.kind.kind;
  // A Namespace review carries its own name in request.namespace: don't say "alpha-eval/alpha-eval".
  const ns = req.namespace && req.namespace !== name ? `${req.namespace}/` : "";
  return `${what} ${ns}${name}`;
}

function shape(
  req: AdmissionRequest,
  findings: readonly ResolvedFinding[],
  patch: readonly PatchOp[],
): Decision {
  const response: AdmissionResponse = { uid: req.uid, allowed: true };
  if (findings.length > 0) {
    const denials = findings.filter((f) => f.mode === "Enforce");
    const warns = findings.filter((f) => f.mode === "Warn");
    if (denials.length > 0) {
      response.allowed = false;
      response.status = {
        code: 403,
        reason: "Forbidden",
        message: boundDenyMessage(`tenant-guard denied ${describe(req)}: `, denials.map(formatFinding)),
      };
    }
    if (warns.length > 0) response.warnings = boundWarnings(warns.map(formatFinding));
    response.auditAnnotations = boundAuditAnnotations(
      findings.map((f) => [f.code, `${f.mode}: ${formatFinding(f)}`] as const),
    );
  }
  if (response.allowed && patch.length > 0) {
    response.patchType = "JSONPatch";
    response.patch = Buffer.from(JSON.stringify(patch)).toString("base64");
  }
  return { allowed: response.allowed, findings, patch: response.allowed ? patch : NO_PATCH, response };
}

/** The answer while the directory has not synced: deny (fail closed) or allow with a warning. */
export function notReadyDecision(req: AdmissionRequest, reason: string, failOpen: boolean): Decision {
  const message = `tenant-guard is not ready (${reason}); ${failOpen ? "allowed unchecked" : "try again shortly"}`;
  const response: AdmissionResponse = failOpen
    ? { uid: req.uid, allowed: true, warnings: [message] }
    : { uid: req.uid, allowed: false, status: { code: 503, reason: "ServiceUnavailable", message } };
  return { allowed: failOpen, findings: NO_FINDINGS, patch: NO_PATCH, response };
}
