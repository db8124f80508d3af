// TG-ENDPOINTS-ADDRESS: Endpoints and EndpointSlices written by hand (a selector-less Service's
// backends) may not point inside the cluster's pod and service ranges (config
// network.clusterCIDRs): such an address is some other workload, another tenant's pods included,
// which the Service would then expose under the tenant's name (CVE-2021-25740). The endpoint
// controllers are exempt identities, and the requester webhook does not even send their writes.
// Judged in tenant namespaces and for tenant identities anywhere; on UPDATE only new addresses.
import { arr, own, rec, str } from "../../k8s/access.ts";
import { firstContaining, parseIp, type Cidr } from "../../k8s/cidr.ts";
import { objectRef } from "../messages.ts";
import type { Finding, Rule, RuleContext } from "../types.ts";

const ENDPOINTS_ADDRESS_CODE = "TG-ENDPOINTS-ADDRESS";

/** A slice of 1,000 endpoints could name every pod: report this many, then a count. */
const MAX_FINDINGS = 10;

type Visit = (ip: string, path: string) => void;

function endpointsAddresses(obj: unknown, visit: Visit): void {
  const subsets = arr(own(rec(obj), "subsets"));
  for (let i = 0; i < subsets.length; i++) {
    const subset = rec(subsets[i]);
    for (const field of ["addresses", "notReadyAddresses"] as const) {
      const list = arr(own(subset, field));
      for (let j = 0; j < list.length; j++) {
        const ip = str(own(rec(list[j]), "ip"));
        if (ip !== undefined) visit(ip, `subsets[${i}].${field}[${j}].ip`);
      }
    }
  }
}

function sliceAddresses(obj: unknown, visit: Visit): void {
  const slice = rec(obj);
  // FQDN slices hold host names, which resolve outside the cluster's ranges' control.
  if (str(own(slice, "addressType")) === "FQDN") return;
  const endpoints = arr(own(slice, "endpoints"));
  for (let i = 0; i < endpoints.length; i++) {
    const addresses = arr(own(rec(endpoints[i]), "addresses"));
    for (let j = 0; j < addresses.length; j++) {
      const ip = str(addresses[j]);
      if (ip !== undefined) visit(ip, `endpoints[${i}].addresses[${j}]`);
    }
  }
}

function walkerFor(ctx: RuleContext): ((obj: unknown, visit: Visit) => void) | undefined {
  const { group, resource } = ctx.request.resource;
  if (ctx.request.subResource !== "") return undefined;
  if (group === "" && resource === "endpoints") return endpointsAddresses;
  if (group === "discovery.k8s.io" && resource === "endpointslices") return sliceAddresses;
  return undefined;
}

export const endpointsAddressRule: Rule = {
  code: ENDPOINTS_ADDRESS_CODE,
  summary: "hand-written Endpoints and EndpointSlices may not point inside config network.clusterCIDRs",
  match: [
    { group: "", resource: "endpoints" },
    { group: "discovery.k8s.io", resource: "endpointslices" },
  ],
  operations: ["CREATE", "UPDATE"],
  check(ctx: RuleContext, out: Finding[]): void {
    const ranges: readonly Cidr[] = ctx.settings.clusterCIDRs ?? [];
    const walk = walkerFor(ctx);
    if (ranges.length === 0 || walk === undefined || ctx.requester.exempt) return;
    if (ctx.namespaceTenant === undefined && ctx.requester.tenants.size === 0) return;
    const had = new Set<string>();
    if (ctx.request.operation === "UPDATE") walk(ctx.request.oldObject, (ip) => had.add(ip));
    const bad: { ip: string; path: string; range: string }[] = [];
    walk(ctx.request.object, (text, path) => {
      if (had.has(text)) return;
      const ip = parseIp(text);
      const range = ip === undefined ? undefined : firstContaining(ranges, ip);
      if (range !== undefined) bad.push({ ip: text, path, range: range.text });
    });
    const owner = ctx.namespaceTenant === undefined ? "" : ` (tenant "${ctx.namespaceTenant}")`;
    for (let k = 0; k < bad.length && k < MAX_FINDINGS; k++) {
      const b = bad[k]!;
      const more =
        k === MAX_FINDINGS - 1 && bad.length > MAX_FINDINGS ? ` (and ${bad.length - MAX_FINDINGS} more)` : "";
      out.push({
        code: ENDPOINTS_ADDRESS_CODE,
        message:
          `${objectRef(ctx.request)}${owner} points at ${b.ip}, inside the cluster range ${b.range}${more}: ` +
          `a hand-written endpoint there reaches whichever pod or service holds that address, another ` +
          `tenant's included (CVE-2021-25740); give the Service a selector so the endpoint ` +
          `controller fills it, or point it at an address outside config network.clusterCIDRs`,
        path: b.path,
      });
    }
  },
};
