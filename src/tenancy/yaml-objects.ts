// Multi-document Kubernetes YAML (and kind: List) -> objects, each with the file and line it came
// from, so every error can say "examples/cluster.yaml:42: ...".
import { LineCounter, parseAllDocuments, isMap, isSeq, type Document, type Node } from "yaml";
import { TenantGuardError } from "../errors.ts";
import { isRecord, type JsonRecord } from "../k8s/access.ts";

export interface SourcedObject {
  readonly object: JsonRecord;
  readonly file: string;
  readonly line: number;
  /** Line of a field inside the object, for error messages; falls back to the object's line. */
  lineOf(path: readonly (string | number)[]): number;
}

export function parseYamlObjects(text: string, file: string): SourcedObject[] {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (!Array.isArray(docs)) throw new TenantGuardError("TG_DIRECTORY_INVALID", `${file}: not a YAML stream`);
  const out: SourcedObject[] = [];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err !== undefined) {
      const line = lc.linePos(err.pos[0]).line;
      throw new TenantGuardError("TG_DIRECTORY_INVALID", `${file}:${line}: ${err.message.split("\n")[0]}`);
    }
    if (doc.contents === null) continue; // empty document between "---" separators
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue;
    const line = lineOfNode(lc, doc.contents);
    if (!isRecord(value)) {
      throw new TenantGuardError(
        "TG_DIRECTORY_INVALID",
        `${file}:${line}: document is not a Kubernetes object`,
      );
    }
    if (value.kind === "List" || (typeof value.kind === "string" && value.kind.endsWith("List"))) {
      const items = value.items;
      if (!Array.isArray(items)) {
        throw new TenantGuardError(
          "TG_DIRECTORY_INVALID",
          `${file}:${line}: ${String(value.kind)} has no items`,
        );
      }
      items.forEach((item: unknown, i: number) => {
        const itemLine = lineAt(lc, doc, ["items", i]) ?? line;
        if (!isRecord(item)) {
          throw new TenantGuardError(
            "TG_DIRECTORY_INVALID",
            `${file}:${itemLine}: items[${i}] is not an object`,
          );
        }
        out.push(sourced(item, file, itemLine, (p) => lineAt(lc, doc, ["items", i, ...p]) ?? itemLine));
      });
      continue;
    }
    out.push(sourced(value, file, line, (p) => lineAt(lc, doc, p) ?? line));
  }
  return out;
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
