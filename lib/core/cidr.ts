/* eslint-disable no-bitwise */ // address arithmetic is bit arithmetic
/**
 * IP prefixes: parsing with precise errors, canonical spelling, and lossless
 * aggregation. Pure functions, tested without constructs.
 */
import { SeguraValidationError } from './errors';

/** The address family of a prefix. */
export type AddressFamily = 'ipv4' | 'ipv6';

/** A parsed prefix: its family, network address (as a number) and length. */
export interface Prefix {
  readonly family: AddressFamily;
  readonly network: bigint;
  readonly length: number;
}

const BITS: Record<AddressFamily, number> = { ipv4: 32, ipv6: 128 };

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,3})$/;

function v4Text(n: bigint): string {
  return [24n, 16n, 8n, 0n].map(s => String((n >> s) & 255n)).join('.');
}

/** RFC 5952: lower case, no leading zeros, the longest run of two or more zero groups as '::'. */
function v6Text(n: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((n >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = -1; let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map(g => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** The canonical spelling of a prefix: `10.0.0.0/8`, `2001:db8::/32`. */
export function formatPrefix(p: Prefix): string {
  return `${p.family === 'ipv4' ? v4Text(p.network) : v6Text(p.network)}/${p.length}`;
}

/** An IPv6 address (no prefix length) as a number, in any spelling RFC 4291 allows but the embedded IPv4 form; undefined when it is not one. */
export function parseV6Address(addr: string): bigint | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(addr)) return undefined;
  const halves = addr.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  if ([...head, ...tail].some(g => g.length === 0 || g.length > 4)) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  return groups.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n);
}

const mask = (family: AddressFamily, length: number): bigint => {
  const bits = BigInt(BITS[family]);
  return length === 0 ? 0n : ((1n << bits) - 1n) ^ ((1n << (bits - BigInt(length))) - 1n);
};

/** A CIDR's prefix when it parses (see parseCidr), else undefined: for values that may be a CIDR or something else. */
export function tryParseCidr(cidr: string): Prefix | undefined {
  try {
    return parseCidr('', cidr);
  } catch {
    return undefined;
  }
}

/**
 * Parse a CIDR written by a user and return its prefix. Rejects malformed addresses,
 * octets above 255, IPv4 octets and prefix lengths with leading zeros (`010.0.0.0/8`
 * is octal to some parsers), lengths out of range and host bits set, each with the
 * canonical form it probably meant as "did you mean" (never widened to /0).
 * IPv6 spellings are free (`2001:0DB8::/32` is `2001:db8::/32`).
 */
export function parseCidr(property: string, cidr: string): Prefix {
  const fail = (why: string) => new SeguraValidationError(property, `"${cidr}" ${why}`);
  const m = V4.exec(cidr);
  if (m) {
    const parts = m.slice(1, 5);
    const lengthText = m[5];
    if (parts.some(p => Number(p) > 255)) throw fail('is not a valid IPv4 CIDR (an octet is above 255)');
    if (Number(lengthText) > 32) throw fail('is not a valid IPv4 CIDR (the mask must be 0-32)');
    const network = parts.reduce((n, p) => (n << 8n) | BigInt(Number(p)), 0n);
    const length = Number(lengthText);
    const canonical = formatPrefix({ family: 'ipv4', network, length });
    if (parts.some(p => p.length > 1 && p.startsWith('0')) || (lengthText.length > 1 && lengthText.startsWith('0'))) {
      throw fail(`has leading zeros (read as octal by some tools). Did you mean "${canonical}"?`);
    }
    return checkHostBits(fail, { family: 'ipv4', network, length }, cidr.split('/')[0]);
  }
  const slash = cidr.lastIndexOf('/');
  if (cidr.includes(':') && slash > 0) {
    const network = parseV6Address(cidr.slice(0, slash));
    const lengthText = cidr.slice(slash + 1);
    if (network === undefined) throw fail('is not a valid IPv6 CIDR');
    if (!/^\d{1,3}$/.test(lengthText) || Number(lengthText) > 128) throw fail('is not a valid IPv6 CIDR (the mask must be 0-128)');
    const length = Number(lengthText);
    if (lengthText.length > 1 && lengthText.startsWith('0')) {
      throw fail(`has a zero-padded prefix length. Did you mean "${formatPrefix({ family: 'ipv6', network, length })}"?`);
    }
    return checkHostBits(fail, { family: 'ipv6', network, length }, v6Text(network));
  }
  if (/^(\d{1,3}\.){3}\d{1,3}$/.test(cidr)) throw fail(`has no prefix length. Did you mean "${cidr}/32"?`);
  if (/^[0-9a-fA-F:]+$/.test(cidr) && cidr.includes(':') && parseV6Address(cidr) !== undefined) {
    throw fail(`has no prefix length. Did you mean "${v6Text(parseV6Address(cidr)!)}/128"?`);
  }
  throw fail('is not a valid IPv4 or IPv6 CIDR (expected e.g. "10.0.0.0/16")');
}

function checkHostBits(fail: (why: string) => Error, p: Prefix, address: string): Prefix {
  const network = p.network & mask(p.family, p.length);
  if (network === p.network) return p;
  const host = `${address}/${BITS[p.family]}`;
  // The network it probably meant, unless that is the whole address space: then the host alone.
  const suggestion = p.length === 0 ? `"${host}"` : `"${formatPrefix({ ...p, network })}" (or "${host}")`;
  throw fail(`has host bits set. Did you mean ${suggestion}?`);
}

/** Validate a CIDR (see parseCidr) and return its family. */
export function validateCidr(property: string, cidr: string): AddressFamily {
  return parseCidr(property, cidr).family;
}

/** True when the prefix covers every address of its family (`0.0.0.0/0`, `::/0`, in any spelling). */
export function isWholeSpace(p: Prefix): boolean {
  return p.length === 0;
}

/** Does `outer` contain `inner` (same family, shorter or equal length, same network bits)? */
export function contains(outer: Prefix, inner: Prefix): boolean {
  return outer.family === inner.family && outer.length <= inner.length && (inner.network & mask(outer.family, outer.length)) === outer.network;
}

const compare = (a: Prefix, b: Prefix) =>
  a.family !== b.family ? (a.family === 'ipv4' ? -1 : 1) : a.network < b.network ? -1 : a.network > b.network ? 1 : a.length - b.length;

/** The two halves of a parent: same length, adjacent, the first on the parent's boundary. */
function siblings(a: Prefix, b: Prefix): boolean {
  if (a.family !== b.family || a.length !== b.length || a.length === 0) return false;
  const size = 1n << BigInt(BITS[a.family] - a.length);
  return (a.network & mask(a.family, a.length - 1)) === a.network && b.network === a.network + size;
}

/**
 * Lossless aggregation: drop prefixes contained in another, and merge sibling
 * prefixes whose union is exactly their parent, repeatedly
 * (10.1.0.0/24 + 10.1.1.0/24 -> 10.1.0.0/23). The set of addresses is exactly the
 * same; nothing is widened. Output sorted: IPv4 first, then by address.
 */
export function aggregate(prefixes: readonly Prefix[]): Prefix[] {
  const stack: Prefix[] = [];
  for (const p of [...prefixes].sort(compare)) {
    const top = stack[stack.length - 1];
    if (top && contains(top, p)) continue;
    stack.push(p);
    while (stack.length >= 2 && siblings(stack[stack.length - 2], stack[stack.length - 1])) {
      const first = stack[stack.length - 2];
      stack.length -= 2;
      stack.push({ family: first.family, network: first.network, length: first.length - 1 });
    }
  }
  return stack;
}

/** The result of aggregating a role's prefixes, with what changed, for messages. */
export interface Aggregated {
  /** The canonical, aggregated prefixes. */
  readonly cidrs: string[];
  /** `3 prefixes contained in others dropped; 64 merged into 1 (10.1.0.0/18)`, or undefined when nothing changed but spelling. */
  readonly summary?: string;
}

/** Aggregate valid CIDR strings (see `aggregate`), canonically spelled. */
export function aggregateCidrs(cidrs: readonly string[]): Aggregated {
  const unique = [...new Map(cidrs.map(c => parseCidr('', c)).map(p => [formatPrefix(p), p])).values()];
  const out = aggregate(unique);
  const text = out.map(formatPrefix);
  if (out.length === cidrs.length) return { cidrs: text };
  // Prefixes nest or are disjoint: in sorted order, a contained one follows its container.
  let cover: Prefix | undefined;
  const contained = [...unique].sort(compare).filter(p => {
    if (cover && contains(cover, p)) return true;
    cover = p;
    return false;
  });
  const parts: string[] = [];
  if (cidrs.length > unique.length) parts.push(`${cidrs.length - unique.length} duplicates dropped`);
  if (contained.length > 0) parts.push(`${contained.length} contained in another dropped`);
  const merged = unique.length - contained.length;
  if (merged > out.length) parts.push(`${merged} merged into ${out.length} (${text.slice(0, 5).join(', ')}${text.length > 5 ? ', ...' : ''})`);
  return { cidrs: text, summary: parts.join('; ') };
}

/**
 * The whole address space a CIDR covers, in any spelling (`0.0.0.0/0`,
 * `000.000.000.000/0`, `0::/0`, `10.0.0.0/0`): `0.0.0.0/0` or `::/0`; undefined for
 * anything else (malformed text included: the strict parse reports that).
 */
export function wholeSpaceOf(cidr: string): string | undefined {
  const slash = cidr.lastIndexOf('/');
  if (slash < 0 || !/^0+$/.test(cidr.slice(slash + 1))) return undefined;
  const address = cidr.slice(0, slash);
  if (/^(\d{1,3}\.){3}\d{1,3}$/.test(address) && address.split('.').every(o => Number(o) <= 255)) return '0.0.0.0/0';
  if (address.includes(':') && parseV6Address(address) !== undefined) return '::/0';
  return undefined;
}
