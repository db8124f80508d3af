// A tenant identity writing a cluster-scoped object that is the platform team's (PersistentVolumes,
// Kueue's cluster objects, the cluster-wide classes): one finding, the same shape for each rule.
// Identities that act for no tenant (the platform team, controllers, provisioners) and exempt
// admins may write them. An object labelled for another tenant names that tenant, whose mode
// applies too.
import { labelOf } from "../k8s/access.ts";
import { objectName } from "./messages.ts";
import { tenantList } from "./requester.ts";
import type { Finding, RuleContext } from "./types.ts";

export interface PlatformWrite {
  readonly code: string;
  /** What is written, as the message names it: "persistentvolume/status", "ingressclass". */
  readonly what: string;
  /** Why it is the platform's, and what to do instead. */
  readonly why: string;
  readonly path: string;
}

/** The finding for the request's writer, or undefined when it acts for no tenant or is exempt. */
export function platformWriteFinding(ctx: RuleContext, w: PlatformWrite): Finding | undefined {
  const { request: req, requester, settings } = ctx;
  if (requester.exempt || requester.tenants.size === 0) return undefined;
  const owner = labelOf(req.oldObject ?? req.object, settings.tenantLabel);
  const other = owner !== undefined && owner !== "" && !requester.tenants.has(owner) ? owner : undefined;
  return {
    code: w.code,
    message:
      `"${requester.username}" acts for tenant ${tenantList(requester.tenants)} and may not ` +
      `${req.operation.toLowerCase()} ${w.what} "${objectName(req)}"` +
      `${other === undefined ? "" : ` of tenant "${other}"`}: ${w.why}`,
    path: w.path,
    tenant: [...requester.tenants].sort()[0],
    ...(other === undefined ? {} : { victim: other }),
  };
}
