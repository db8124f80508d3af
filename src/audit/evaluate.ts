// One object -> the findings admission would produce if it were created now: a synthetic CREATE
// AdmissionRequest goes through /mutate, its patch is applied (the API server calls mutating
// webhooks first), then through /validate. Only the engine decides; nothing here knows any rule.
import type { AdmissionRequest, UserInfo } from "../admission/types.ts";
import { TenantGuardError } from "../errors.ts";
import { metadataOf, own, str, type JsonRecord } from "../k8s/access.ts";
import { buildContext, decide, resolve, type Engine, type ResolvedFinding } from "../policy/engine.ts";
import type { TenantView } from "../tenancy/view.ts";
import { isCheckedKind } from "./coverage.ts";
import { namespaceLabelDrift } from "./namespace-drift.ts";
import { applyPatch } from "./json-patch.ts";
import type { AuditFinding, ObjectResult } from "./report.ts";
import { gvkOf, isClusterScoped, resourceOf } from "./resources.ts";

export interface AuditTarget {
  readonly object: JsonRecord;
  readonly file?: string;
  readonly line?: number;
}

export interface EvaluateOptions {
  readonly user: UserInfo;
  /** Namespace for namespaced objects that name none (kubectl's default: "default"). */
  readonly defaultNamespace: string;
  /** The object exists (--cluster, background audit): also report drift admission cannot see. */
  readonly live?: boolean;
}

function where(t: AuditTarget): string {
  return t.file === undefined ? "object" : `${t.file}:${t.line ?? 1}`;
}

/** The object as the API server would pass it: namespace filled in for namespaced kinds. */
export function placed(t: AuditTarget, defaultNamespace: string): { object: JsonRecord; namespace: string } {
  const kind = str(t.object.kind);
  const apiVersion = str(t.object.apiVersion);
  if (kind === undefined || kind === "" || apiVersion === undefined || apiVersion === "") {
    throw new TenantGuardError("TG_USAGE", `${where(t)}: object has no apiVersion or kind`);
  }
  const md = metadataOf(t.object);
  if (md === undefined) throw new TenantGuardError("TG_USAGE", `${where(t)}: ${kind} has no metadata`);
  if (isClusterScoped(kind)) return { object: t.object, namespace: "" };
  const given = str(own(md, "namespace"));
  if (given !== undefined && given !== "") return { object: t.object, namespace: given };
  const object = { ...t.object, metadata: { ...md, namespace: defaultNamespace } };
  return { object, namespace: defaultNamespace };
}

let seq = 0;

function syntheticRequest(object: JsonRecord, namespace: string, user: UserInfo): AdmissionRequest {
  const kind = gvkOf(str(object.apiVersion) ?? "", str(object.kind) ?? "");
  return {
    uid: `tenant-guard-audit-${++seq}`,
    kind,
    resource: resourceOf(kind),
    subResource: "",
    name: str(own(metadataOf(object), "name")) ?? "",
    namespace,
    operation: "CREATE",
    userInfo: user,
    object,
    oldObject: undefined,
    // Nothing is persisted: this is what a `kubectl create --dry-run=server` would be asked.
    dryRun: true,
  };
}

function toAuditFinding(f: ResolvedFinding): AuditFinding {
  return {
    code: f.code,
    mode: f.mode,
    modeSource: f.modeSource ?? "global",
    message: f.message,
    ...(f.path === undefined ? {} : { path: f.path }),
  };
}

export function evaluate(
  target: AuditTarget,
  view: TenantView,
  engine: Engine,
  opts: EvaluateOptions,
): ObjectResult {
  const { object, namespace } = placed(target, opts.defaultNamespace);
  const req = syntheticRequest(object, namespace, opts.user);
  const md = metadataOf(object);
  const base = {
    apiVersion: str(object.apiVersion) ?? "",
    kind: req.kind.kind,
    namespace,
    name: req.name,
    ...(req.name === "" && str(own(md, "generateName"))
      ? { generateName: str(own(md, "generateName")) }
      : {}),
    ...(str(own(md, "uid")) ? { uid: str(own(md, "uid")) } : {}),
    ...(target.file === undefined ? {} : { file: target.file, line: target.line ?? 1 }),
  };
  if (namespace !== "" && engine.settings.exemptNamespaces.has(namespace)) {
    return { ...base, findings: [], skipped: `namespace "${namespace}" is exempt`, skip: "exempt" };
  }
  const mutated = decide("mutate", req, view, engine);
  const after = mutated.patch.length > 0 ? applyPatch(object, mutated.patch) : object;
  const validated = decide("validate", { ...req, object: after }, view, engine);
  const findings = [...mutated.findings, ...validated.findings, ...liveDrift(req, view, engine, opts)].map(
    toAuditFinding,
  );
  if (findings.length === 0 && !isCheckedKind(req, engine)) {
    const skipped = `no tenant-guard rule checks ${req.kind.kind} objects (${req.resource.resource}${req.kind.group ? `.${req.kind.group}` : ""})`;
    return { ...base, findings, skipped, skip: "unchecked" };
  }
  return { ...base, findings };
}

/** A live tenant namespace missing a pinned label: the /mutate patch would hide it from a create. */
function liveDrift(
  req: AdmissionRequest,
  view: TenantView,
  engine: Engine,
  opts: EvaluateOptions,
): readonly ResolvedFinding[] {
  if (opts.live !== true || req.resource.group !== "" || req.resource.resource !== "namespaces") return [];
  const drift = namespaceLabelDrift(req.object as JsonRecord, view, engine.settings.tenantLabel);
  return drift.length === 0 ? [] : resolve(drift, buildContext(req, view, engine.settings));
}
