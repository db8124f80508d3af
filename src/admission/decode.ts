// Body -> Review. Everything the rules later read is type-checked here once, so a request we cannot
// understand is a 400 (the API server then applies its failurePolicy), never a silent allow.
import { TenantGuardError } from "../errors.ts";
import { isRecord, type JsonRecord } from "../k8s/access.ts";
import {
  ADMISSION_V1,
  ADMISSION_V1BETA1,
  OPERATIONS,
  type AdmissionApiVersion,
  type AdmissionRequest,
  type GroupVersionKind,
  type GroupVersionResource,
  type Operation,
  type Review,
  type UserInfo,
} from "./types.ts";

/**
 * Deeper than any Kubernetes object (Go's encoding/json stops at 10000; real objects stay under
 * ~40). V8 parses a 6 MiB "[[[[..." in seconds, and a rule walking it could overflow the stack.
 */
export const MAX_JSON_DEPTH = 512;

export function decodeReview(body: Buffer | string): Review {
  if (body.length === 0) throw new TenantGuardError("TG_EMPTY_BODY");
  const text = typeof body === "string" ? body : body.toString("utf8");
  if (tooDeep(text, MAX_JSON_DEPTH)) {
    throw new TenantGuardError("TG_INVALID_JSON", `nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new TenantGuardError("TG_INVALID_JSON", jsonErrorWhere(e));
  }
  return validateReview(parsed);
}

/** V8's message quotes the input around the error, which could be a Secret's data: keep the position only. */
function jsonErrorWhere(e: unknown): string {
  const m = /at position (\d+)/.exec(e instanceof Error ? e.message : "");
  return m === null ? "syntax error" : `syntax error at byte ${m[1]}`;
}

/**
 * Counts `{`/`[` cheaply first; only a body with more of them than the limit is scanned fully.
 * On the decoded string, not the Buffer: V8 inlines String#indexOf, while Buffer#indexOf is a
 * call into Node per hit (3.4x slower on a 6 KB pod, ~110 hits).
 */
function tooDeep(text: string, max: number): boolean {
  let openers = 0;
  for (let i = text.indexOf("{"); i !== -1 && openers <= max; i = text.indexOf("{", i + 1)) openers++;
  for (let i = text.indexOf("["); i !== -1 && openers <= max; i = text.indexOf("[", i + 1)) openers++;
  if (openers <= max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

export function validateReview(parsed: unknown): Review {
  if (!isRecord(parsed)) throw new TenantGuardError("TG_NOT_ADMISSION_REVIEW", "body is not a JSON object");
  if (parsed.kind !== "AdmissionReview") {
    throw new TenantGuardError("TG_NOT_ADMISSION_REVIEW", `kind is ${JSON.stringify(parsed.kind)}`);
  }
  const apiVersion = parsed.apiVersion;
  if (apiVersion !== ADMISSION_V1 && apiVersion !== ADMISSION_V1BETA1) {
    throw new TenantGuardError(
      "TG_UNSUPPORTED_VERSION",
      `got ${JSON.stringify(apiVersion)}, want ${ADMISSION_V1} or ${ADMISSION_V1BETA1}`,
    );
  }
  const req = parsed.request;
  if (!isRecord(req)) throw new TenantGuardError("TG_NOT_ADMISSION_REVIEW", "request is missing");
  return { apiVersion: apiVersion as AdmissionApiVersion, request: validateRequest(req) };
}

function validateRequest(req: JsonRecord): AdmissionRequest {
  const uid = req.uid;
  if (typeof uid !== "string" || uid.length === 0) throw new TenantGuardError("TG_MISSING_UID");
  const operation = req.operation;
  if (typeof operation !== "string" || !OPERATIONS.includes(operation as Operation)) {
    throw bad(`request.operation ${JSON.stringify(operation)} is not one of ${OPERATIONS.join(", ")}`);
  }
  return {
    uid,
    kind: gvk(req.kind, "request.kind"),
    resource: gvr(req.resource, "request.resource"),
    subResource: optString(req.subResource, "request.subResource"),
    name: optString(req.name, "request.name"),
    namespace: optString(req.namespace, "request.namespace"),
    operation: operation as Operation,
    userInfo: userInfo(req.userInfo),
    object: optObject(req.object, "request.object"),
    oldObject: optObject(req.oldObject, "request.oldObject"),
    dryRun: optBool(req.dryRun, "request.dryRun"),
  };
}

function bad(detail: string): TenantGuardError {
  return new TenantGuardError("TG_INVALID_REQUEST", detail);
}

function gvk(x: unknown, path: string): GroupVersionKind {
  if (!isRecord(x)) throw bad(`${path} is missing`);
  const { group, version, kind } = x;
  if (typeof group !== "string" || typeof version !== "string" || typeof kind !== "string" || kind === "") {
    throw bad(`${path} needs string group, version and kind`);
  }
  return { group, version, kind };
}

function gvr(x: unknown, path: string): GroupVersionResource {
  if (!isRecord(x)) throw bad(`${path} is missing`);
  const { group, version, resource } = x;
  if (
    typeof group !== "string" ||
    typeof version !== "string" ||
    typeof resource !== "string" ||
    resource === ""
  ) {
    throw bad(`${path} needs string group, version and resource`);
  }
  return { group, version, resource };
}

function optString(x: unknown, path: string): string {
  if (x === undefined || x === null) return "";
  if (typeof x !== "string") throw bad(`${path} must be a string`);
  return x;
}

function optBool(x: unknown, path: string): boolean {
  if (x === undefined || x === null) return false;
  if (typeof x !== "boolean") throw bad(`${path} must be a boolean`);
  return x;
}

function optObject(x: unknown, path: string): JsonRecord | undefined {
  if (x === undefined || x === null) return undefined;
  if (!isRecord(x)) throw bad(`${path} must be an object`);
  const md = x.metadata;
  if (md !== undefined && md !== null && !isRecord(md)) throw bad(`${path}.metadata must be an object`);
  if (isRecord(md)) {
    // What every message and lookup names the object by: a non-string here cannot be understood.
    for (const field of ["name", "generateName", "namespace"] as const) {
      const v = md[field];
      if (v !== undefined && v !== null && typeof v !== "string")
        throw bad(`${path}.metadata.${field} must be a string`);
    }
    for (const field of ["labels", "annotations"] as const) {
      const m = md[field];
      if (m === undefined || m === null) continue;
      if (!isRecord(m)) throw bad(`${path}.metadata.${field} must be a map of strings`);
      for (const k in m) {
        if (typeof m[k] !== "string")
          throw bad(`${path}.metadata.${field}[${JSON.stringify(k)}] must be a string`);
      }
    }
  }
  return x;
}

function userInfo(x: unknown): UserInfo {
  if (x === undefined || x === null) return { username: "", groups: [] };
  if (!isRecord(x)) throw bad("request.userInfo must be an object");
  const username = optString(x.username, "request.userInfo.username");
  const groupsRaw = x.groups;
  let groups: string[] = [];
  if (groupsRaw !== undefined && groupsRaw !== null) {
    if (!Array.isArray(groupsRaw) || !groupsRaw.every((g) => typeof g === "string")) {
      throw bad("request.userInfo.groups must be a list of strings");
    }
    groups = groupsRaw as string[];
  }
  const uid = typeof x.uid === "string" ? x.uid : undefined;
  return uid === undefined ? { username, groups } : { username, uid, groups };
}
