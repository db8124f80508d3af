// The pods informer's part (spec.quota): pods are listed and watched as full objects (requests are
// in spec), cut down on arrival to their identity and their quota charge (src/quota/charge.ts),
// which pods of one workload share. Images, env, volumes, status and managedFields never reach
// the cache; a Succeeded or Failed pod keeps no charge.
import { own, rec, str } from "../../k8s/access.ts";
import { chargeOfPod, type PodCharge } from "../../quota/charge.ts";
import type { TenantIndex } from "../tenant-index.ts";
import type { Handlers } from "./handlers.ts";
import type { Interner, SlimObject, Slimmer } from "./slim.ts";

export type SlimPod = SlimObject & { readonly charge: PodCharge | undefined };

export function slimPod(interner: Interner): Slimmer {
  return (obj): SlimPod => {
    const o = rec(obj) ?? {};
    const md = rec(own(o, "metadata"));
    const ns = str(own(md, "namespace")) ?? "";
    return {
      metadata: {
        name: str(own(md, "name")) ?? "",
        namespace: interner.intern(ns),
        resourceVersion: str(own(md, "resourceVersion")),
      },
      charge: chargeOfPod(o),
    };
  };
}

export function podHandlers(index: TenantIndex): Handlers {
  const upsert = (o: SlimObject): void =>
    index.setPodCharge(o.metadata.namespace ?? "", o.metadata.name, (o as Partial<SlimPod>).charge);
  return {
    onAdd: upsert,
    onUpdate: upsert,
    onDelete: (o) => index.deletePod(o.metadata.namespace ?? "", o.metadata.name),
  };
}
