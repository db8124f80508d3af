import { describe, expect, it } from "vitest";
import { cidrContains, parseCidr, parseIp } from "../../../src/k8s/cidr.ts";

const bytes = (s: string): number[] | undefined => {
  const b = parseIp(s);
  return b === undefined ? undefined : [...b];
};

describe("parseIp", () => {
  it.each([
    ["10.0.0.1", [10, 0, 0, 1]],
    ["255.255.255.255", [255, 255, 255, 255]],
    ["010.001.0.1", [10, 1, 0, 1]],
    ["::ffff:203.0.113.9", [203, 0, 113, 9]],
    ["::1", [...Array<number>(15).fill(0), 1]],
    ["::", Array<number>(16).fill(0)],
    ["2001:db8::", [0x20, 0x01, 0x0d, 0xb8, ...Array<number>(12).fill(0)]],
    ["fd00:1:2:3:4:5:6:7", [0xfd, 0, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7]],
    ["64:ff9b::1.2.3.4", [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4]],
  ])("%s", (text, want) => {
    expect(bytes(text)).toEqual(want);
  });

  it.each([
    "",
    "10.0.0",
    "10.0.0.1.2",
    "256.0.0.1",
    "10..0.1",
    "1.2.3.4 ",
    "1:2:3:4:5:6:7:8:9",
    "1::2::3",
    ":1",
    "1:",
    "12345::",
    "g::1",
    "1:2:3:4:5:6:7:1.2.3.4",
    "a".repeat(100),
  ])("rejects %j", (text) => {
    expect(parseIp(text)).toBeUndefined();
  });

  it("is linear on long hostile input", () => {
    const t = performance.now();
    for (let i = 0; i < 1000; i++) parseIp("1:".repeat(50_000));
    expect(performance.now() - t).toBeLessThan(500);
  });
});

describe("parseCidr and cidrContains", () => {
  const inside = (cidr: string, ip: string): boolean => cidrContains(parseCidr(cidr)!, parseIp(ip)!);

  it("holds the addresses of its prefix only", () => {
    expect(inside("10.0.0.0/8", "10.255.1.2")).toBe(true);
    expect(inside("10.0.0.0/8", "11.0.0.1")).toBe(false);
    expect(inside("203.0.113.0/28", "203.0.113.15")).toBe(true);
    expect(inside("203.0.113.0/28", "203.0.113.16")).toBe(false);
    expect(inside("0.0.0.0/0", "8.8.8.8")).toBe(true);
    expect(inside("fd00::/8", "fd12::1")).toBe(true);
    expect(inside("fd00::/8", "fe00::1")).toBe(false);
    expect(inside("2001:db8::/125", "2001:db8::7")).toBe(true);
    expect(inside("2001:db8::/125", "2001:db8::8")).toBe(false);
  });

  it("keeps the families apart, IPv4-mapped addresses being IPv4", () => {
    expect(inside("10.0.0.0/8", "::ffff:10.1.2.3")).toBe(true);
    expect(inside("::/0", "10.1.2.3")).toBe(false);
    expect(inside("::ffff:10.0.0.0/104", "10.9.9.9")).toBe(true);
  });

  it.each(["10.0.0.0", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "fd00::/129", "x/8", "10.0.0.0/8/8"])(
    "rejects %j",
    (text) => {
      expect(parseCidr(text)).toBeUndefined();
    },
  );
});
