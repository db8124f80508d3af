// Properties of resource defaulting over generated containers and tenant defaults: the patch always
// applies, a second pass is empty, nothing the user set changes, and the result is a container the
// API server accepts (request <= limit; request == limit for GPUs and huge pages).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { JsonRecord } from "../../../../src/k8s/access.ts";
import { parseQuantity } from "../../../../src/k8s/quantity.ts";
import { isOvercommitAllowed } from "../../../../src/k8s/resource-names.ts";
import { mutate, pod, world } from "./support.ts";

const CPU = ["50m", "100m", "250m", "1", "2", "8"];
const MEM = ["128Mi", "256Mi", "1Gi", "4Gi", "64Gi"];
const GPU = ["1", "2", "4"];
const VALUES: Record<string, string[]> = { cpu: CPU, memory: MEM, "nvidia.com/gpu": GPU };
const NAMES = Object.keys(VALUES);

/** Some of the resources, each with a value from its list. */
const someQuantities = fc
  .subarray(NAMES)
  .chain((names) =>
    fc
      .tuple(...names.map((n) => fc.constantFrom(...(VALUES[n] as string[]))))
      .map((vs) => Object.fromEntries(names.map((n, i) => [n, vs[i] as string]))),
  );

/** A container's resources as the API server sends them (its defaulting already ran: limit-only => request = limit). */
const containerResources = fc
  .record({
    requests: someQuantities,
    limits: someQuantities,
    shape: fc.constantFrom("absent", "empty", "maps"),
  })
  .map(({ requests, limits, shape }) => {
    if (shape === "absent") return undefined;
    if (shape === "empty") return {};
    const req: Record<string, string> = { ...requests };
    for (const [n, v] of Object.entries(limits)) if (req[n] === undefined) req[n] = v;
    // Keep only what the API server would accept from a user: request <= limit, GPU request == limit.
    for (const n of Object.keys(req)) {
      const lim = limits[n];
      if (lim === undefined) continue;
      if (!isOvercommitAllowed(n) || (parseQuantity(req[n]) ?? 0) > (parseQuantity(lim) ?? 0)) req[n] = lim;
    }
    return { requests: req, limits };
  });

/** Valid tenant defaults: request <= limit; GPUs only as limit (request follows). */
const tenantDefaults = fc
  .record({ requests: someQuantities, limits: someQuantities })
  .map(({ requests, limits }) => {
    const req: Record<string, string> = {};
    for (const [n, v] of Object.entries(requests)) {
      if (!isOvercommitAllowed(n)) continue;
      const lim = limits[n];
      req[n] = lim !== undefined && (parseQuantity(v) ?? 0) > (parseQuantity(lim) ?? 0) ? lim : v;
    }
    return { requests: req, limits };
  });

describe("resource defaulting properties", () => {
  it("applies, is idempotent, keeps user values and yields a valid container", () => {
    fc.assert(
      fc.property(
        tenantDefaults,
        fc.array(containerResources, { minLength: 1, maxLength: 3 }),
        (defaults, given) => {
          const containers = given.map((r, i) => ({
            name: `c${i}`,
            image: "img",
            ...(r === undefined ? {} : { resources: r }),
          }));
          const m = mutate(world({ podDefaults: { resources: defaults } }), pod({ containers }));
          expect(m.again).toEqual([]);
          const out = (m.pod.spec as { containers: JsonRecord[] }).containers;
          out.forEach((c, i) => {
            const res = (c.resources ?? {}) as {
              requests?: Record<string, string>;
              limits?: Record<string, string>;
            };
            const before = given[i] as
              { requests?: Record<string, string>; limits?: Record<string, string> } | undefined;
            expect(res.requests ?? {}).toMatchObject(before?.requests ?? {});
            expect(res.limits ?? {}).toMatchObject(before?.limits ?? {});
            for (const [n, q] of Object.entries(res.requests ?? {})) {
              const lim = res.limits?.[n];
              if (!isOvercommitAllowed(n)) expect(lim, `${n} limit`).toBe(q);
              else if (lim !== undefined)
                expect(parseQuantity(q)).toBeLessThanOrEqual(parseQuantity(lim) ?? 0);
            }
            const gpuAsked = before?.requests?.["nvidia.com/gpu"] ?? before?.limits?.["nvidia.com/gpu"];
            if (gpuAsked === undefined && defaults.limits["nvidia.com/gpu"] === undefined)
              expect(
                res.requests?.["nvidia.com/gpu"] ?? res.limits?.["nvidia.com/gpu"],
                "GPU nobody asked for",
              ).toBeUndefined();
            for (const n of Object.keys(defaults.limits))
              expect(res.limits?.[n], `default limit ${n}`).toBeDefined();
            for (const n of Object.keys(defaults.requests))
              expect(res.requests?.[n], `default request ${n}`).toBeDefined();
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});
