import { describe, expect, it } from "vitest";
import type { Finding } from "../../../../src/policy/types.ts";
import {
  checkContainerStorageEnv,
  checkStorageSpec,
  checkStorageUri,
  storageSpecUri,
  storageOwner,
  withinPrefix,
} from "../../../../src/policy/workloads/model-storage.ts";
import { scopeFor, view } from "../pod/world.ts";

function check(ns: string, uri: string): string[] {
  const out: Finding[] = [];
  checkStorageUri(scopeFor(ns), uri, "spec.predictor.model.storageUri", out);
  return out.map((f) => f.message);
}

describe("withinPrefix", () => {
  it.each([
    ["s3://models/alpha/llama", "s3://models/alpha/", true],
    ["s3://models/alpha-evil/llama", "s3://models/alpha", false],
    ["s3://models/alpha/llama", "s3://models/alpha", true],
    ["pvc://alpha-models", "pvc://alpha-models", true],
    ["pvc://alpha-models/v1", "pvc://alpha-models", true],
    ["pvc://alpha-models-2/v1", "pvc://alpha-models", false],
  ])("%s within %s: %s", (uri, prefix, want) => {
    expect(withinPrefix(uri, prefix)).toBe(want);
  });
});

describe("storageOwner (map reads at each path boundary)", () => {
  it.each([
    ["s3://models/beta/llama/v1/", "beta"],
    ["s3://models/beta", "beta"],
    ["pvc://beta-models/llama", "beta"],
    ["pvc://beta-models-copy/llama", undefined],
    ["s3://models/betamax/x", undefined],
    ["gs://elsewhere/x", undefined],
  ])("%s -> %s", (uri, want) => {
    expect(storageOwner(view, uri)).toBe(want);
  });
});

describe("checkStorageUri", () => {
  it("allows the tenant's own storage", () => {
    expect(check("alpha-ns", "s3://models/alpha/llama/")).toEqual([]);
    expect(check("alpha-ns", "pvc://alpha-models/llama")).toEqual([]);
  });

  it("denies another tenant's bucket naming both teams", () => {
    const [m] = check("alpha-ns", "s3://models/beta/llama/");
    expect(m).toContain('"s3://models/beta/llama/", which belongs to tenant "beta"');
    expect(m).toContain('tenant "alpha"');
  });

  it("denies another tenant's model PVC by prefix", () => {
    expect(check("alpha-ns", "pvc://beta-models/llama")).toHaveLength(1);
  });

  it("denies a pvc:// claim labelled for another tenant even without a prefix", () => {
    const [m] = check("gamma-ns", "pvc://beta-pvc/x");
    expect(m ?? "").toBe("");
    const [n] = check("alpha-ns", "pvc://beta-pvc/x");
    expect(n).toContain('belongs to tenant "beta"');
  });

  it("denies a location outside the tenant's list that nobody owns", () => {
    const [m] = check("alpha-ns", "hf://meta-llama/Llama-3.2-1B");
    expect(m).toContain('outside the modelStorage of tenant "alpha"');
    expect(m).toContain('"s3://models/alpha/"');
  });

  it("a tenant without a list may use anything nobody else owns, and what is shared with it", () => {
    expect(check("gamma-ns", "hf://meta-llama/Llama-3.2-1B")).toEqual([]);
    expect(check("gamma-ns", "s3://models/beta/llama/")).toEqual([]); // beta shares with gamma
    expect(check("gamma-ns", "s3://models/alpha/llama/")).toHaveLength(1);
  });

  it("an unowned namespace may not use a tenant's storage", () => {
    expect(check("nobody", "s3://models/alpha/x")).toHaveLength(1);
  });
});

