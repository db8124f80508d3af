// Registry.forRequest: the candidates for a request's (group, resource, subresource), with rules
// for every request first, each rule once, and the same answer from its per-resource cache.
import { describe, expect, it } from "vitest";
import type { AdmissionRequest } from "../../../src/admission/types.ts";
import { Registry } from "../../../src/policy/registry.ts";
import type { ResourceMatch } from "../../../src/policy/types.ts";

interface Item {
  readonly name: string;
  readonly match: readonly ResourceMatch[] | "*";
  readonly operations: readonly string[];
}

const item = (name: string, match: Item["match"]): Item => ({ name, match, operations: ["CREATE"] });
const req = (group: string, resource: string, subResource = ""): AdmissionRequest =>
  ({ resource: { group, version: "v1", resource }, subResource }) as unknown as AdmissionRequest;
const names = (xs: readonly Item[]): string[] => xs.map((x) => x.name);

describe("Registry.forRequest", () => {
  const everything = item("requester", "*");
  const pods = item("pods", [{ group: "", resource: "pods" }]);
  const podsAndSubs = item("pods-and-subs", [{ group: "", resource: "pods", subresource: "*" }]);
  const ephemeral = item("ephemeral", [{ group: "", resource: "pods", subresource: "ephemeralcontainers" }]);
  const both = item("both", [
    { group: "", resource: "pods" },
    { group: "", resource: "pods", subresource: "*" },
  ]);
  const reg = new Registry<Item>([everything, pods, podsAndSubs, ephemeral, both]);

  it("merges rules for every request, the exact resource and its wildcard, each once", () => {
    expect(names(reg.forRequest(req("", "pods")))).toEqual(["requester", "pods", "both", "pods-and-subs"]);
    expect(names(reg.forRequest(req("", "pods", "ephemeralcontainers")))).toEqual([
      "requester",
      "ephemeral",
      "pods-and-subs",
      "both",
    ]);
    expect(names(reg.forRequest(req("apps", "deployments")))).toEqual(["requester"]);
  });

  it("gives the same answer again (from its cache) and keeps resources apart", () => {
    const first = reg.forRequest(req("", "pods", "status"));
    expect(names(first)).toEqual(["requester", "pods-and-subs", "both"]);
    expect(reg.forRequest(req("", "pods", "status"))).toBe(first);
    expect(names(reg.forRequest(req("", "pods")))).not.toEqual(names(first));
  });

  it("without rules for every request, returns the exact list or nothing", () => {
    const plain = new Registry<Item>([pods]);
    expect(names(plain.forRequest(req("", "pods")))).toEqual(["pods"]);
    expect(plain.forRequest(req("", "secrets"))).toEqual([]);
  });
});
