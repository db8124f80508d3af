// --publish: write the PolicyReports into the cluster with server-side apply (field manager
// "tenant-guard", forced), so every run replaces its own reports by name (tenant-guard-<namespace>,
// tenant-guard-cluster) instead of piling up new ones. Run it from a CronJob for a background audit.
import type { KubeConfig } from "@kubernetes/client-node";
import { rec, str } from "../k8s/access.ts";
import { apiUrl, kubeRequest } from "../k8s/kube-request.ts";
import { POLICY_REPORT_API, type PolicyReportObject } from "./policy-report.ts";

export const FIELD_MANAGER = "tenant-guard";

export function reportPath(r: PolicyReportObject): string {
  const base = `/apis/${POLICY_REPORT_API}`;
  return r.metadata.namespace === undefined
    ? `${base}/clusterpolicyreports/${encodeURIComponent(r.metadata.name)}`
    : `${base}/namespaces/${encodeURIComponent(r.metadata.namespace)}/policyreports/${encodeURIComponent(r.metadata.name)}`;
}

export interface PublishResult {
  readonly applied: number;
  /** "PolicyReport team-alpha/tenant-guard-team-alpha: 403 ..." */
  readonly failed: readonly string[];
}

export async function publishReports(
  kc: KubeConfig,
  reports: readonly PolicyReportObject[],
  progress: (line: string) => void,
): Promise<PublishResult> {
  const failed: string[] = [];
  let applied = 0;
  for (const r of reports) {
    const url = apiUrl(kc, reportPath(r));
    url.searchParams.set("fieldManager", FIELD_MANAGER);
    url.searchParams.set("force", "true");
    const what = `${r.kind} ${r.metadata.namespace ? `${r.metadata.namespace}/` : ""}${r.metadata.name}`;
    try {
      // JSON is YAML: the apply-patch content type takes it as is.
      const res = await kubeRequest(
        kc,
        "PATCH",
        url,
        { "Content-Type": "application/apply-patch+yaml", Accept: "application/json" },
        JSON.stringify(r),
      );
      if (res.status === 200 || res.status === 201) {
        applied++;
        continue;
      }
      let message = `HTTP ${res.status}`;
      try {
        message = str(rec(JSON.parse(res.body))?.message) ?? message;
      } catch {
        // not a Status object; keep the HTTP code
      }
      const hint = res.status === 404 ? " (is the wgpolicyk8s.io v1alpha2 PolicyReport CRD installed?)" : "";
      failed.push(`${what}: ${res.status} ${message}${hint}`);
    } catch (e) {
      failed.push(`${what}: ${(e as Error).message}`);
    }
  }
  progress(
    `published ${applied} of ${reports.length} report(s)${failed.length ? `; ${failed.length} failed` : ""}`,
  );
  return { applied, failed };
}

/** Deletes a report that has nothing left to say; a 404 (already gone) is success. */
export async function deleteReport(kc: KubeConfig, path: string): Promise<string | undefined> {
  try {
    const res = await kubeRequest(kc, "DELETE", apiUrl(kc, path), { Accept: "application/json" });
    if (res.status === 200 || res.status === 202 || res.status === 404) return undefined;
    return `${path}: HTTP ${res.status}`;
  } catch (e) {
    return `${path}: ${(e as Error).message}`;
  }
}
