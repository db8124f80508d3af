// A small world for the isolation rule tests: three tenants, their namespaces, service accounts
// and secrets, built with the real index (buildIndexFromObjects) and the real config defaults, so a
// rule sees exactly what it sees in the server. `run` drives one rule through the engine's own
// buildContext (real requester resolution) and returns its findings.
import { buildConfig } from "../../../../src/policy/config.ts";
import { TENANT_LABEL, namespaceObject, namespacedObject, tenantObject } from "../../../support/objects.ts";
import { policySettings } from "../../../../src/policy/settings.ts";
import type { AdmissionRequest, Operation } from "../../../../src/admission/types.ts";
import type { JsonRecord } from "../../../../src/k8s/access.ts";
import { buildContext } from "../../../../src/policy/engine.ts";
import type { Finding, PolicySettings, Rule } from "../../../../src/policy/types.ts";
import { buildIndexFromObjects } from "../../../../src/tenancy/build.ts";
import type { TenantView } from "../../../../src/tenancy/view.ts";

export const LABEL = TENANT_LABEL;

const tenant = tenantObject;
const ns = namespaceObject;
const obj = namespacedObject;

export const WORLD: readonly JsonRecord[] = [
  tenant("alpha", {
    owners: [
      { kind: "User", name: "alice" },
      { kind: "Group", name: "alpha-devs" },
      { kind: "ServiceAccount", name: "system:serviceaccount:alpha-ci:deployer" },
    ],
    cloudIdentities: ["arn:aws:iam::111:role/alpha-*", "alpha-*@proj.iam.gserviceaccount.com"],
  }),
  tenant("beta", {
    owners: [
      { kind: "User", name: "bob" },
      { kind: "Group", name: "beta-devs" },
    ],
    cloudIdentities: ["arn:aws:iam::111:role/beta-*"],
    sharedWith: ["gamma"],
  }),
  tenant("gamma", { owners: [{ kind: "User", name: "carol" }] }),
  ns("alpha", "alpha"),
  ns("alpha-ci", "alpha"),
  ns("beta", "beta"),
  ns("gamma", "gamma"),
  ns("shared"),
  ns("kube-system"),
  obj("ServiceAccount", "alpha", "trainer"),
  obj("ServiceAccount", "alpha-ci", "deployer"),
  obj("ServiceAccount", "alpha", "beta-sync", "beta"),
  obj("ServiceAccount", "beta", "notebook"),
  obj("ServiceAccount", "gamma", "inference"),
  obj("ServiceAccount", "shared", "tool"),
  obj("Secret", "alpha", "alpha-registry"),
  obj("Secret", "alpha", "beta-creds", "beta"),
  obj("Secret", "alpha", "gamma-creds", "gamma"),
  obj("Secret", "beta", "beta-registry"),
  obj("Secret", "shared", "alpha-in-shared", "alpha"),
];

let shared: TenantView | undefined;

/** The world's view (built once), or a fresh one with extra objects. */
export function worldView(extra: readonly JsonRecord[] = []): TenantView {
  if (extra.length > 0) return buildIndexFromObjects([...WORLD, ...extra], LABEL);
  return (shared ??= buildIndexFromObjects(WORLD, LABEL));
}

export function settings(overrides: JsonRecord = {}): PolicySettings {
  return policySettings(buildConfig(undefined, overrides));
}

export interface Who {
  readonly username: string;
  readonly groups?: readonly string[];
}

export const ALICE: Who = { username: "alice", groups: ["alpha-devs", "system:authenticated"] };
export const BOB: Who = { username: "bob", groups: ["beta-devs", "system:authenticated"] };
export const CAROL: Who = { username: "carol", groups: ["system:authenticated"] };
export const NOBODY: Who = { username: "dave", groups: ["system:authenticated"] };
export const ADMIN: Who = {
  username: "kubernetes-admin",
  groups: ["system:masters", "system:authenticated"],
};
export const KUBELET: Who = {
  username: "system:node:gpu-1",
  groups: ["system:nodes", "system:authenticated"],
};
export const KCM: Who = { username: "system:kube-controller-manager", groups: ["system:authenticated"] };
export function sa(namespace: string, name: string): Who {
  return {
    username: `system:serviceaccount:${namespace}:${name}`,
    groups: ["system:serviceaccounts", `system:serviceaccounts:${namespace}`, "system:authenticated"],
  };
}

export interface Req {
  readonly group?: string;
  readonly resource: string;
  readonly kind: string;
  readonly subResource?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly operation?: Operation;
  readonly who?: Who;
  readonly object?: JsonRecord;
  readonly oldObject?: JsonRecord;
}

export function request(r: Req): AdmissionRequest {
  const group = r.group ?? "";
  return {
    uid: "test-uid",
    kind: { group, version: "v1", kind: r.kind },
    resource: { group, version: "v1", resource: r.resource },
    subResource: r.subResource ?? "",
    name: r.name ?? "",
    namespace: r.namespace ?? "",
    operation: r.operation ?? "CREATE",
    userInfo: { username: (r.who ?? NOBODY).username, groups: [...((r.who ?? NOBODY).groups ?? [])] },
    object: r.object,
    oldObject: r.oldObject,
    dryRun: false,
  };
}

/** Runs one rule the way the engine does (operation filter included) and returns its findings. */
export function run(
  rule: Rule,
  req: AdmissionRequest,
  opts: { view?: TenantView; settings?: PolicySettings } = {},
): Finding[] {
  const out: Finding[] = [];
  if (!rule.operations.includes(req.operation)) return out;
  rule.check(buildContext(req, opts.view ?? worldView(), opts.settings ?? settings()), out);
  return out;
}

/** The codes of findings, for compact table assertions. */
export function codes(findings: readonly Finding[]): string[] {
  return findings.map((f) => f.code);
}
