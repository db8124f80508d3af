// TG-MODEL-STORAGE: each team owns its models. A model URI (KServe storageUri, a STORAGE_URI-style
// env var, a pvc:// reference) must lie within the tenant's modelStorage prefixes. A URI under
// another tenant's prefix, or a pvc:// claim labelled for another tenant, is denied naming both
// teams unless that tenant shares with this one; with no modelStorage list, only other tenants'
// storage is off limits. Where prefixes of two tenants nest, the most specific one owns the URI.
import { arr, own, rec, str, type JsonRecord } from "../../k8s/access.ts";
import type { TenantView } from "../../tenancy/view.ts";
import { MODEL_STORAGE } from "../pod/codes.ts";
import { at, CONTAINER_LISTS, field } from "../pod/paths.ts";
import { crosses, ownTenant, subject, type PodScope } from "../pod/scope.ts";
import type { Finding } from "../types.ts";
import { DEFAULT_WORKLOADS } from "./settings.ts";

/** Prefix match at a path boundary: `pvc://alpha-models` covers `pvc://alpha-models/x`, not `pvc://alpha-models-2`. */
export function withinPrefix(uri: string, prefix: string): boolean {
  // "s3://m/beta" names the same place as the prefix "s3://m/beta/".
  if (!uri.startsWith(prefix))
    return prefix.endsWith("/") && uri.length === prefix.length - 1 && prefix.startsWith(uri);
  return uri.length === prefix.length || prefix.endsWith("/") || uri.charCodeAt(prefix.length) === 47;
}

/**
 * Sub-path prefixes are looked up only within this many leading characters: each lookup hashes its
 * prefix, so trying every "/" of a megabyte of slashes would be quadratic. Real prefixes
 * ("s3://bucket/team/") are far shorter.
 */
const STORAGE_PREFIX_SCAN = 1024;

/** The tenant whose modelStorage prefix covers the URI (longest first): map reads, no loop over tenants. */
export function storageOwner(view: TenantView, uri: string): string | undefined {
  return storageClaim(view, uri)?.owner;
}

/** The most specific claim on the URI: its owner and how long (without a trailing "/") its prefix is. */
function storageClaim(view: TenantView, uri: string): { owner: string; length: number } | undefined {
  const exact = view.modelStorageOwner(uri) ?? view.modelStorageOwner(`${uri}/`);
  if (exact !== undefined) return { owner: exact, length: uri.endsWith("/") ? uri.length - 1 : uri.length };
  for (let i = Math.min(uri.length, STORAGE_PREFIX_SCAN) - 1; i > 0; i--) {
    if (uri.charCodeAt(i) !== 47) continue;
    const owner = view.modelStorageOwner(uri.slice(0, i + 1)) ?? view.modelStorageOwner(uri.slice(0, i));
    if (owner !== undefined) return { owner, length: i };
  }
  return undefined;
}

/** Length (without a trailing "/") of the tenant's own longest prefix covering the URI, -1 if none. */
function ownClaim(allowed: readonly string[], uri: string): number {
  let best = -1;
  for (const p of allowed) {
    if (!withinPrefix(uri, p)) continue;
    const len = p.endsWith("/") ? p.length - 1 : p.length;
    if (len > best) best = len;
  }
  return best;
}

export function checkStorageUri(scope: PodScope, uri: string, path: string, out: Finding[]): void {
  const allowed = scope.policy?.modelStorage ?? [];
  const view = scope.ctx.view;
  // Most specific wins: a broad prefix of this tenant's ("s3://models/") does not reach into a
  // narrower one another tenant lists ("s3://models/team-beta/"). Equal prefixes: the tenant's own.
  const claim = storageClaim(view, uri);
  const own = ownClaim(allowed, uri);
  if (own >= 0 && (claim === undefined || own >= claim.length || claim.owner === scope.tenant)) return;
  let owner = claim?.owner;
  if (owner === undefined && uri.startsWith("pvc://")) {
    const claimName = uri.slice(6).split("/", 1)[0] ?? "";
    if (claimName !== "") {
      const claimOwner = view.ownerOfObject("PersistentVolumeClaim", scope.namespace, claimName);
      if (claimOwner !== scope.tenant) owner = claimOwner;
    }
  }
  if (owner !== undefined) {
    if (!crosses(scope, owner)) return;
    out.push({
      code: MODEL_STORAGE,
      message:
        `${subject(scope)} uses model storage "${uri}", which belongs to tenant "${owner}", but the ` +
        `namespace belongs to ${ownTenant(scope)}; use your own tenant's model storage` +
        (allowed.length > 0 ? ` (${allowed.map((p) => `"${p}"`).join(", ")})` : "") +
        ` or ask "${owner}" to list your tenant in sharedWith`,
      path,
      victim: owner,
    });
    return;
  }
  if (allowed.length === 0) return;
  out.push({
    code: MODEL_STORAGE,
    message:
      `${subject(scope)} uses model storage "${uri}", outside the modelStorage of ${ownTenant(scope)}; ` +
      `use a location under ${allowed.map((p) => `"${p}"`).join(", ")}`,
    path,
  });
}

