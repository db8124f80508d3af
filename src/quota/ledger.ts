// Usage per namespace and per tenant, kept as pods come and go (informer events, or a file world's
// Pod objects). Per-tenant totals are maintained, not summed per request, so admission reads one
// Map: O(1) per review whatever the tenant's size. A namespace changing tenant moves its totals.
import type { PodCharge } from "./charge.ts";

export type Usage = ReadonlyMap<string, number>;
const NONE: Usage = new Map();

function addInto(target: Map<string, number>, c: PodCharge, sign: 1 | -1): void {
  for (let i = 0; i < c.keys.length; i++) {
    const k = c.keys[i] as string;
    const next = (target.get(k) ?? 0) + sign * (c.values[i] as number);
    // Sums of decimal fractions drift in binary floating point: a total back at ~0 is 0.
    if (Math.abs(next) < 1e-9) target.delete(k);
    else target.set(k, next);
  }
}

function addMap(target: Map<string, number>, from: Usage, sign: 1 | -1): void {
  for (const [k, v] of from) {
    const next = (target.get(k) ?? 0) + sign * v;
    if (Math.abs(next) < 1e-9) target.delete(k);
    else target.set(k, next);
  }
}

export class UsageLedger {
  private readonly pods = new Map<string, Map<string, PodCharge>>();
  private readonly perNamespace = new Map<string, Map<string, number>>();
  private readonly perTenant = new Map<string, Map<string, number>>();
  private count = 0;
  /** Counted objects other than pods (entries named "<resource>.<group>/<name>", object-count.ts). */
  private objects = 0;
  private readonly tenantOf: (namespace: string) => string | undefined;

  constructor(tenantOf: (namespace: string) => string | undefined) {
    this.tenantOf = tenantOf;
  }

  /** A pod added or changed (a terminal one charges STORED_ONLY); `charge` undefined drops it. */
  setPod(namespace: string, name: string, charge: PodCharge | undefined): void {
    if (charge === undefined) return this.deletePod(namespace, name);
    let inNs = this.pods.get(namespace);
    if (inNs === undefined) this.pods.set(namespace, (inNs = new Map()));
    const prev = inNs.get(name);
    if (prev === charge) return;
    if (prev !== undefined) this.apply(namespace, prev, -1);
    else if (name.includes("/")) this.objects++;
    else this.count++;
    inNs.set(name, charge);
    this.apply(namespace, charge, 1);
  }

  deletePod(namespace: string, name: string): void {
    const inNs = this.pods.get(namespace);
    const prev = inNs?.get(name);
    if (inNs === undefined || prev === undefined) return;
    inNs.delete(name);
    if (inNs.size === 0) this.pods.delete(namespace);
    if (name.includes("/")) this.objects--;
    else this.count--;
    this.apply(namespace, prev, -1);
  }

  /** The namespace's owner changed (label edit, namespace created after its pods were read). */
  namespaceMoved(namespace: string, from: string | undefined, to: string | undefined): void {
    if (from === to) return;
    const used = this.perNamespace.get(namespace);
    if (used === undefined) return;
    if (from !== undefined) addMap(this.tenantTotals(from), used, -1);
    if (to !== undefined) addMap(this.tenantTotals(to), used, 1);
  }

  tenantUsage(tenant: string): Usage {
    return this.perTenant.get(tenant) ?? NONE;
  }

  namespaceUsage(namespace: string): Usage {
    return this.perNamespace.get(namespace) ?? NONE;
  }

  /** Whether this pod is counted (the informer has it, running or pending). */
  has(namespace: string, name: string): boolean {
    return this.pods.get(namespace)?.has(name) === true;
  }

  /** Pods in storage (terminal ones count count/pods only). */
  size(): number {
    return this.count;
  }

  /** Counted objects of the object-count keys (count/<resource>.<group>). */
  objectCount(): number {
    return this.objects;
  }

  private tenantTotals(tenant: string): Map<string, number> {
    let t = this.perTenant.get(tenant);
    if (t === undefined) this.perTenant.set(tenant, (t = new Map()));
    return t;
  }

  private apply(namespace: string, c: PodCharge, sign: 1 | -1): void {
    let ns = this.perNamespace.get(namespace);
    if (ns === undefined) this.perNamespace.set(namespace, (ns = new Map()));
    addInto(ns, c, sign);
    if (ns.size === 0) this.perNamespace.delete(namespace);
    const tenant = this.tenantOf(namespace);
    if (tenant !== undefined) addInto(this.tenantTotals(tenant), c, sign);
  }
}
