// Multi-document Kubernetes YAML (and kind: List) -> objects, each with the file and line it came
// from, so every error can say "examples/cluster.yaml:42: ...".
import { LineCounter, parseAllDocuments, isMap, isSeq, type Document, type Node, type YAMLError } from "yaml";
import { TenantGuardError } from "../errors.ts";
import { isRecord, type JsonRecord } from "../k8s/access.ts";
import { relaxFlowIndentation } from "./yaml-relax.ts";

export interface SourcedObject {
  readonly object: JsonRecord;
  readonly file: string;
  readonly line: number;
  /** Line of a field inside the object, for error messages; falls back to the object's line. */
  lineOf(path: readonly (string | number)[]): number;
}

/** Text that is not YAML: where and why, for a caller that skips the file and goes on. */
export class YamlSyntaxError extends TenantGuardError {
  readonly file: string;
  readonly line: number;
  readonly why: string;

  constructor(file: string, line: number, why: string) {
    super("TG_DIRECTORY_INVALID", `${file}:${line}: ${why}`);
    this.file = file;
    this.line = line;
    this.why = why;
  }
}

/** A document that is not a Kubernetes object (a JSON6902 patch, a scalar), and why. */
export interface SkippedDocument {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

export interface YamlStream {
  readonly objects: SourcedObject[];
  readonly skipped: SkippedDocument[];
}

/** Directory files: every document must be an object (or a List of them). */
export function parseYamlObjects(text: string, file: string): SourcedObject[] {
  return readYaml(text, file, (s) => {
    throw new TenantGuardError("TG_DIRECTORY_INVALID", `${s.file}:${s.line}: ${s.reason}`);
  }).objects;
}

/** Manifests to audit: documents that are not objects are skipped with a note; bad YAML throws. */
export function readYamlStream(text: string, file: string): YamlStream {
  return readYaml(text, file, () => {});
}

// kubectl (go-yaml) resolves `<<: *anchor` merge keys, so manifests use them.
const PARSE_OPTIONS = { prettyErrors: false, uniqueKeys: true, merge: true } as const;

function parseStream(text: string): { docs: Document.Parsed[]; lc: LineCounter } {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { ...PARSE_OPTIONS, lineCounter: lc });
  return { docs: Array.isArray(docs) ? docs : [], lc };
}

/** Parses the stream; one that fails is retried with kubectl's leniency (yaml-relax.ts). */
function parseLenient(text: string, file: string): { docs: Document.Parsed[]; lc: LineCounter } {
  const first = parseStream(text);
  const failed = first.docs.find((d) => d.errors.length > 0);
  if (failed === undefined) return first;
  const relaxed = relaxFlowIndentation(text);
  if (relaxed !== undefined) {
    const second = parseStream(relaxed);
    if (second.docs.every((d) => d.errors.length === 0)) return second;
  }
  const err = failed.errors[0] as YAMLError;
  throw new YamlSyntaxError(file, first.lc.linePos(err.pos[0]).line, err.message.split("\n")[0] ?? "");
}

function describeNonObject(value: unknown): string {
  if (Array.isArray(value)) {
    const ops =
      value.length > 0 && value.every((v) => isRecord(v) && typeof v.op === "string" && "path" in v);
    return ops
      ? "a JSON patch (RFC 6902 operations, e.g. a kustomize patch), not a Kubernetes object"
      : "a YAML sequence, not a Kubernetes object";
  }
  return `a ${typeof value} value, not a Kubernetes object`;
}

function readYaml(text: string, file: string, skip: (s: SkippedDocument) => void): YamlStream {
  const { docs, lc } = parseLenient(text, file);
  const out: SourcedObject[] = [];
  const skipped: SkippedDocument[] = [];
  const note = (line: number, reason: string): void => {
    const s = { file, line, reason };
    skip(s);
    skipped.push(s);
  };
  for (const doc of docs) {
    if (doc.contents === null) continue; // empty document between "---" separators
    const line = lineOfNode(lc, doc.contents);
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      // Resolution fails after a clean parse: a merge key of a scalar or of an anchor another
      // document defined (anchors end at "---"), too many aliases. kubectl refuses such a file too.
      throw new YamlSyntaxError(file, line, (e as Error).message.split("\n")[0] ?? "");
    }
    if (value === null || value === undefined) continue;
    if (!isRecord(value)) {
      note(line, describeNonObject(value));
      continue;
    }
    if (value.kind === "List" || (typeof value.kind === "string" && value.kind.endsWith("List"))) {
      const items = value.items;
      if (!Array.isArray(items)) {
        note(line, `${String(value.kind)} has no items`);
        continue;
      }
      items.forEach((item: unknown, i: number) => {
        const itemLine = lineAt(lc, doc, ["items", i]) ?? line;
        if (!isRecord(item)) {
          note(itemLine, `items[${i}] is not an object`);
          return;
        }
        out.push(sourced(item, file, itemLine, (p) => lineAt(lc, doc, ["items", i, ...p]) ?? itemLine));
      });
      continue;
    }
    out.push(sourced(value, file, line, (p) => lineAt(lc, doc, p) ?? line));
  }
  return { objects: out, skipped };
}

function sourced(
  object: JsonRecord,
  file: string,
  line: number,
  lineOf: (p: readonly (string | number)[]) => number,
): SourcedObject {
  return { object, file, line, lineOf };
}

function lineOfNode(lc: LineCounter, node: Node | null | undefined): number {
  const start = node?.range?.[0];
  return start === undefined ? 1 : lc.linePos(start).line;
}

/** Line of the deepest node that exists along the path. */
function lineAt(lc: LineCounter, doc: Document, path: readonly (string | number)[]): number | undefined {
  let node: unknown = doc.contents;
  let best: number | undefined;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === seg);
      if (pair === undefined) break;
      best = lineOfNode(lc, (pair.key as Node | null) ?? undefined);
      node = pair.value;
    } else if (isSeq(node) && typeof seg === "number") {
      node = node.items[seg];
      best = lineOfNode(lc, node as Node);
    } else break;
  }
  return best;
}
