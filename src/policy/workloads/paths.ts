// Template paths for workload kinds: dotted field names with `*` for "every element of this array
// or every value of this map" (`spec.pytorchReplicaSpecs.*.template`, `spec.workerGroupSpecs[*].template`
// is the same as `spec.workerGroupSpecs.*.template`). Compiled once from config; walking builds the
// concrete field path (`spec.workerGroupSpecs[1].template`) for messages.
import { TEMPLATE_PATH } from "../../config/schema.ts";
import { isRecord, own } from "../../k8s/access.ts";
import { at, field, key } from "../pod/paths.ts";

export type CompiledPath = readonly string[];

export function compilePath(path: string): CompiledPath {
  if (!TEMPLATE_PATH.test(path)) throw new Error(`invalid template path "${path}"`);
  return Object.freeze(path.replaceAll("[*]", ".*").split("."));
}

/** Calls visit(value, path) for every value the path reaches in obj. */
export function walk(
  obj: unknown,
  segs: CompiledPath,
  visit: (value: unknown, path: string) => void,
  i = 0,
  path = "",
): void {
  if (i === segs.length) {
    visit(obj, path);
    return;
  }
  const seg = segs[i] as string;
  if (seg === "*") {
    if (Array.isArray(obj)) {
      for (let n = 0; n < obj.length; n++) walk(obj[n], segs, visit, i + 1, at(path, n));
    } else if (isRecord(obj)) {
      for (const k of Object.keys(obj)) walk(obj[k], segs, visit, i + 1, key(path, k));
    }
    return;
  }
  if (!isRecord(obj)) return;
  const next = own(obj, seg);
  if (next !== undefined) walk(next, segs, visit, i + 1, field(path, seg));
}
