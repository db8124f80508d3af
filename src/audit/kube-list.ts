// Paginated LIST calls against the API server, authenticated by client-node's KubeConfig (certs,
// tokens, exec plugins). Items stay raw JSON, exactly as an AdmissionReview would carry them:
// client-node's typed models would turn timestamps into Dates and drop fields they do not know.
import { KubeConfig } from "@kubernetes/client-node";
import { TenantGuardError } from "../errors.ts";
import { isRecord, rec, str, type JsonRecord } from "../k8s/access.ts";
import { jsonBody, kubeRequest, listPageUrl, type KubeResponse } from "../k8s/kube-request.ts";

/** Ask for metadata only (secrets, config maps): their data never enters the process. */
export const METADATA_ONLY = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";
const PAGE = 500;

export interface ListOptions {
  readonly metadataOnly?: boolean;
  readonly fieldSelector?: string;
  readonly labelSelector?: string;
  /** Called after every page with the number of items so far. */
  readonly onPage?: (listed: number) => void;
  /** Streams each page here instead of collecting it: memory holds one page, `items` stays empty. */
  readonly onItems?: (items: JsonRecord[]) => void;
  /** Items per page (default 500). */
  readonly pageSize?: number;
  /** Waits before every page after the first: the background audit's rate limit. */
  readonly pause?: () => Promise<void>;
}

export type ListResult = { ok: true; items: JsonRecord[] } | { ok: false; status: number; reason: string };

export interface KubeLister {
  readonly server: string;
  list(path: string, opts?: ListOptions): Promise<ListResult>;
}

export function loadKubeConfig(path: string | undefined): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (path === undefined) kc.loadFromDefault();
    else kc.loadFromFile(path);
  } catch (e) {
    throw new TenantGuardError("TG_USAGE", `kubeconfig ${path ?? "(default)"}: ${(e as Error).message}`);
  }
  if (kc.getCurrentCluster() === null) {
    throw new TenantGuardError("TG_USAGE", `kubeconfig ${path ?? "(default)"}: no current cluster`);
  }
  return kc;
}

export function kubeLister(kc: KubeConfig): KubeLister {
  const server = kc.getCurrentCluster()?.server ?? "";
  const list = async (path: string, opts: ListOptions = {}, restarts = 0): Promise<ListResult> => {
    const items: JsonRecord[] = [];
    let cont: string | undefined;
    let listed = 0;
    do {
      if (cont !== undefined) await opts.pause?.();
      const url = listPageUrl(kc, path, opts.pageSize ?? PAGE, cont);
      if (opts.fieldSelector !== undefined) url.searchParams.set("fieldSelector", opts.fieldSelector);
      if (opts.labelSelector !== undefined) url.searchParams.set("labelSelector", opts.labelSelector);
      let res: KubeResponse;
      try {
        res = await kubeRequest(kc, "GET", url, {
          Accept: opts.metadataOnly ? METADATA_ONLY : "application/json",
        });
      } catch (e) {
        throw new TenantGuardError("TG_USAGE", `${server}: GET ${path}: ${(e as Error).message}`);
      }
      // 410: the continue token expired on a very large list; start over once or twice.
      if (res.status === 410 && cont !== undefined && restarts < 2 && opts.onItems === undefined)
        return list(path, opts, restarts + 1);
      const body = jsonBody(res);
      if (res.status !== 200) {
        const reason = str(rec(body)?.message) ?? `HTTP ${res.status}`;
        return { ok: false, status: res.status, reason };
      }
      const page = rec(body);
      if (page === undefined || !Array.isArray(page.items)) {
        throw new TenantGuardError("TG_USAGE", `${server}: GET ${path}: not a list`);
      }
      const got = page.items.filter(isRecord);
      listed += got.length;
      if (opts.onItems !== undefined) opts.onItems(got);
      else items.push(...got);
      cont = str(rec(page.metadata)?.continue) || undefined;
      opts.onPage?.(listed);
    } while (cont !== undefined);
    return { ok: true, items };
  };
  return { server, list: (path, opts) => list(path, opts) };
}