/**
 * Kubeflow Trainer's dataset initializer reads its dataset location from STORAGE_URI too (a
 * TrainingRuntime's container of this name): a dataset is not a model, so its env is not model storage.
 */
const TRAINER_DATASET_INITIALIZER = "dataset-initializer";

/** Env vars such as STORAGE_URI whose value is a URI (scheme://...): local paths are not storage. */
export function checkContainerStorageEnv(scope: PodScope, c: JsonRecord, path: string, out: Finding[]): void {
  if (str(own(c, "name")) === TRAINER_DATASET_INITIALIZER) return;
  const names = (scope.ctx.settings.workloads ?? DEFAULT_WORKLOADS).modelStorageEnv;
  const env = arr(own(c, "env"));
  for (let j = 0; j < env.length; j++) {
    const e = rec(env[j]);
    const name = str(own(e, "name"));
    if (name === undefined || !names.has(name)) continue;
    const value = str(own(e, "value"));
    if (value === undefined || !value.includes("://")) continue;
    checkStorageUri(scope, value, `${path}.env[${j}].value`, out);
  }
}

export function checkSpecStorageEnv(scope: PodScope, spec: JsonRecord, base: string, out: Finding[]): void {
  for (const list of CONTAINER_LISTS) {
    const containers = arr(own(spec, list));
    for (let i = 0; i < containers.length; i++) {
      const c = rec(containers[i]);
      if (c !== undefined) checkContainerStorageEnv(scope, c, at(field(base, list), i), out);
    }
  }
}

/** KServe's StorageBucketTypes: the types whose URI carries a bucket. */
const BUCKET_TYPES: ReadonlySet<string> = new Set(["s3"]);

/** The URI KServe's storage initializer builds from a StorageSpec, when the object says enough. */
export function storageSpecUri(spec: JsonRecord): string | undefined {
  const params = rec(own(spec, "parameters"));
  const type = str(own(params, "type"));
  if (type === undefined || type === "") return undefined;
  const raw = str(own(spec, "path")) ?? "";
  const path = raw.startsWith("/") ? raw.slice(1) : raw;
  if (!BUCKET_TYPES.has(type)) return `${type}://${path}`;
  const bucket = str(own(params, "bucket"));
  return bucket === undefined || bucket === "" ? undefined : `${type}://${bucket}/${path}`;
}

export function checkStorageSpec(
  scope: PodScope,
  spec: JsonRecord,
  path: string,
  secret: string,
  out: Finding[],
): void {
  const secretOwner = scope.ctx.view.ownerOfObject("Secret", scope.namespace, secret);
  if (crosses(scope, secretOwner)) {
    out.push({
      code: MODEL_STORAGE,
      message:
        `${subject(scope)} reads model storage credentials from secret "${secret}", which belongs to ` +
        `tenant "${secretOwner}", but the namespace belongs to ${ownTenant(scope)}; use a storage ` +
        `secret of your own tenant or ask "${secretOwner}" to list your tenant in sharedWith`,
      path: str(own(spec, "key")) === undefined ? path : `${path}.key`,
      victim: secretOwner,
    });
  }
  const uri = storageSpecUri(spec);
  if (uri !== undefined) {
    checkStorageUri(scope, uri, path, out);
    return;
  }
  const allowed = scope.policy?.modelStorage ?? [];
  if (allowed.length === 0) return;
  const key = str(own(spec, "key"));
  out.push({
    code: MODEL_STORAGE,
    message:
      `${subject(scope)} takes its model location from ${key === undefined ? "the default entry" : `key "${key}"`} ` +
      `of secret "${secret}", which tenant-guard cannot check against the modelStorage of ` +
      `${ownTenant(scope)}; name it in the object with parameters.type and parameters.bucket ` +
      `(within ${allowed.map((p) => `"${p}"`).join(", ")}), or use storageUri`,
    path,
  });
}
