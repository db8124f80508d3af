// Every parser a request's data reaches, fed inputs built to make a backtracking parser blow up
// (30,000 digits + "e2.5", "a"*n + "!", runs of the characters a glob's "*" matches, megabytes of
// "/"), at n and 10n. A linear parser takes ~10x as long on 10n; a quadratic one 100x. The bound
// is loose (30x plus a constant, medians of a few runs) so a busy machine does not make it flaky,
// and still far below what a quadratic parser needs.
import { describe, expect, it } from "vitest";
import { decodeReview } from "../../../src/admission/decode.ts";
import { boundAuditAnnotations, boundDenyMessage, isQualifiedName } from "../../../src/admission/limits.ts";
import {
  isContainerResourceName,
  isQualifiedName as isResourceName,
} from "../../../src/k8s/resource-names.ts";
import { parseQuantity } from "../../../src/k8s/quantity.ts";
import { checkPodSpec } from "../../../src/policy/pod/check-pod-spec.ts";
import { key } from "../../../src/policy/pod/paths.ts";
import { imageAllowed, normaliseImage } from "../../../src/policy/pod/registries.ts";
import { quantityValue } from "../../../src/k8s/pod-amounts.ts";
import { checkResources } from "../../../src/policy/pod/resources.ts";
import { parseServiceAccountGroup, parseServiceAccountUser } from "../../../src/policy/requester.ts";
import { TEMPLATE_PATH } from "../../../src/config/schema.ts";
import { storageOwner, withinPrefix } from "../../../src/policy/workloads/model-storage.ts";
import { parseGoDuration } from "../../../src/server/timeout-param.ts";
import { globMatcher } from "../../../src/tenancy/tenant-policy.ts";
import type { Finding } from "../../../src/policy/types.ts";
import { c, scopeFor, view } from "../policy/pod/world.ts";

function median(fn: () => void, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)] as number;
}

/** `use` on make(n) and make(10n): the larger must not take more than ~30x as long. */
function expectLinear<T>(make: (n: number) => T, use: (x: T) => unknown, n: number, runs = 5): void {
  const small = make(n);
  const big = make(10 * n);
  use(small); // warm up the JIT on both sizes first
  use(big);
  const t1 = median(() => use(small), runs);
  const t10 = median(() => use(big), runs);
  expect(t10, `${t1.toFixed(3)} ms at n=${n}, ${t10.toFixed(3)} ms at 10n`).toBeLessThan(30 * t1 + 25);
}

const N = 100_000; // 100 KB strings, then 1 MB; whole bodies 600 KB, then 6 MB

