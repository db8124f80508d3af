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
import { dropExisting } from "./existing-violations.ts";
import { RequestMemo } from "./per-request.ts";
import type { Finding, Mode, PolicySettings, Rule, RuleContext } from "./types.ts";
import { isTerminating, onlyBookkeeping } from "./update-change.ts";

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

/**
 * The rule code of the finding made when a rule or mutator throws (wire value "TG-INTERNAL", kept
 * stable). Not the error code TG_INTERNAL (errors.ts): that one is the server's own failure.
 */
export const RULE_FAILED_CODE = "TG-INTERNAL";
const NO_PATCH: readonly PatchOp[] = [];
const NO_FINDINGS: readonly ResolvedFinding[] = [];

export function buildContext(req: AdmissionRequest, view: TenantView, settings: PolicySettings): RuleContext {
  return {
    request: req,
    view,
    settings,
    namespaceTenant: req.namespace === "" ? undefined : view.tenantOfNamespace(req.namespace),
    requester: resolveRequester(req.userInfo, view, settings),
    memo: new RequestMemo(),
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
  const rules = engine.rules.forRequest(req);
  const raw: Finding[] = [];
  runRules(rules, ctx, raw, false);
  // Only an update that found something pays for the comparisons below: the allow path does not.
  if (raw.length > 0 && req.operation === "UPDATE") settleUpdate(rules, ctx, raw);
  return shape(req, resolve(raw, ctx), NO_PATCH);
}

function runRules(rules: readonly Rule[], ctx: RuleContext, out: Finding[], contentOnly: boolean): void {
  const op = ctx.request.operation;
  for (const rule of rules) {
    if (!rule.operations.includes(op) || (contentOnly && rule.judgesRequester === true)) continue;
    try {
      rule.check(ctx, out);
    } catch (e) {
      out.push({ code: RULE_FAILED_CODE, message: `rule ${rule.code} failed: ${errorText(e)}` });
    }
  }
}

/**
 * What an UPDATE may keep of the content rules' findings (the requester rule's always stand):
 * - none, when it changes nothing but finalizers (removed, never added) and bookkeeping
 *   (update-change.ts): a controller letting go of an object must never be blocked;
 * - only those the old object did not have, when an exempt admin or controller maintains an object
 *   (rotating a grandfathered secret) or the object is terminating: their updates are judged by
 *   what they add, not by what was already there.
 */
function settleUpdate(rules: readonly Rule[], ctx: RuleContext, raw: Finding[]): void {
  const { request: req } = ctx;
  const old = req.oldObject;
  if (old === undefined) return;
  const stands = (f: Finding): boolean =>
    f.code === RULE_FAILED_CODE || rules.some((r) => r.judgesRequester === true && r.code === f.code);
  if (onlyBookkeeping(req.object, old)) {
    let w = 0;
    for (const f of raw) if (stands(f)) raw[w++] = f;
    raw.length = w;
    return;
  }
  if (!ctx.requester.exempt && !isTerminating(old) && !isTerminating(req.object)) return;
  // What the old object had: the findings it would get if it were created now (as the offline audit
  // asks). A rule that fails there excuses nothing.
  const asCreated: AdmissionRequest = { ...req, operation: "CREATE", object: old, oldObject: undefined };
  const had: Finding[] = [];
  runRules(rules, buildContext(asCreated, ctx.view, ctx.settings), had, true);
  dropExisting(
    raw,
    0,
    had.filter((f) => f.code !== RULE_FAILED_CODE),
  );
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
      raw.push({ code: RULE_FAILED_CODE, message: `mutator ${m.name} failed: ${errorText(e)}` });
    }
  }
  return shape(ctx.request, resolve(raw, ctx), ops);
}

export function resolve(raw: readonly Finding[], ctx: RuleContext): readonly ResolvedFinding[] {
  if (raw.length === 0) return NO_FINDINGS;
  return raw.map((f) => {
    // An internal failure cannot be downgraded by a Tenant: only config (forced, rules, mode) decides it.
    const internal = f.code === RULE_FAILED_CODE;
    const tenantName = internal ? undefined : (f.tenant ?? ctx.namespaceTenant);
    const tenant = tenantName === undefined ? undefined : ctx.view.tenant(tenantName);
    const suggested = internal ? undefined : f.mode;
    const own = explainMode(f.code, tenant, ctx.settings, suggested);
    // The tenant whose pool, object or label is crossed has a say too: a tenant in Audit must not
    // weaken another tenant's guard, so the stricter of the two modes applies.
    if (internal || f.victim === undefined || f.victim === tenantName || own.mode === "Enforce")
      return { ...f, mode: own.mode, modeSource: own.source };
    // A name that is no tenant (no namespaces, no Tenant object) has nothing to protect.
    const victim = ctx.view.tenant(f.victim);
    if (victim === undefined) return { ...f, mode: own.mode, modeSource: own.source };
    const theirs = explainMode(f.code, victim, ctx.settings, suggested);
    return STRICTNESS[theirs.mode] > STRICTNESS[own.mode]
      ? { ...f, mode: theirs.mode, modeSource: "victim" }
      : { ...f, mode: own.mode, modeSource: own.source };
  });
}

const STRICTNESS: Readonly<Record<Mode, number>> = { Audit: 0, Warn: 1, Enforce: 2 };

function formatFinding(f: Finding): string {
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
