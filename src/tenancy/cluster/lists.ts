// The list half of each informer: typed client-node list calls, in pages (so a 100,000-object
// collection never arrives as one giant response), each item slimmed as soon as its page arrives.
// Metadata-only collections go through metadataListMiddleware (Accept header, slimmed pages).
import {
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type KubernetesListObject,
} from "@kubernetes/client-node";
import { isRecord } from "../../k8s/access.ts";
import { metadataListMiddleware } from "./metadata-middleware.ts";
import type { SlimObject, Slimmer } from "./slim.ts";

export const PAGE_SIZE = 500;

interface Page {
  readonly kind?: string;
  readonly metadata?: { readonly resourceVersion?: string; readonly _continue?: string };
  readonly items: readonly unknown[];
}

export type PageFetcher = (cont: string | undefined) => Promise<Page>;

export interface ListOptions {
  readonly slim: Slimmer;
  /** Gives up on a page that takes longer (a hung API server must not keep us unready forever). */
  readonly pageTimeoutMs: number;
  /** Called with the list kind of the first page (to notice a server that ignored metadata-only). */
  readonly onFirstPage?: (kind: string | undefined) => void;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** All pages of a collection as one list with the first page's resourceVersion. */
export async function listAll(
  fetchPage: PageFetcher,
  what: string,
  opts: ListOptions,
): Promise<KubernetesListObject<SlimObject>> {
  const items: SlimObject[] = [];
  let cont: string | undefined;
  let resourceVersion: string | undefined;
  let first = true;
  do {
    const page = await withTimeout(fetchPage(cont), opts.pageTimeoutMs, `list ${what}`);
    if (first) opts.onFirstPage?.(page.kind);
    first = false;
    resourceVersion ??= page.metadata?.resourceVersion;
    for (const item of page.items) items.push(opts.slim(item));
    cont = page.metadata?._continue || undefined;
  } while (cont !== undefined);
  return { metadata: { resourceVersion }, items };
}

export type MetadataResource = "serviceaccounts" | "secrets" | "configmaps" | "persistentvolumeclaims";

/** Page fetchers for the core collections, across all namespaces. */
export function coreFetcher(kc: KubeConfig, resource: MetadataResource | "namespaces"): PageFetcher {
  const api = kc.makeApiClient(CoreV1Api);
  const meta = { middleware: [metadataListMiddleware], middlewareMergeStrategy: "append" as const };
  return (cont) => {
    const q = { limit: PAGE_SIZE, _continue: cont };
    switch (resource) {
      case "namespaces":
        return api.listNamespace(q);
      case "serviceaccounts":
        return api.listServiceAccountForAllNamespaces(q, meta);
      case "secrets":
        return api.listSecretForAllNamespaces(q, meta);
      case "configmaps":
        return api.listConfigMapForAllNamespaces(q, meta);
      case "persistentvolumeclaims":
        return api.listPersistentVolumeClaimForAllNamespaces(q, meta);
    }
  };
}

export function tenantFetcher(kc: KubeConfig, group: string, version: string, plural: string): PageFetcher {
  const api = kc.makeApiClient(CustomObjectsApi);
  return async (cont) => {
    const body: unknown = await api.listClusterCustomObject({
      group,
      version,
      plural,
      limit: PAGE_SIZE,
      _continue: cont,
    });
    if (!isRecord(body) || !Array.isArray(body.items))
      throw new Error(`list ${plural}: response is not a list`);
    const md = isRecord(body.metadata) ? body.metadata : {};
    return {
      kind: typeof body.kind === "string" ? body.kind : undefined,
      metadata: {
        resourceVersion: typeof md.resourceVersion === "string" ? md.resourceVersion : undefined,
        _continue: typeof md.continue === "string" ? md.continue : undefined,
      },
      items: body.items,
    };
  };
}
