/* eslint-disable no-bitwise */ // address arithmetic is bit arithmetic
import { SeguraValidationError } from './errors';

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** The address family of a CIDR. */
export type AddressFamily = 'ipv4' | 'ipv6';

function v4ToInt(parts: number[]): number {
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

function intToV4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function parseV6(addr: string): number[] | undefined {
  // Returns 8 groups, or undefined when malformed.
  if (!/^[0-9a-fA-F:]+$/.test(addr)) return undefined;
  const halves = addr.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  if ([...head, ...tail].some(g => g.length === 0 || g.length > 4)) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  return [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...tail].map(g => parseInt(g, 16));
}

/**
 * Validate a CIDR written by a user and return its family. Rejects malformed
 * addresses, octets above 255, masks out of range and host bits set (with the
 * network it probably meant as "did you mean").
 */
export function validateCidr(property: string, cidr: string): AddressFamily {
  const m = V4.exec(cidr);
  if (m) {
    const parts = m.slice(1, 5).map(Number);
    const mask = Number(m[5]);
    if (parts.some(p => p > 255)) throw new SeguraValidationError(property, `"${cidr}" is not a valid IPv4 CIDR (an octet is above 255)`);
    if (mask > 32) throw new SeguraValidationError(property, `"${cidr}" is not a valid IPv4 CIDR (the mask must be 0-32)`);
    const n = v4ToInt(parts);
    const net = mask === 0 ? 0 : (n & ((0xffffffff << (32 - mask)) >>> 0)) >>> 0;
    if (net !== n) {
      throw new SeguraValidationError(property, `"${cidr}" has host bits set. Did you mean "${intToV4(net)}/${mask}" (or "${cidr.split('/')[0]}/32")?`);
    }
    return 'ipv4';
  }
  const slash = cidr.lastIndexOf('/');
  if (cidr.includes(':') && slash > 0) {
    const groups = parseV6(cidr.slice(0, slash));
    const maskText = cidr.slice(slash + 1);
    const mask = /^\d{1,3}$/.test(maskText) ? Number(maskText) : NaN;
    if (!groups) throw new SeguraValidationError(property, `"${cidr}" is not a valid IPv6 CIDR`);
    if (!(mask >= 0 && mask <= 128)) throw new SeguraValidationError(property, `"${cidr}" is not a valid IPv6 CIDR (the mask must be 0-128)`);
    for (let bit = mask; bit < 128; bit++) {
      if ((groups[Math.floor(bit / 16)] >> (15 - (bit % 16))) & 1) {
        throw new SeguraValidationError(property, `"${cidr}" has host bits set beyond /${mask}`);
      }
    }
    return 'ipv6';
  }
  if (/^(\d{1,3}\.){3}\d{1,3}$/.test(cidr)) {
    throw new SeguraValidationError(property, `"${cidr}" has no prefix length. Did you mean "${cidr}/32"?`);
  }
  throw new SeguraValidationError(property, `"${cidr}" is not a valid IPv4 or IPv6 CIDR (expected e.g. "10.0.0.0/16")`);
}
