import { describe, expect, it } from "vitest";
import {
  SECRET_SA_TOKEN_CODE,
  secretSaTokenRule as rule,
} from "../../../../src/policy/rules/secret-sa-token.ts";
import type { JsonRecord } from "../../../../src/k8s/access.ts";
import { ALICE, codes, request, run, worldView } from "./world.ts";

function secret(
  namespace: string,
  type: unknown,
  annotations: unknown,
  operation: "CREATE" | "UPDATE" = "CREATE",
) {
  const object: JsonRecord = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: "tok", namespace, annotations },
    type,
  };
  return request({
    resource: "secrets",
    kind: "Secret",
    namespace,
    name: "tok",
    operation,
    who: ALICE,
    object,
    oldObject: operation === "UPDATE" ? object : undefined,
  });
}
const T = "kubernetes.io/service-account-token";
const SA = "kubernetes.io/service-account.name";

describe(SECRET_SA_TOKEN_CODE, () => {
  it.each([
    [
      "token for an SA labelled for beta in alpha's namespace",
      secret("alpha", T, { [SA]: "beta-sync" }),
      true,
    ],
    ["same on UPDATE", secret("alpha", T, { [SA]: "beta-sync" }, "UPDATE"), true],
    ["token in an unowned namespace for an unlabelled SA", secret("shared", T, { [SA]: "tool" }), false],
    ["token for an alpha SA", secret("alpha", T, { [SA]: "trainer" }), false],
    ["token for a not-yet-existing SA (namespace's tenant)", secret("alpha", T, { [SA]: "new" }), false],
    ["token in gamma for an SA of gamma", secret("gamma", T, { [SA]: "inference" }), false],
    ["Opaque secret with the annotation", secret("alpha", "Opaque", { [SA]: "beta-sync" }), false],
    ["token without the annotation", secret("alpha", T, {}), false],
    ["annotations of the wrong type", secret("alpha", T, "beta-sync"), false],
    ["annotation value of the wrong type", secret("alpha", T, { [SA]: 7 }), false],
    ["type of the wrong type", secret("alpha", [T], { [SA]: "beta-sync" }), false],
  ] as const)("%s", (_name, req, denied) => {
    expect(codes(run(rule, req))).toEqual(denied ? [SECRET_SA_TOKEN_CODE] : []);
  });

  const labelledSa = (namespace: string, name: string, tenant: string): JsonRecord => ({
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name, namespace, labels: { "tenant-guard.dev/tenant": tenant } },
  });

  it("follows sharedWith: allowed when the SA's tenant shares with the secret's, not the other way", () => {
    const v = worldView([
      labelledSa("gamma", "beta-helper", "beta"),
      labelledSa("beta", "gamma-helper", "gamma"),
    ]);
    expect(run(rule, secret("gamma", T, { [SA]: "beta-helper" }), { view: v })).toEqual([]);
    expect(codes(run(rule, secret("beta", T, { [SA]: "gamma-helper" }), { view: v }))).toEqual([
      SECRET_SA_TOKEN_CODE,
    ]);
  });

  it("denies a token in an unowned namespace for an SA labelled for a tenant", () => {
    const v = worldView([labelledSa("shared", "alpha-bot", "alpha")]);
    const [f] = run(rule, secret("shared", T, { [SA]: "alpha-bot" }), { view: v });
    expect(f?.code).toBe(SECRET_SA_TOKEN_CODE);
    expect(f?.message).toContain(
      '(no tenant) is a token for service account "alpha-bot", which belongs to tenant "alpha"',
    );
  });

  it("names the secret, the service account, both tenants and the annotation", () => {
    const [f] = run(rule, secret("alpha", T, { [SA]: "beta-sync" }));
    expect(f?.message).toBe(
      'secret "tok" in namespace "alpha" (tenant "alpha") is a token for service account "beta-sync", ' +
        'which belongs to tenant "beta"; name a service account of tenant "alpha", or have tenant "beta" ' +
        'share with tenant "alpha" (spec.sharedWith)',
    );
    expect(f?.path).toBe('metadata.annotations["kubernetes.io/service-account.name"]');
  });
});
