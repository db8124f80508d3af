import { describe, expect, it } from "vitest";
import {
  mayActFor,
  parseServiceAccountGroup,
  parseServiceAccountUser,
  resolveRequester,
} from "../../../src/policy/requester.ts";
import { settings, worldView } from "./rules/world.ts";

const view = worldView();
const defaults = settings();

function who(username: string, groups: string[] = ["system:authenticated"], s = defaults) {
  const r = resolveRequester({ username, groups }, view, s);
  return { exempt: r.exempt, tenants: [...r.tenants].sort() };
}

describe("resolveRequester", () => {
  it.each([
    // [case, username, groups, exempt, tenants]
    ["tenant owner user", "alice", [], false, ["alpha"]],
    ["owner group", "someone", ["beta-devs"], false, ["beta"]],
    ["owner user and group of two tenants", "alice", ["beta-devs"], false, ["alpha", "beta"]],
    ["service account listed as owner", "system:serviceaccount:alpha-ci:deployer", [], false, ["alpha"]],
    ["service account of a tenant namespace", "system:serviceaccount:gamma:inference", [], false, ["gamma"]],
    ["unknown service account of a tenant namespace", "system:serviceaccount:beta:new", [], false, ["beta"]],
    [
      "SA labelled for another tenant counts for it",
      "system:serviceaccount:alpha:beta-sync",
      [],
      false,
      ["beta"],
    ],
    ["SA group maps to its namespace's tenant", "x", ["system:serviceaccounts:beta"], false, ["beta"]],
    ["SA of an unowned namespace", "system:serviceaccount:shared:tool", [], false, []],
    ["user of no tenant", "dave", [], false, []],
    ["universal groups say nothing", "dave", ["system:serviceaccounts", "system:authenticated"], false, []],
    ["system:masters", "alice", ["system:masters"], true, []],
    ["kubelet", "system:node:gpu-1", ["system:nodes"], true, []],
    ["controller manager", "system:kube-controller-manager", [], true, []],
    ["scheduler", "system:kube-scheduler", [], true, []],
    ["controller SA in kube-system", "system:serviceaccount:kube-system:namespace-controller", [], true, []],
    ["tenant-guard's own SA", "system:serviceaccount:tenant-guard-system:tenant-guard", [], true, []],
    ["system:anonymous is no component", "system:anonymous", ["system:unauthenticated"], false, []],
    ["node name without the nodes group is no kubelet", "system:node:fake", [], false, []],
    ["malformed SA name is neither exempt nor a tenant", "system:serviceaccount:alpha", [], false, []],
  ] as const)("%s", (_case, username, groups, exempt, tenants) => {
    expect(who(username, [...groups])).toEqual({ exempt, tenants });
  });

  it("honours configured exempt users and groups", () => {
    const s = settings({ requesters: { exemptUsers: ["alice"], exemptGroups: ["platform-admins"] } });
    expect(who("alice", [], s)).toEqual({ exempt: true, tenants: [] });
    expect(who("bob", ["platform-admins"], s)).toEqual({ exempt: true, tenants: [] });
    expect(who("bob", [], s)).toEqual({ exempt: false, tenants: ["beta"] });
  });

  it("treats service accounts of configured exempt namespaces as components", () => {
    const s = settings({ tenancy: { exemptNamespaces: ["gamma"] } });
    expect(who("system:serviceaccount:gamma:inference", [], s).exempt).toBe(true);
  });

  it("never resolves prototype keys as owners", () => {
    expect(who("constructor", ["__proto__", "toString"])).toEqual({ exempt: false, tenants: [] });
  });
});

describe("parsers", () => {
  it.each([
    ["system:serviceaccount:ns:name", ["ns", "name"]],
    ["system:serviceaccount:ns:", undefined],
    ["system:serviceaccount::name", undefined],
    ["system:serviceaccount:a:b:c", undefined],
    ["alice", undefined],
  ] as const)("parseServiceAccountUser(%s)", (u, want) => {
    expect(parseServiceAccountUser(u)).toEqual(want);
  });

  it.each([
    ["system:serviceaccounts:beta", "beta"],
    ["system:serviceaccounts:", undefined],
    ["system:serviceaccounts", undefined],
    ["system:serviceaccounts:a:b", undefined],
  ] as const)("parseServiceAccountGroup(%s)", (g, want) => {
    expect(parseServiceAccountGroup(g)).toBe(want);
  });
});

describe("mayActFor", () => {
  it.each([
    [["alpha"], "alpha", true],
    [["beta"], "alpha", false],
    [["gamma"], "beta", true], // beta shares with gamma
    [["beta"], "gamma", false], // sharing is one way
    [["alpha", "gamma"], "beta", true],
    [[], "alpha", false],
    [["gamma"], "unknown-tenant", false],
  ] as const)("%j in %s -> %s", (actors, target, want) => {
    expect(mayActFor(new Set(actors), target, view)).toBe(want);
  });
});
