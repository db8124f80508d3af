// The list half of each informer: plain GETs of the collection in pages (so a 100,000-object
// collection never arrives as one giant response), each item slimmed as soon as its page is parsed.
// Metadata-only collections ask for PartialObjectMetadataList, so secret data is never sent; should
// a server ignore that, the full page is cut down to metadata here, before anything keeps it.
//
// No typed client: client-node's generated APIs deserialize every item into model classes (most of
// a 200,000-object sync's CPU and garbage) and open a new connection per page; one JSON.parse per
// page over a kept-alive connection is all the directory needs.
import type { KubeConfig } from "@kubernetes/client-node";
import { isRecord, own, rec, str } from "../../k8s/access.ts";
import { KubeHttpError, jsonBody, kubeRequest, listPageUrl } from "../../k8s/kube-request.ts";
import type { SlimObject, Slimmer } from "./slim.ts";

export const PAGE_SIZE = 500;

export const META_LIST_ACCEPT =
  "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json";

interface Page {
  readonly kind?: string;
  readonly metadata?: { readonly resourceVersion?: string; readonly continue?: string };
  readonly items: readonly unknown[];
}

export type PageFetcher = (cont: string | undefined) => Promise<Page>;

export interface ListOptions {
  readonly slim: Slimmer;
  /** Called with the list kind of the first page (to notice a server that ignored metadata-only). */
  readonly onFirstPage?: (kind: string | undefined) => void;
}

/**
 * Pages of one collection path (e.g. /api/v1/secrets). A page that takes longer than
 * `pageTimeoutMs` is aborted: a hung API server must not keep the directory unready forever.
 */
export function pageFetcher(
  kc: KubeConfig,
  path: string,
  opts: { readonly metadataOnly: boolean; readonly pageTimeoutMs: number },
): PageFetcher {
  const accept = opts.metadataOnly ? META_LIST_ACCEPT : "application/json";
  return async (cont) => {
    const url = listPageUrl(kc, path, PAGE_SIZE, cont);
    let res;
    try {
      res = await kubeRequest(kc, "GET", url, { Accept: accept }, undefined, {
        signal: AbortSignal.timeout(opts.pageTimeoutMs),
      });
    } catch (e) {
      if ((e as Error).name === "TimeoutError" || (e as Error).name === "AbortError")
        throw new Error(`list ${path} timed out after ${opts.pageTimeoutMs} ms`, { cause: e });
      throw e;
    }
    const body = jsonBody(res);
    if (res.status !== 200) {
      const why = str(own(rec(body), "message")) ?? res.body.slice(0, 200);
      throw new KubeHttpError(res.status, `list ${path}: HTTP ${res.status}: ${why}`);
    }
    if (!isRecord(body) || !Array.isArray(body.items))
      throw new Error(`list ${path}: response is not a list`);
    const md = rec(own(body, "metadata"));
    return {
      kind: str(own(body, "kind")),
      metadata: { resourceVersion: str(own(md, "resourceVersion")), continue: str(own(md, "continue")) },
      items: body.items,
    };
  };
}

/** What a complete list reports: the first page's resourceVersion and how many items it had. */
export interface Listed {
  readonly resourceVersion: string | undefined;
  readonly count: number;
}

/**
 * All pages of a collection, each page's items slimmed and handed to `onItems` as soon as the page
 * is parsed, so a 100,000-object list is never held whole: the caller keeps what it compacts.
 */
export async function listAll(
  fetchPage: PageFetcher,
  opts: ListOptions,
  onItems: (items: readonly SlimObject[]) => void,
): Promise<Listed> {
  let cont: string | undefined;
  let resourceVersion: string | undefined;
  let first = true;
  let count = 0;
  do {
    const page = await fetchPage(cont);
    if (first) opts.onFirstPage?.(page.kind);
    first = false;
    resourceVersion ??= page.metadata?.resourceVersion;
    onItems(page.items.map(opts.slim));
    count += page.items.length;
    cont = page.metadata?.continue || undefined;
  } while (cont !== undefined);
  return { resourceVersion, count };
}