describe("parsers on the request path are linear", () => {
  it("quantities: digits + an exponent with a fraction, long fractions, junk suffixes", () => {
    expectLinear((n) => `${"1".repeat(n)}e2.5`, parseQuantity, N);
    expectLinear((n) => `${"1".repeat(n)}.${"1".repeat(n)}x`, parseQuantity, N);
    expectLinear((n) => `1${"e".repeat(n)}`, quantityValue, N);
    const spec = (n: number) => ({
      containers: [c({ resources: { requests: { cpu: `${"9".repeat(n)}e2.5` } } })],
    });
    expectLinear(spec, (s) => checkResources(scopeFor("alpha-ns"), s, "spec", []), N);
  });

  it("the 30,000-digit quantity is a finding, not an allow", () => {
    const out: Finding[] = [];
    const cpu = `${"1".repeat(30_000)}e2.5`;
    checkResources(
      scopeFor("alpha-ns"),
      { containers: [c({ resources: { limits: { cpu } } })] },
      "spec",
      out,
    );
    expect(out.map((f) => [f.code, f.path])).toEqual([
      ["TG-POD-RESOURCES", "spec.containers[0].resources.limits.cpu"],
    ]);
    expect(out[0]?.message).toContain("is not a valid quantity");
  });

  it("image references: long names, names that almost match an allowed prefix", () => {
    const allowed = ["registry.example.com/alpha/", "docker.io/library/busybox"];
    expectLinear((n) => `${"a".repeat(n)}!`, normaliseImage, N);
    expectLinear(
      (n) => `registry.example.com/${"alpha/".repeat(n / 6)}x:1`,
      (i) => imageAllowed(i, allowed),
      N,
    );
    expectLinear(
      (n) => `${"a.".repeat(n / 2)}/x`,
      (i) => imageAllowed(i, allowed),
      N,
    );
  });

  it("cloud identity globs: values that many placements of each '*' almost match", () => {
    const arn = globMatcher("arn:*:*:role/*");
    expectLinear(
      (n) => `arn:${":".repeat(n)}x`,
      (v) => arn.test(v),
      N,
    );
    const many = globMatcher("*a*a*a*a*a*b");
    expectLinear(
      (n) => "a".repeat(n),
      (v) => many.test(v),
      N,
    );
    expect(arn.test(`arn:${":".repeat(N)}role/x`)).toBe(true);
    expect(many.test("a".repeat(N))).toBe(false);
  });

  it("model storage URIs: megabytes of '/', prefixes that almost match", () => {
    expectLinear(
      (n) => `s3://${"/".repeat(n)}`,
      (u) => storageOwner(view, u),
      N,
    );
    expectLinear(
      (n) => `s3://models/${"beta/".repeat(n / 5)}`,
      (u) => storageOwner(view, u),
      N,
    );
    expectLinear(
      (n) => `s3://models/alpha${"-".repeat(n)}`,
      (u) => withinPrefix(u, "s3://models/alpha/"),
      N,
    );
    expect(storageOwner(view, `s3://models/beta/${"x/".repeat(N)}`)).toBe("beta");
  });

  it("label keys, qualified names, resource names, field path keys", () => {
    expectLinear((n) => `${"a".repeat(n)}!`, isQualifiedName, N);
    expectLinear((n) => `${"a-".repeat(n / 2)}.a/b`, isResourceName, N);
    expectLinear((n) => `${"a.".repeat(n / 2)}/gpu`, isContainerResourceName, N);
    expectLinear(
      (n) => `${"a".repeat(n)}!`,
      (k) => key("spec.x", k),
      N,
    );
    expectLinear(
      (n) => `${"a".repeat(n)}!`,
      (p) => TEMPLATE_PATH.test(p),
      N,
    );
  });

  it("requester names, durations, deny messages and audit annotations", () => {
    expectLinear((n) => `system:serviceaccount:${"a:".repeat(n / 2)}`, parseServiceAccountUser, N);
    expectLinear((n) => `system:serviceaccounts:${"a".repeat(n)}`, parseServiceAccountGroup, N);
    expectLinear((n) => `${"1".repeat(n)}s`, parseGoDuration, N);
    expectLinear(
      (n) => [`${"\u0001".repeat(n)}`],
      (f) => boundDenyMessage("denied: ", f),
      N,
    );
    expectLinear(
      (n) => [["TG-X", "\u0001".repeat(n)] as const],
      (e) => boundAuditAnnotations(e),
      N,
    );
  });

  it("whole bodies: deep nesting, long strings, a hostile pod through every pod check", () => {
    const review = (object: unknown) => ({
      apiVersion: "admission.k8s.io/v1",
      kind: "AdmissionReview",
      request: {
        uid: "u",
        kind: { group: "", version: "v1", kind: "Pod" },
        resource: { group: "", version: "v1", resource: "pods" },
        namespace: "alpha-ns",
        operation: "CREATE",
        userInfo: { username: "alice", groups: [] },
        object,
      },
    });
    const B = 6 * N;
    expectLinear(
      (n) => "[".repeat(n),
      (b) => expect(() => decodeReview(b)).toThrow(),
      B,
      3,
    );
    expectLinear(
      (n) => `${"{".repeat(n)}`,
      (b) => expect(() => decodeReview(b)).toThrow(),
      B,
      3,
    );
    expectLinear((n) => JSON.stringify(review({ metadata: { name: "x".repeat(n) } })), decodeReview, B, 3);
    const hostile = (n: number) => ({
      containers: [
        c({
          image: `${"a".repeat(n / 4)}!`,
          resources: { requests: { cpu: `${"9".repeat(n / 4)}e2.5`, [`${"a.".repeat(n / 8)}/x`]: "1" } },
          env: [{ name: "STORAGE_URI", value: `s3://${"/".repeat(n / 4)}` }],
        }),
      ],
    });
    expectLinear(hostile, (s) => checkPodSpec(scopeFor("alpha-ns"), s, "spec", []), B, 3);
  });
});
