// TG-POD-SERVICE-ACCOUNT: the pod runs as a service account of its own namespace; one labelled for
// another tenant (made by an admin, or before tenant-guard ran) would hand the pod that tenant's
// RBAC and cloud identity. `serviceAccount` is the deprecated alias; both are checked.
import { own, str, type JsonRecord } from "../../k8s/access.ts";
import type { Finding } from "../types.ts";
import { POD_SERVICE_ACCOUNT } from "./codes.ts";
import { field } from "./paths.ts";
import { crosses, ownTenant, subject, type PodScope } from "./scope.ts";

export function checkServiceAccount(scope: PodScope, spec: JsonRecord, base: string, out: Finding[]): void {
  const name = nonEmpty(own(spec, "serviceAccountName"));
  const legacy = nonEmpty(own(spec, "serviceAccount"));
  if (name !== undefined || legacy === undefined) {
    checkOne(scope, name ?? "default", field(base, "serviceAccountName"), out);
  }
  if (legacy !== undefined && legacy !== name) checkOne(scope, legacy, field(base, "serviceAccount"), out);
}

function checkOne(scope: PodScope, name: string, path: string, out: Finding[]): void {
  const owner = scope.ctx.view.ownerOfObject("ServiceAccount", scope.namespace, name);
  if (!crosses(scope, owner)) return;
  out.push({
    code: POD_SERVICE_ACCOUNT,
    message:
      `${subject(scope)} runs as service account "${name}", which belongs to tenant "${owner}", ` +
      `but the namespace belongs to ${ownTenant(scope)}; use a service account of your own tenant ` +
      `(or ask "${owner}" to list your tenant in sharedWith)`,
    path,
    victim: owner,
  });
}

function nonEmpty(x: unknown): string | undefined {
  const s = str(x);
  return s === undefined || s === "" ? undefined : s;
}
