// Applies the JSONPatch the mutating endpoint returned to a copy of the object, so the offline audit
// validates what the API server would validate: the object after mutation (webhook order).
import type { PatchOp } from "../admission/patch.ts";
import { isRecord, own, type JsonRecord } from "../k8s/access.ts";

function unescape(segment: string): string {
  return segment.replaceAll("~1", "/").replaceAll("~0", "~");
}

/** A deep copy of `obj` with `ops` applied; an op whose parent does not exist is skipped. */
export function applyPatch(obj: JsonRecord, ops: readonly PatchOp[]): JsonRecord {
  const out = structuredClone(obj);
  for (const op of ops) {
    const parts = op.path.split("/").slice(1).map(unescape);
    const last = parts.pop();
    if (last === undefined) continue;
    let parent: unknown = out;
    for (const p of parts) {
      // Own properties only: a "__proto__" segment must never walk into Object.prototype.
      parent = Array.isArray(parent) ? parent[Number(p)] : isRecord(parent) ? own(parent, p) : undefined;
    }
    if (Array.isArray(parent)) {
      const i = last === "-" ? parent.length : Number(last);
      if (op.op === "add") parent.splice(i, 0, structuredClone(op.value));
      else if (op.op === "replace") parent[i] = structuredClone(op.value);
      else parent.splice(i, 1);
    } else if (isRecord(parent)) {
      if (op.op === "remove") delete parent[last];
      else
        Object.defineProperty(parent, last, {
          value: structuredClone(op.value),
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
  }
  return out;
}
