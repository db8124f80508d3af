// IPv4 and IPv6 addresses and CIDRs, parsed by hand in one pass: the input is a tenant's Service
// or Endpoints field, so no regular expression (and no backtracking) touches it.

/** An address as 4 (IPv4) or 16 (IPv6) bytes. IPv4-mapped IPv6 (::ffff:a.b.c.d) is IPv4. */
export type IpBytes = Uint8Array;

export interface Cidr {
  /** As written, for messages. */
  readonly text: string;
  readonly bytes: IpBytes;
  readonly bits: number;
}

/** Longest text an address can have (IPv6 with an embedded IPv4 part): longer input is not one. */
const MAX_IP_TEXT = 45;

function digit(c: number): number {
  return c >= 48 && c <= 57 ? c - 48 : -1;
}

function hex(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** a.b.c.d between [from, to) into out[at..at+4); leading zeros read as decimal (Go's sloppy parse). */
function parseV4(s: string, from: number, to: number, out: Uint8Array, at: number): boolean {
  let part = 0;
  let value = 0;
  let len = 0;
  for (let i = from; i <= to; i++) {
    if (i === to || s.charCodeAt(i) === 46) {
      if (len === 0 || part > 3) return false;
      out[at + part++] = value;
      value = 0;
      len = 0;
      continue;
    }
    const d = digit(s.charCodeAt(i));
    if (d < 0 || ++len > 3) return false;
    value = value * 10 + d;
    if (value > 255) return false;
  }
  return part === 4;
}

function parseV6(s: string, from: number, to: number): IpBytes | undefined {
  const out = new Uint8Array(16);
  let n = 0; // bytes written
  let gap = -1; // byte index of "::"
  let i = from;
  if (s.startsWith("::", i)) {
    gap = 0;
    i += 2;
    if (i === to) return out;
  }
  while (i < to) {
    if (n >= 16) return undefined;
    let j = i;
    let value = 0;
    while (j < to && j - i < 4 && hex(s.charCodeAt(j)) >= 0) value = value * 16 + hex(s.charCodeAt(j++));
    if (j < to && s.charCodeAt(j) === 46) {
      // An embedded IPv4 tail: the last 4 bytes.
      if (n > 12 || !parseV4(s, i, to, out, n)) return undefined;
      n += 4;
      break;
    }
    if (j === i) return undefined;
    out[n++] = value >> 8;
    out[n++] = value & 0xff;
    if (j === to) break;
    if (s.charCodeAt(j) !== 58) return undefined;
    j++;
    if (j < to && s.charCodeAt(j) === 58) {
      if (gap >= 0) return undefined;
      gap = n;
      j++;
      if (j === to) break;
    } else if (j === to) return undefined;
    i = j;
  }
  if (gap < 0) return n === 16 ? out : undefined;
  if (n === 16) return undefined;
  // Move what followed "::" to the end.
  const tail = n - gap;
  out.copyWithin(16 - tail, gap, n);
  out.fill(0, gap, 16 - tail);
  return out;
}

function isV4Mapped(b: IpBytes): boolean {
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}

function parseRange(s: string, from: number, to: number): IpBytes | undefined {
  if (to - from > MAX_IP_TEXT || to <= from) return undefined;
  if (s.indexOf(":", from) < 0 || s.indexOf(":", from) >= to) {
    const out = new Uint8Array(4);
    return parseV4(s, from, to, out, 0) ? out : undefined;
  }
  const v6 = parseV6(s, from, to);
  return v6 !== undefined && isV4Mapped(v6) ? v6.slice(12) : v6;
}

/** "10.0.0.1", "2001:db8::1", "::ffff:10.0.0.1" (as IPv4); undefined when it is no address. */
export function parseIp(s: string): IpBytes | undefined {
  return parseRange(s, 0, s.length);
}

/** "10.0.0.0/8", "fd00::/8"; undefined when malformed or the prefix is longer than the address. */
export function parseCidr(s: string): Cidr | undefined {
  const slash = s.indexOf("/");
  if (slash < 0 || s.length - slash > 4) return undefined;
  const bytes = parseRange(s, 0, slash);
  if (bytes === undefined) return undefined;
  let bits = 0;
  for (let i = slash + 1; i < s.length; i++) {
    const d = digit(s.charCodeAt(i));
    if (d < 0) return undefined;
    bits = bits * 10 + d;
  }
  // An IPv4-mapped IPv6 CIDR's prefix counts the 96 mapped bits.
  const max = bytes.length * 8;
  const v4FromV6 = bytes.length === 4 && s.indexOf(":") >= 0 && s.indexOf(":") < slash;
  if (v4FromV6) bits -= 96;
  if (slash + 1 === s.length || bits < 0 || bits > max) return undefined;
  return { text: s, bytes, bits };
}

export function cidrContains(cidr: Cidr, ip: IpBytes): boolean {
  if (cidr.bytes.length !== ip.length) return false;
  const whole = cidr.bits >> 3;
  for (let i = 0; i < whole; i++) if (cidr.bytes[i] !== ip[i]) return false;
  const rest = cidr.bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((cidr.bytes[whole] as number) & mask) === ((ip[whole] as number) & mask);
}

/** The first CIDR of the list that holds the address, if any. */
export function firstContaining(list: readonly Cidr[], ip: IpBytes): Cidr | undefined {
  for (const c of list) if (cidrContains(c, ip)) return c;
  return undefined;
}
