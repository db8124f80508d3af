// TG-ROUTE-CROSS-TENANT as a property, through the real engine and catalogue: in every Gateway API
// kind the rule judges, a reference that names another tenant's namespace is denied wherever it
// sits under spec (any nesting of fields and lists, a field added by a later release included), at
// that reference's own path; the same reference into the object's own namespace, a namespace no
// tenant owns, or a tenant that shares with this one is not a finding.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { JsonRecord } from "../../../../src/k8s/access.ts";
import { GATEWAY_RESOURCES } from "../../../../src/policy/rules/gateway-api.ts";
import { buildEngine } from "./engine-support.ts";
import { ALICE, request, worldView } from "./world.ts";

const CODE = "TG-ROUTE-CROSS-TENANT";
const engine = buildEngine();
const view = worldView();

/** Field names real references sit under, and names no release has used yet. */
const FIELD = fc.constantFrom(
  "parentRefs",
  "parentRef",
  "rules",
  "filters",
  "backendRefs",
  "backendRef",
  "requestMirror",
  "externalAuth",
  "listeners",
  "tls",
  "certificateRefs",
  "frontend",
  "validation",
  "caCertificateRefs",
  "clientCertificateRef",
  "someFutureField",
  "x",
);

type Step = { readonly field: string; readonly index: number | undefined };
/** A path under spec: each step a field, then maybe a list index. */
const PATH = fc.array(fc.record({ field: FIELD, index: fc.option(fc.nat({ max: 2 }), { nil: undefined }) }), {
  minLength: 1,
  maxLength: 5,
});

/** spec with `ref` placed at `steps` (lists padded with empty entries), and the ref's dotted path. */
function place(steps: readonly Step[], ref: JsonRecord): { spec: JsonRecord; path: string } {
  const spec: JsonRecord = {};
  let at: JsonRecord = spec;
  let path = "spec";
  steps.forEach((s, i) => {
    const last = i === steps.length - 1;
    const child: JsonRecord = last ? ref : {};
    if (s.index === undefined) {
      at[s.field] = child;
      path += `.${s.field}`;
    } else {
      at[s.field] = [...Array.from({ length: s.index }, () => ({})), child];
      path += `.${s.field}[${s.index}]`;
    }
    at = child;
  });
  return { spec, path: `${path}.namespace` };
}

function decideCreate(resource: string, spec: JsonRecord) {
  return engine.decide(
    request({
      group: "gateway.networking.k8s.io",
      resource,
      kind: "Whatever",
      namespace: "alpha",
      name: "obj",
      who: ALICE,
      object: {
        apiVersion: "gateway.networking.k8s.io/v1",
        kind: "Whatever",
        metadata: { name: "obj", namespace: "alpha" },
        spec,
      },
    }),
    view,
  );
}

const RESOURCES = GATEWAY_RESOURCES.map((m) => m.resource);

describe("Gateway API references into another tenant (property)", () => {
  it("covers Gateways, ListenerSets and the five route kinds", () => {
    expect(RESOURCES).toEqual(
      expect.arrayContaining([
        "gateways",
        "listenersets",
        "httproutes",
        "grpcroutes",
        "tlsroutes",
        "tcproutes",
        "udproutes",
      ]),
    );
  });

  it("a reference into another tenant's namespace is denied at its own path, wherever it sits", () => {
    fc.assert(
      fc.property(fc.constantFrom(...RESOURCES), PATH, (resource, steps) => {
        const { spec, path } = place(steps, { name: "target", namespace: "beta" });
        const d = decideCreate(resource, spec);
        expect(d.allowed).toBe(false);
        expect(d.findings.filter((f) => f.code === CODE).map((f) => f.path)).toEqual([path]);
      }),
      { numRuns: 300 },
    );
  });

  it("the same reference into its own namespace, an unowned one, or none at all is not a finding", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...RESOURCES),
        PATH,
        fc.constantFrom<JsonRecord>(
          { name: "target", namespace: "alpha" },
          { name: "target", namespace: "shared" },
          { name: "target" },
        ),
        (resource, steps, ref) => {
          const d = decideCreate(resource, place(steps, ref).spec);
          expect(d.findings.filter((f) => f.code === CODE)).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
