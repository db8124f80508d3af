// Label ownership as a property, through the real engine and catalogue: for every kind tenant-guard
// treats as labelled (the plain kinds plus every pod-template kind of the workload table), an UPDATE
// that moves an object's tenant label away from the tenant it names, or removes it, is denied to a
// non-admin and allowed to an exempt admin; an update that only drops finalizers is never blocked by
// a content rule.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { JsonRecord } from "../../../../src/k8s/access.ts";
import { LABELLED_RESOURCES } from "../../../../src/policy/rules/tenant-label.ts";
import { DEFAULT_WORKLOADS } from "../../../../src/policy/workloads/settings.ts";
import { buildEngine } from "./engine-support.ts";
import { ADMIN, ALICE, BOB, CAROL, KCM, LABEL, NOBODY, request, sa, worldView, type Who } from "./world.ts";

interface Kind {
  readonly group: string;
  readonly resource: string;
  readonly kind: string;
}

const KIND_OF: Readonly<Record<string, string>> = {
  pods: "Pod",
  secrets: "Secret",
  serviceaccounts: "ServiceAccount",
  configmaps: "ConfigMap",
  persistentvolumeclaims: "PersistentVolumeClaim",
};
const KINDS: readonly Kind[] = [
  ...LABELLED_RESOURCES.map((m) => ({
    group: m.group,
    resource: m.resource,
    kind: KIND_OF[m.resource] ?? "",
  })),
  ...[...DEFAULT_WORKLOADS.kinds.values()].map((k) => ({
    group: k.group,
    resource: k.resource,
    kind: k.kind,
  })),
];
const TENANTS = ["alpha", "beta", "gamma"] as const;
/** Namespace -> its tenant in the unit world (shared: none). */
const NAMESPACES: Readonly<Record<string, string | undefined>> = {
  alpha: "alpha",
  "alpha-ci": "alpha",
  beta: "beta",
  gamma: "gamma",
  shared: undefined,
};
const TENANT_IDENTITIES: readonly Who[] = [
  ALICE,
  BOB,
  CAROL,
  NOBODY,
  sa("alpha-ci", "deployer"),
  sa("beta", "notebook"),
  sa("shared", "tool"),
];
const EXEMPT: readonly Who[] = [ADMIN, KCM, sa("kube-system", "generic-garbage-collector")];

const engine = buildEngine();
const view = worldView();

function object(k: Kind, ns: string, tenant: string | undefined, extra: JsonRecord): JsonRecord {
  const labels: Record<string, string> = { app: "x" };
  if (tenant !== undefined) labels[LABEL] = tenant;
  return {
    apiVersion: k.group === "" ? "v1" : `${k.group}/v1`,
    kind: k.kind,
    metadata: { name: "obj", namespace: ns, uid: "u-1", resourceVersion: "7", labels, ...extra },
    spec: {},
  };
}

/** An object of a labelled kind whose label names a tenant other than its namespace's. */
const foreignObject = fc
  .record({
    kind: fc.constantFrom(...KINDS),
    ns: fc.constantFrom(...Object.keys(NAMESPACES)),
    owner: fc.constantFrom(...TENANTS),
    annotations: fc.dictionary(fc.constantFrom("a", "b", "note"), fc.string({ maxLength: 8 }), {
      maxKeys: 2,
    }),
  })
  .filter(({ ns, owner }) => NAMESPACES[ns] !== owner);

/** Where the label goes: another tenant, removed, or emptied. */
const newLabel = (owner: string) =>
  fc.oneof(fc.constantFrom(...TENANTS.filter((t) => t !== owner)), fc.constant(undefined), fc.constant(""));

function decideUpdate(who: Who, k: Kind, ns: string, obj: JsonRecord, old: JsonRecord) {
  return engine.decide(
    request({
      group: k.group,
      resource: k.resource,
      kind: k.kind,
      namespace: ns,
      name: "obj",
      operation: "UPDATE",
      who,
      object: obj,
      oldObject: old,
    }),
    view,
  );
}

/** Such an object, and where an update moves its label. */
const labelMove = foreignObject.chain((o) => fc.record({ o: fc.constant(o), to: newLabel(o.owner) }));

function decideMove(
  {
    o,
    to,
  }: { o: { kind: Kind; ns: string; owner: string; annotations: JsonRecord }; to: string | undefined },
  who: Who,
) {
  const meta = { annotations: o.annotations };
  return decideUpdate(who, o.kind, o.ns, object(o.kind, o.ns, to, meta), object(o.kind, o.ns, o.owner, meta));
}

describe("label ownership (property)", () => {
  it("covers every plain kind and every pod-template kind", () => {
    expect(KINDS.every((k) => k.kind !== "")).toBe(true);
    expect(KINDS.map((k) => k.resource)).toEqual(
      expect.arrayContaining([
        "secrets",
        "serviceaccounts",
        "podtemplates",
        "pytorchjobs",
        "rayclusters",
        "workflows",
      ]),
    );
  });

  it("a non-admin moving or removing another tenant's label is denied, naming that tenant", () => {
    fc.assert(
      fc.property(labelMove, fc.constantFrom(...TENANT_IDENTITIES), (move, who) => {
        const d = decideMove(move, who);
        expect(d.allowed).toBe(false);
        expect(d.findings).toContainEqual(
          expect.objectContaining({ code: "TG-TENANT-LABEL-CHANGE", victim: move.o.owner, mode: "Enforce" }),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("an exempt admin or controller may move or remove it", () => {
    fc.assert(
      fc.property(labelMove, fc.constantFrom(...EXEMPT), (move, who) => {
        const d = decideMove(move, who);
        expect(d.findings).toEqual([]);
        expect(d.allowed).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("an update that only drops finalizers is blocked by no content rule", () => {
    fc.assert(
      fc.property(
        foreignObject,
        fc.constantFrom(...TENANT_IDENTITIES, ...EXEMPT),
        fc.subarray(["kubernetes.io/pvc-protection", "foregroundDeletion", "example.com/cleanup"], {
          minLength: 1,
        }),
        fc.boolean(),
        (o, who, finalizers, terminating) => {
          const when = terminating ? { deletionTimestamp: "2026-11-24T09:00:00Z" } : {};
          const old = object(o.kind, o.ns, o.owner, { ...when, finalizers });
          const obj = object(o.kind, o.ns, o.owner, {
            ...when,
            finalizers: finalizers.slice(1),
            resourceVersion: "8",
          });
          const d = decideUpdate(who, o.kind, o.ns, obj, old);
          // Only who is asking can still matter: a tenant identity writing in another tenant's namespace.
          expect(d.findings.map((f) => f.code).filter((c) => c !== "TG-REQUESTER-CROSS-TENANT")).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
