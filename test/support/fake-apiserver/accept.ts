// Content negotiation as the API server does it for JSON: the first media range in the Accept
// header that can be served wins. `as=PartialObjectMetadataList;g=meta.k8s.io;v=v1` asks a list for
// metadata only, `as=PartialObjectMetadata` a watch (or get); anything we cannot serve is skipped,
// and if nothing is left the answer is 406.
import type { JsonRecord } from "../../../src/k8s/access.ts";

export type Representation = "full" | "metadata";

export const META_GV = "meta.k8s.io/v1";

export function negotiate(accept: string | undefined, watch: boolean): Representation | undefined {
  if (accept === undefined || accept.trim() === "") return "full";
  for (const range of accept.split(",")) {
    const [type = "", ...paramParts] = range.split(";").map((s) => s.trim());
    const params = new Map(
      paramParts.map((p) => {
        const i = p.indexOf("=");
        return [p.slice(0, i).trim(), p.slice(i + 1).trim()] as const;
      }),
    );
    if (!["application/json", "application/*", "*/*"].includes(type.toLowerCase())) continue;
    const as = params.get("as");
    if (as === undefined) return "full";
    const wanted = watch ? "PartialObjectMetadata" : "PartialObjectMetadataList";
    if (as === wanted && params.get("g") === "meta.k8s.io" && params.get("v") === "v1") return "metadata";
  }
  return undefined;
}

export function contentType(rep: Representation, watch: boolean): string {
  if (rep === "full") return "application/json";
  return `application/json;as=${watch ? "PartialObjectMetadata" : "PartialObjectMetadataList"};g=meta.k8s.io;v=v1`;
}

/** An object as PartialObjectMetadata: apiVersion/kind of meta.k8s.io and the metadata, nothing else. */
export function toMetadata(obj: JsonRecord): JsonRecord {
  return { kind: "PartialObjectMetadata", apiVersion: META_GV, metadata: obj.metadata };
}

export function status(code: number, reason: string, message: string): JsonRecord {
  return { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code };
}
