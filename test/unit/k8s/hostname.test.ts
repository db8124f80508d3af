import { describe, expect, it } from "vitest";
import { compileHostnames, hostAllowed } from "../../../src/k8s/hostname.ts";

const alpha = compileHostnames(["*.alpha.example.com", "alpha.example.com", "api.shared.example.com"]);
const wildOnly = compileHostnames(["*.alpha.example.com"]);

describe("hostAllowed: whole labels, one label per wildcard", () => {
  it.each([
    ["alpha.example.com", alpha, true],
    ["web.alpha.example.com", alpha, true],
    ["WEB.Alpha.example.com", alpha, true],
    ["*.alpha.example.com", alpha, true],
    ["api.shared.example.com", alpha, true],
    ["alpha.example.com", wildOnly, false],
    ["evil-alpha.example.com", wildOnly, false],
    ["a.b.alpha.example.com", wildOnly, false],
    ["*.example.com", wildOnly, false],
    [".alpha.example.com", wildOnly, false],
    ["beta.example.com", alpha, false],
    ["x.api.shared.example.com", alpha, false],
    ["", alpha, false],
  ] as const)("%s -> %s", (host, patterns, want) => {
    expect(hostAllowed(patterns, host)).toBe(want);
  });
});
