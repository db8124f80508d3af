// What an UPDATE really changes. The API server bumps resourceVersion, managedFields and generation
// itself, status is what controllers report, and removing a finalizer is how a controller lets go
// of an object (the pvc-protection controller on a Terminating PVC). An update that changes nothing
// else and adds no finalizer can add no boundary crossing, so no content rule may block it:
// blocking it leaves the object Terminating forever. Only called when a rule found something.
import { arr, isRecord, metadataOf, own, type JsonRecord } from "../k8s/access.ts";

const BOOKKEEPING_METADATA: ReadonlySet<string> = new Set([
  "finalizers",
  "resourceVersion",
  "managedFields",
  "generation",
]);

/** True when object and old differ at most in bookkeeping fields and finalizers only went away. */
export function onlyBookkeeping(object: JsonRecord | undefined, old: JsonRecord | undefined): boolean {
  if (object === undefined || old === undefined) return false;
  if (!finalizersOnlyShrink(object, old)) return false;
  if (!sameExcept(object, old, TOP_IGNORED)) return false;
  return sameExcept(metadataOf(object) ?? {}, metadataOf(old) ?? {}, BOOKKEEPING_METADATA);
}

/** An object on its way out: metadata.deletionTimestamp is set. */
export function isTerminating(obj: JsonRecord | undefined): boolean {
  return own(metadataOf(obj), "deletionTimestamp") != null;
}

const TOP_IGNORED: ReadonlySet<string> = new Set(["status", "metadata"]);

function finalizersOnlyShrink(object: JsonRecord, old: JsonRecord): boolean {
  const before = new Set(arr(own(metadataOf(old), "finalizers")));
  for (const f of arr(own(metadataOf(object), "finalizers"))) if (!before.has(f)) return false;
  return true;
}

function sameExcept(a: JsonRecord, b: JsonRecord, ignored: ReadonlySet<string>): boolean {
  let n = 0;
  for (const k of Object.keys(a)) {
    if (ignored.has(k)) continue;
    n++;
    if (!Object.hasOwn(b, k) || !same(a[k], b[k])) return false;
  }
  for (const k of Object.keys(b)) if (!ignored.has(k)) n--;
  return n === 0;
}

// Parsed JSON only (depth bounded by the decoder): null, booleans, numbers, strings, arrays, maps.
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false;
    return true;
  }
  return isRecord(a) && isRecord(b) && sameExcept(a, b, NOTHING);
}

const NOTHING: ReadonlySet<string> = new Set();
