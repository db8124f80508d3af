// Which parsed documents are objects to audit. A real tree holds more than objects: kustomize's
// kustomization.yaml and the patches it names, Helm values, tool configuration. Those are skipped
// with a note saying what they are, never audited as if they were objects (a strategic-merge patch
// looks like one, but is a fragment) and never a reason to stop.
import { dirname, resolve } from "node:path";
import { isRecord, rec, str } from "../k8s/access.ts";
import type { SkippedDocument, SourcedObject } from "../tenancy/yaml-objects.ts";

/** A file or path that could not be read or parsed: reported, skipped, exit status 2. */
export interface UnreadableInput {
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}

export interface ManifestSet {
  /** The objects to audit, in input order. */
  readonly objects: SourcedObject[];
  /** Documents that are not objects to audit, with why. */
  readonly skipped: SkippedDocument[];
  readonly unreadable: UnreadableInput[];
}

const KUSTOMIZE_API = "kustomize.config.k8s.io/";
const KUSTOMIZATION_FILE = /(^|[/\\])(kustomization\.ya?ml|Kustomization)$/;
/** kustomization fields whose entries are files of kustomize input, not objects. */
const FILE_LISTS = ["patchesStrategicMerge", "configurations", "transformers", "generators", "validators"];
/** kustomization fields whose entries are objects with a `path` to such a file. */
const PATH_LISTS = ["patches", "patchesJson6902", "replacements"];

function isKustomization(s: SourcedObject): boolean {
  const api = str(s.object.apiVersion) ?? "";
  return api.startsWith(KUSTOMIZE_API) || KUSTOMIZATION_FILE.test(s.file);
}

/** Files a kustomization names as patches or configuration -> where it names them. */
function namedFiles(k: SourcedObject, into: Map<string, string>): void {
  const dir = dirname(k.file);
  const add = (path: unknown, at: (string | number)[]): void => {
    // An inline patch (a YAML string with newlines) names no file.
    if (typeof path !== "string" || path === "" || path.includes("\n")) return;
    const full = resolve(dir, path);
    if (!into.has(full)) into.set(full, `${k.file}:${k.lineOf(at)}`);
  };
  for (const field of FILE_LISTS) {
    const list = k.object[field];
    if (Array.isArray(list)) list.forEach((p, i) => add(p, [field, i]));
  }
  for (const field of PATH_LISTS) {
    const list = k.object[field];
    if (Array.isArray(list)) list.forEach((e, i) => add(rec(e)?.path, [field, i, "path"]));
  }
}

/** Why this document is not an object to audit, or undefined when it is one. */
function notAnObject(s: SourcedObject): string | undefined {
  const kind = str(s.object.kind);
  if (isKustomization(s)) {
    return `${kind ?? "kustomization"}: kustomize input, not an object (audit what it builds: kustomize build ${dirname(s.file)} | tenant-guard audit -)`;
  }
  if (!str(s.object.apiVersion) || !kind) {
    return "no apiVersion and kind: not a Kubernetes object (Helm values or tool configuration?)";
  }
  if (!isRecord(s.object.metadata)) return `${kind} has no metadata: not a complete object (a patch?)`;
  return undefined;
}

export function sortDocuments(
  docs: readonly SourcedObject[],
  notes: readonly SkippedDocument[],
  unreadable: UnreadableInput[],
): ManifestSet {
  const named = new Map<string, string>();
  for (const d of docs) if (isKustomization(d)) namedFiles(d, named);
  const objects: SourcedObject[] = [];
  const skipped: SkippedDocument[] = [];
  for (const d of docs) {
    const by = named.get(resolve(d.file));
    const why =
      notAnObject(d) ?? (by === undefined ? undefined : `named as kustomize input at ${by}, not an object`);
    if (why === undefined) objects.push(d);
    else skipped.push({ file: d.file, line: d.line, reason: why });
  }
  // Non-object documents in a file a kustomization names get the clearer reason too.
  for (const n of notes) {
    const by = named.get(resolve(n.file));
    skipped.push(by === undefined ? n : { ...n, reason: `${n.reason}; named as kustomize input at ${by}` });
  }
  skipped.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  return { objects, skipped, unreadable };
}