describe("STORAGE_URI-style env vars", () => {
  const run = (env: unknown[]): string[] => {
    const out: Finding[] = [];
    checkContainerStorageEnv(scopeFor("alpha-ns"), { name: "c", env }, "spec.containers[0]", out);
    return out.map((f) => `${f.code}@${f.path ?? ""}`);
  };
  it.each([
    [
      "STORAGE_URI to another tenant",
      [{ name: "STORAGE_URI", value: "s3://models/beta/x" }],
      ["TG-MODEL-STORAGE@spec.containers[0].env[0].value"],
    ],
    ["MODEL_URI to own storage", [{ name: "MODEL_URI", value: "s3://models/alpha/x" }], []],
    ["a local path is not storage", [{ name: "STORAGE_URI", value: "/mnt/models" }], []],
    ["other variables are not model storage", [{ name: "DATA_URI", value: "s3://models/beta/x" }], []],
    [
      "valueFrom has no literal to judge",
      [{ name: "STORAGE_URI", valueFrom: { configMapKeyRef: { name: "x", key: "y" } } }],
      [],
    ],
  ])("%s", (_n, env, want) => {
    expect(run(env)).toEqual(want);
  });
});

describe("a directory named without its trailing slash", () => {
  it("is the prefix's own location", () => {
    expect(withinPrefix("s3://models/alpha", "s3://models/alpha/")).toBe(true);
    expect(withinPrefix("s3://models/alph", "s3://models/alpha/")).toBe(false);
  });
});

describe("KServe storage specs ({key, path, parameters})", () => {
  it.each([
    [
      { key: "minio", path: "alpha/llama", parameters: { type: "s3", bucket: "models" } },
      "s3://models/alpha/llama",
    ],
    [{ path: "/alpha/llama", parameters: { type: "s3", bucket: "models" } }, "s3://models/alpha/llama"],
    [{ path: "models/llama", parameters: { type: "hdfs" } }, "hdfs://models/llama"],
    [{ key: "minio", path: "alpha/llama", parameters: { type: "s3" } }, undefined],
    [{ key: "minio", path: "alpha/llama", parameters: { bucket: "models" } }, undefined],
    [{ key: "minio", path: "alpha/llama" }, undefined],
  ])("%j resolves to %s, as KServe's storage initializer builds it", (spec, want) => {
    expect(storageSpecUri(spec)).toBe(want);
  });

  function checkSpec(ns: string, spec: Record<string, unknown>, secret = "storage-config"): Finding[] {
    const out: Finding[] = [];
    checkStorageSpec(scopeFor(ns), spec, "spec.predictor.model.storage", secret, out);
    return out;
  }
  const s3 = (path: string) => ({ key: "minio", path, parameters: { type: "s3", bucket: "models" } });

  it("judges a resolvable location like a storageUri", () => {
    expect(checkSpec("alpha-ns", s3("alpha/llama"))).toEqual([]);
    const [f, ...rest] = checkSpec("alpha-ns", s3("beta/llama"));
    expect(rest).toEqual([]);
    expect(f?.message).toContain('"s3://models/beta/llama", which belongs to tenant "beta"');
    expect(f?.victim).toBe("beta");
    expect(f?.path).toBe("spec.predictor.model.storage");
  });

  it("a location only the secret knows is denied for a tenant with a list, allowed for one without", () => {
    const [f] = checkSpec("alpha-ns", { key: "minio", path: "alpha/llama" });
    expect(f?.message).toContain('takes its model location from key "minio" of secret "storage-config"');
    expect(checkSpec("gamma-ns", { key: "minio", path: "x" })).toEqual([]);
  });

  it("credentials from a secret labelled for another tenant cross the boundary", () => {
    const found = checkSpec("alpha-ns", s3("alpha/llama"), "beta-secret");
    expect(found.map((f) => [f.path, f.victim])).toEqual([["spec.predictor.model.storage.key", "beta"]]);
    expect(found[0]?.message).toContain('secret "beta-secret", which belongs to tenant "beta"');
    expect(checkSpec("alpha-ns", s3("alpha/llama"), "mine")).toEqual([]);
  });
});
