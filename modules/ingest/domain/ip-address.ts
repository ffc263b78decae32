/**
 * Minimal IP address parsing and CIDR matching (pure; no `node:net`), strict enough for SSRF
 * checks: IPv4 in every form `inet_aton` accepts (what ffmpeg's resolver will also accept),
 * IPv6 with `::`, embedded IPv4 and zone ids.
 */
export interface IpAddress {
  family: 4 | 6;
  /** 32-bit (v4) or 128-bit (v6) value. */
  value: bigint;
}

function parseIpv4Part(part: string): bigint | null {
  if (part === '') return null;
  if (/^0x[0-9a-f]*$/i.test(part)) return part.length === 2 ? 0n : BigInt(part);
  if (/^0[0-7]+$/.test(part)) return BigInt(`0o${part.slice(1)}`);
  if (/^(0|[1-9][0-9]*)$/.test(part)) return BigInt(part);
  return null;
}

/**
 * Parses IPv4 as `inet_aton` does: `a.b.c.d`, `a.b.c` (c is 16 bits), `a.b` (b is 24 bits),
 * `a` (32 bits), each part decimal, octal (leading 0) or hex (0x). `127.1`, `0x7f000001` and
 * `2130706433` are all loopback.
 */
export function parseIpv4(text: string): IpAddress | null {
  const parts = text.split('.');
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  if (parts.length > 4) return null;
  const values = parts.map(parseIpv4Part);
  if (values.length === 0 || values.some((v) => v === null)) return null;
  const nums = values as bigint[];
  const last = nums[nums.length - 1] as bigint;
  const head = nums.slice(0, -1);
  if (head.some((v) => v > 255n)) return null;
  const lastBits = BigInt(8 * (5 - nums.length));
  if (last >= 1n << lastBits) return null;
  let value = 0n;
  head.forEach((v, i) => {
    value |= v << BigInt(8 * (3 - i));
  });
  return { family: 4, value: value | last };
}

/** Parses IPv6 (brackets and `%zone` allowed), including `::ffff:1.2.3.4` forms. */
export function parseIpv6(input: string): IpAddress | null {
  let text = input.startsWith('[') && input.endsWith(']') ? input.slice(1, -1) : input;
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  if (!text.includes(':')) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (s: string): bigint[] | null => {
    if (s === '') return [];
    const out: bigint[] = [];
    const parts = s.split(':');
    for (const [i, p] of parts.entries()) {
      if (i === parts.length - 1 && p.includes('.')) {
        if (!/^\d+\.\d+\.\d+\.\d+$/.test(p)) return null;
        const v4 = parseIpv4(p);
        if (!v4) return null;
        out.push(v4.value >> 16n, v4.value & 0xffffn);
      } else {
        if (!/^[0-9a-f]{1,4}$/i.test(p)) return null;
        out.push(BigInt(`0x${p}`));
      }
    }
    return out;
  };
  const head = groups(halves[0] as string);
  const tail = halves.length === 2 ? groups(halves[1] as string) : [];
  if (!head || !tail) return null;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...Array<bigint>(Math.max(0, missing)).fill(0n), ...tail];
  return { family: 6, value: all.reduce((acc, g) => (acc << 16n) | g, 0n) };
}

/** Parses either family; null when `text` is not an IP literal. */
export function parseIp(text: string): IpAddress | null {
  return parseIpv6(text) ?? parseIpv4(text);
}

/** A network in CIDR notation. */
export interface Cidr {
  family: 4 | 6;
  base: bigint;
  prefix: number;
}

/** Parses `10.0.0.0/8`, `fc00::/7` or a bare address (a /32 or /128). */
export function parseCidr(text: string): Cidr | null {
  const [addr, prefixText, ...rest] = text.trim().split('/');
  if (rest.length > 0 || addr === undefined) return null;
  const ip = addr.includes(':') ? parseIpv6(addr) : /^\d+\.\d+\.\d+\.\d+$/.test(addr) ? parseIpv4(addr) : null;
  if (!ip) return null;
  const bits = ip.family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
  if (!(prefix >= 0 && prefix <= bits)) return null;
  return { family: ip.family, base: mask(ip.value, prefix, bits), prefix };
}

function mask(value: bigint, prefix: number, bits: number): bigint {
  const hostBits = BigInt(bits - prefix);
  return (value >> hostBits) << hostBits;
}

export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  if (cidr.family !== ip.family) return false;
  return mask(ip.value, cidr.prefix, ip.family === 4 ? 32 : 128) === cidr.base;
}

/**
 * The IPv4 address an IPv6 address stands for, when it embeds one that routing may reach:
 * IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`), NAT64 (`64:ff9b::/96`) and 6to4 (`2002::/16`).
 */
export function embeddedIpv4(ip: IpAddress): IpAddress | null {
  if (ip.family !== 6) return null;
  const v = ip.value;
  if (v >> 32n === 0xffffn || (v >> 32n === 0n && v > 1n)) return { family: 4, value: v & 0xffffffffn };
  if (v >> 32n === 0x0064ff9b0000000000000000n) return { family: 4, value: v & 0xffffffffn };
  if (v >> 112n === 0x2002n) return { family: 4, value: (v >> 80n) & 0xffffffffn };
  return null;
}

export function formatIp(ip: IpAddress): string {
  if (ip.family === 4) return [24n, 16n, 8n, 0n].map((s) => ((ip.value >> s) & 0xffn).toString()).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => ((ip.value >> BigInt(16 * (7 - i))) & 0xffffn).toString(16));
  return groups.join(':');
}
