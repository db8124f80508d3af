import { describe, expect, it } from "vitest";
import {
  checkRegistries,
  imageAllowed,
  matchesPrefix,
  normaliseImage,
} from "../../../../src/policy/pod/registries.ts";
import { c, run } from "./world.ts";

describe("normaliseImage", () => {
  it.each([
    ["nginx", "docker.io/library/nginx"],
    ["nginx:1.27", "docker.io/library/nginx:1.27"],
    ["bitnami/redis:7", "docker.io/bitnami/redis:7"],
    ["docker.io/nginx", "docker.io/library/nginx"],
    ["index.docker.io/bitnami/redis", "docker.io/bitnami/redis"],
    ["localhost/app", "localhost/app"],
    ["localhost:5000/app", "localhost:5000/app"],
    ["Registry.Example.com/alpha/app", "registry.example.com/alpha/app"],
    ["ghcr.io/org/app@sha256:abc", "ghcr.io/org/app@sha256:abc"],
  ])("%s -> %s", (image, want) => {
    expect(normaliseImage(image)).toBe(want);
  });
});

describe("prefix matching", () => {
  it.each([
    ["registry.example.com/alpha/app:1", "registry.example.com/alpha/", true],
    ["registry.example.com/alpha-evil/app:1", "registry.example.com/alpha/", false],
    ["registry.example.com/alpha-evil/app:1", "registry.example.com/alpha", false],
    ["registry.example.com/alpha/app:1", "registry.example.com/alpha", true],
    ["docker.io/library/busybox:1.36", "docker.io/library/busybox", true],
    ["docker.io/library/busybox@sha256:1", "docker.io/library/busybox", true],
    ["docker.io/library/busyboxx", "docker.io/library/busybox", false],
    ["ghcr.io.evil.com/x", "ghcr.io", false],
  ])("%s under %s: %s", (image, prefix, want) => {
    expect(matchesPrefix(image, prefix)).toBe(want);
  });

  it("remembers a verdict per allowed list only: another list (a changed Tenant) decides afresh", () => {
    const alpha = ["registry.example.com/alpha/"];
    const beta = ["registry.example.com/beta/"];
    for (let round = 0; round < 2; round++) {
      expect(imageAllowed("registry.example.com/alpha/train:1", alpha)).toBe(true);
      expect(imageAllowed("registry.example.com/alpha/train:1", beta)).toBe(false);
      expect(imageAllowed("registry.example.com/beta/eval:2", beta)).toBe(true);
      expect(imageAllowed("registry.example.com/beta/eval:2", alpha)).toBe(false);
    }
    // An equal but new list (a Tenant re-read from its object) is a new memo, same answers.
    expect(imageAllowed("registry.example.com/alpha/train:1", [...alpha])).toBe(true);
  });

  it("keeps answering right past the memo's bound", () => {
    const allowed = ["ghcr.io/example-org/"];
    for (let i = 0; i < 3000; i++) {
      expect(imageAllowed(`ghcr.io/example-org/img-${i}:1`, allowed)).toBe(true);
      expect(imageAllowed(`ghcr.io/other-org/img-${i}:1`, allowed)).toBe(false);
    }
  });

  it("no list allows any registry", () => {
    expect(imageAllowed("evil.example/x", [])).toBe(true);
  });
});

describe("checkRegistries", () => {
  const G = "TG-POD-REGISTRY";
  it.each([
    ["allowed images", "alpha-ns", { containers: [c(), c({ image: "busybox:1.36" })] }, []],
    [
      "Docker Hub short name outside the list",
      "alpha-ns",
      { containers: [c({ image: "nginx" })] },
      [`${G}@spec.containers[0].image`],
    ],
    [
      "lookalike prefix",
      "alpha-ns",
      { initContainers: [c({ image: "registry.example.com/alpha-evil/x:1" })] },
      [`${G}@spec.initContainers[0].image`],
    ],
    [
      "ephemeral debug container",
      "alpha-ns",
      { ephemeralContainers: [c({ image: "nicolaka/netshoot" })] },
      [`${G}@spec.ephemeralContainers[0].image`],
    ],
    ["tenant without a list", "beta-ns", { containers: [c({ image: "anything.example/x" })] }, []],
    ["missing image is left to the API server", "alpha-ns", { containers: [{ name: "x" }] }, []],
    [
      "image volume outside the list",
      "alpha-ns",
      {
        containers: [c()],
        volumes: [
          { name: "cfg", configMap: { name: "cm" } },
          { name: "weights", image: { reference: "registry.example.com/beta/llama:1" } },
          { name: "ok", image: { reference: "registry.example.com/alpha/llama:1" } },
        ],
      },
      [`${G}@spec.volumes[1].image.reference`],
    ],
    [
      "image volume of a tenant without a list",
      "beta-ns",
      { volumes: [{ name: "w", image: { reference: "anything.example/x" } }] },
      [],
    ],
  ])("%s", (_name, ns, spec, want) => {
    expect(run(checkRegistries, ns, spec)).toEqual(want);
  });
});
