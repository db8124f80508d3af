// Request middleware for the metadata-only lists: asks for PartialObjectMetadataList, and before
// client-node deserializes a page into typed objects, cuts each item down to what the directory
// keeps. Typed deserialization of full metadata (managedFields, kubectl's last-applied
// configuration) was most of the sync's CPU and garbage at 200,000 objects; and should a server
// ignore the Accept header, secret data is dropped here, before any client-node type holds it.
import {
  Observable,
  ResponseContext,
  SelfDecodingBody,
  type ObservableMiddleware,
  type RequestContext,
} from "@kubernetes/client-node";
import { isRecord } from "../../k8s/access.ts";
import { cachedMeta } from "../build.ts";
import { META_LIST_ACCEPT } from "./slim-watch.ts";

function slimItem(item: unknown): unknown {
  if (!isRecord(item) || !isRecord(item.metadata)) return item;
  const md = item.metadata;
  const { labels, annotations } = cachedMeta(md);
  return {
    metadata: {
      name: md.name,
      namespace: md.namespace,
      resourceVersion: md.resourceVersion,
      labels,
      annotations,
    },
  };
}

/** The page with every item reduced to identity, labels and kept annotations. */
export function slimListBody(text: string): string {
  const body: unknown = JSON.parse(text);
  if (!isRecord(body) || !Array.isArray(body.items)) return text;
  return JSON.stringify({
    kind: body.kind,
    apiVersion: body.apiVersion,
    metadata: body.metadata,
    items: body.items.map(slimItem),
  });
}

async function slimResponse(res: ResponseContext): Promise<ResponseContext> {
  if (res.httpStatusCode !== 200) return res;
  const slim = slimListBody(await res.body.text());
  return new ResponseContext(
    res.httpStatusCode,
    res.headers,
    new SelfDecodingBody(Promise.resolve(Buffer.from(slim))),
  );
}

// The typed APIs (ObjectParamAPI -> ObservableAPI) run Observable middleware: client-node's own
// Observable, a thin promise wrapper.
export const metadataListMiddleware: ObservableMiddleware = {
  pre(ctx: RequestContext): Observable<RequestContext> {
    ctx.setHeaderParam("Accept", META_LIST_ACCEPT);
    return new Observable(Promise.resolve(ctx));
  },
  post(res: ResponseContext): Observable<ResponseContext> {
    return new Observable(slimResponse(res));
  },
};
