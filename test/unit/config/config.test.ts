import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseServeArgs } from "../../../src/cli/args.ts";
import { readConfigFile } from "../../../src/config/load.ts";
import { buildConfig } from "../../../src/policy/config.ts";
import { TenantGuardError } from "../../../src/errors.ts";

function tmpFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "tg-config-"));
  const p = join(dir, "config.yaml");
  writeFileSync(p, text);
  return p;
}

function errorOf(f: () => unknown): TenantGuardError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(TenantGuardError);
    return e as TenantGuardError;
  }
  throw new Error("expected an error");
}

describe("config", () => {
  it("has defaults that work with npm start", () => {
    const cfg = buildConfig(undefined);
    expect(cfg.server.port).toBe(8443);
    expect(cfg.directory.source).toBe("file:examples/cluster.yaml");
    expect(cfg.enforcement.mode).toBe("Enforce");
    expect(cfg.server.keepAliveTimeoutMs).toBeGreaterThan(90_000);
    expect(cfg.tenancy.tenantLabel).toBe("tenant-guard.dev/tenant");
  });

  it("is frozen all the way down", () => {
    const cfg = buildConfig(undefined);
    expect(Object.isFrozen(cfg)).toBe(true);
    expect(Object.isFrozen(cfg.server)).toBe(true);
    expect(Object.isFrozen(cfg.tenancy.exemptNamespaces)).toBe(true);
  });

  it("the example config file is valid and equals the defaults", () => {
    expect(buildConfig(readConfigFile("examples/config.yaml"))).toEqual(buildConfig(undefined));
  });

  it("the example config file lists every setting there is", () => {
    const file = readConfigFile("examples/config.yaml").data;
    const missing: string[] = [];
    const walk = (
      defaults: Record<string, unknown>,
      listed: Record<string, unknown> | undefined,
      at: string,
    ): void => {
      for (const [k, v] of Object.entries(defaults)) {
        const here = at ? `${at}.${k}` : k;
        if (listed === undefined || !Object.hasOwn(listed, k)) missing.push(here);
        else if (v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 0)
          walk(v as Record<string, unknown>, listed[k] as Record<string, unknown>, here);
      }
    };
    walk(buildConfig(undefined) as unknown as Record<string, unknown>, file, "");
    expect(missing).toEqual([]);
  });

  it("reports every problem with its field path and line", () => {
    const p = tmpFile("server:\n  port: 99999\nenforcement:\n  mode: Maybe\n");
    const err = errorOf(() => buildConfig(readConfigFile(p)));
    expect(err.code).toBe("TG_CONFIG_INVALID");
    expect(err.message).toContain(`server.port`);
    expect(err.message).toContain(`${p}:2`);
    expect(err.message).toContain(`enforcement.mode`);
    expect(err.message).toContain(`${p}:4`);
  });

  it("names unknown keys", () => {
    const p = tmpFile("server:\n  port: 8443\n  prot: 1\n");
    const err = errorOf(() => buildConfig(readConfigFile(p)));
    expect(err.message).toMatch(/prot/);
    expect(err.message).toContain(`${p}:3`);
  });

  it("reports YAML syntax errors with the line", () => {
    const p = tmpFile("server:\n  port: [1,\n");
    expect(errorOf(() => readConfigFile(p)).message).toMatch(new RegExp(`${p}:\\d+`));
  });

  it("refuses a certificate without its key", () => {
    expect(errorOf(() => buildConfig(undefined, { server: { tlsCert: "/x.crt" } })).message).toMatch(
      /together/,
    );
  });

  it("layers flags over env over file", () => {
    const p = tmpFile("server:\n  port: 1111\n  host: 10.0.0.1\nlog:\n  level: debug\n");
    const args = parseServeArgs(["--config", p, "--port", "3333"], {
      TENANT_GUARD_PORT: "2222",
      TENANT_GUARD_HOST: "127.0.0.1",
    });
    const cfg = buildConfig(readConfigFile(args.configPath as string), args.overrides);
    expect(cfg.server.port).toBe(3333);
    expect(cfg.server.host).toBe("127.0.0.1");
    expect(cfg.log.level).toBe("debug");
  });

  it("rejects unknown flags and non-numeric ports", () => {
    expect(errorOf(() => parseServeArgs(["--prot", "1"], {})).code).toBe("TG_USAGE");
    expect(errorOf(() => parseServeArgs(["--port", "eighty"], {})).message).toMatch(
      /--port must be an integer/,
    );
    expect(errorOf(() => parseServeArgs([], { TENANT_GUARD_PORT: "x" })).message).toMatch(
      /TENANT_GUARD_PORT/,
    );
  });
});

describe("--gateway-api", () => {
  it("is off by default, on with the flag or its env twin, and rejects other values", () => {
    expect(buildConfig(undefined, {}).directory.gatewayAPI).toBe(false);
    const on = parseServeArgs(["--gateway-api"], {}).overrides;
    expect(buildConfig(undefined, on).directory.gatewayAPI).toBe(true);
    expect(parseServeArgs([], { TENANT_GUARD_GATEWAY_API: "true" }).overrides).toEqual({
      directory: { gatewayAPI: true },
    });
    expect(parseServeArgs([], { TENANT_GUARD_GATEWAY_API: "false" }).overrides).toEqual({
      directory: { gatewayAPI: false },
    });
    expect(errorOf(() => parseServeArgs([], { TENANT_GUARD_GATEWAY_API: "yes" })).message).toMatch(
      /TENANT_GUARD_GATEWAY_API must be true or false/,
    );
  });
});
