// The host-claim informers keep no cache: the index is their store. A relist (410 Gone) must still
// remove the claims of objects deleted while the watch was down, a failed relist must change
// nothing, and watch events must index and unindex claims.
import type { Watch } from "@kubernetes/client-node";
import { describe, expect, it } from "vitest";
import { CompactListWatch } from "../../../src/tenancy/cluster/compact-list-watch.ts";
import { hostClaimStore, slimHostClaim } from "../../../src/tenancy/cluster/host-claims.ts";
import { Interner, type SlimObject } from "../../../src/tenancy/cluster/slim.ts";
import { TenantIndex } from "../../../src/tenancy/tenant-index.ts";

const slim = slimHostClaim("Ingress", new Interner());
const ingress = (ns: string, name: string, host: string, rv = "1"): SlimObject =>
  slim({
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: { name, namespace: ns, resourceVersion: rv, creationTimestamp: "2026-01-01T00:00:00Z" },
    spec: { rules: [{ host }] },
  });

function scriptedWatch(): {
  watch: Watch;
  send: (phase: string, obj: SlimObject) => void;
  end: (err: unknown) => void;
} {
  let onEvent: ((phase: string, obj: unknown) => void) | undefined;
  let done: ((err: unknown) => void) | undefined;
  const watch = {
    watch: async (
      _p: string,
      _q: unknown,
      cb: (phase: string, obj: unknown) => void,
      d: (err: unknown) => void,
    ) => {
      onEvent = cb;
      done = d;
      return new AbortController();
    },
  } as unknown as Watch;
  return { watch, send: (phase, obj) => onEvent?.(phase, obj), end: (err) => done?.(err) };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("host-claim informer with the index as its cache", () => {
  it("indexes listed and watched claims and drops what a relist no longer lists", async () => {
    const index = new TenantIndex("tenant-guard.dev/tenant");
    const { watch, send, end } = scriptedWatch();
    let items = [ingress("a", "x", "x.example.com"), ingress("b", "y", "y.example.com")];
    let fail = false;
    const lw = new CompactListWatch(
      "/apis/networking.k8s.io/v1/ingresses",
      watch,
      async (onItems) => {
        if (fail) throw new Error("list failed");
        onItems(items);
        return "100";
      },
      (o) => o,
      hostClaimStore(index, "Ingress"),
    );
    const deleted: string[] = [];
    lw.on("delete", (o: SlimObject) => deleted.push(`${o.metadata.namespace}/${o.metadata.name}`));
    lw.on("error", () => {});
    await lw.start();
    expect(index.hostClaim("Ingress", "a", "x")?.hosts).toEqual(["x.example.com"]);
    expect(lw.get("y", "b")).toBeDefined();

    // Watch events: a new object, a host change, a deletion.
    send("ADDED", ingress("c", "z", "z.example.com", "101"));
    send("MODIFIED", ingress("a", "x", "x2.example.com", "102"));
    expect(index.hostClaim("Ingress", "c", "z")?.hosts).toEqual(["z.example.com"]);
    expect(index.hostClaim("Ingress", "a", "x")?.hosts).toEqual(["x2.example.com"]);
    send("DELETED", ingress("c", "z", "z.example.com", "103"));
    expect(index.hostClaim("Ingress", "c", "z")).toBeUndefined();
    expect(deleted).toEqual(["c/z"]);

    // The watch goes down; b/y is deleted meanwhile. A failed relist keeps the last state.
    items = [ingress("a", "x", "x2.example.com", "102")];
    fail = true;
    end({ statusCode: 410 });
    await tick();
    expect(index.hostClaim("Ingress", "b", "y")).toBeDefined();

    // The relist succeeds: y's claim is gone from the index (and reported deleted), x's stays.
    fail = false;
    await lw.start();
    expect(index.hostClaim("Ingress", "b", "y")).toBeUndefined();
    expect(lw.get("y", "b")).toBeUndefined();
    expect(index.hostClaim("Ingress", "a", "x")?.hosts).toEqual(["x2.example.com"]);
    expect(deleted).toEqual(["c/z", "b/y"]);
    expect(index.counts().HostClaim).toBe(1);
    await lw.stop();
  });
});
