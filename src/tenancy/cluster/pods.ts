// The pods informer's part (spec.quota): pods are listed and watched as full objects (requests are
// in spec), cut down on arrival to their identity and their quota charge (src/quota/charge.ts),
// which pods of one workload share. Images, env, volumes, status and managedFields never reach
// the cache; a Succeeded or Failed pod keeps only count/pods. A pod stuck terminating (a lost node)
// stops counting at the end of its deletion grace period, when no event may come: a timer re-sets
// its charge then (QuotaV1Pod's clock check).
import { own, rec, str } from "../../k8s/access.ts";
import { chargeOfPod, graceEnd, STORED_ONLY, type PodCharge } from "../../quota/charge.ts";
import type { TenantIndex } from "../tenant-index.ts";
import type { Handlers } from "./handlers.ts";
import type { Interner, SlimObject, Slimmer } from "./slim.ts";

export type SlimPod = SlimObject & {
  readonly charge: PodCharge;
  /** When a terminating pod that still counts stops counting (ms since the epoch). */
  readonly graceEnd?: number;
};

export function slimPod(interner: Interner): Slimmer {
  return (obj): SlimPod => {
    const o = rec(obj) ?? {};
    const md = rec(own(o, "metadata"));
    const ns = str(own(md, "namespace")) ?? "";
    const charge = chargeOfPod(o);
    const end = charge === STORED_ONLY ? undefined : graceEnd(o);
    return {
      metadata: {
        name: str(own(md, "name")) ?? "",
        namespace: interner.intern(ns),
        resourceVersion: str(own(md, "resourceVersion")),
      },
      charge,
      ...(end !== undefined ? { graceEnd: end } : {}),
    };
  };
}

const MAX_DELAY = 2 ** 31 - 1;

export function podHandlers(index: TenantIndex, now: () => number = Date.now): Handlers {
  const timers = new Map<string, NodeJS.Timeout>();
  const cancel = (key: string): void => {
    clearTimeout(timers.get(key));
    timers.delete(key);
  };
  const upsert = (o: SlimObject): void => {
    const ns = o.metadata.namespace ?? "";
    const name = o.metadata.name;
    const key = `${ns}/${name}`;
    const p = o as Partial<SlimPod>;
    cancel(key);
    index.setPodCharge(ns, name, p.charge);
    if (p.graceEnd !== undefined) schedule(key, ns, name, p.graceEnd);
  };
  // Past the grace period the pod holds nothing but its place in storage. setTimeout fires at once
  // past 2^31-1 ms, so a longer grace is waited for in steps.
  const schedule = (key: string, ns: string, name: string, end: number): void => {
    const t = setTimeout(
      () => {
        timers.delete(key);
        if (now() <= end) schedule(key, ns, name, end);
        else index.setPodCharge(ns, name, STORED_ONLY);
      },
      Math.min(MAX_DELAY, Math.max(0, end - now()) + 1),
    );
    t.unref();
    timers.set(key, t);
  };
  return {
    onAdd: upsert,
    onUpdate: upsert,
    onDelete: (o) => {
      cancel(`${o.metadata.namespace ?? ""}/${o.metadata.name}`);
      index.deletePod(o.metadata.namespace ?? "", o.metadata.name);
    },
  };
}
