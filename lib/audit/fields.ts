/**
 * Reading exported JSON strictly: each helper names the field (`SecurityGroups[3].IpPermissions[0].FromPort`)
 * and the value it got, as a SeguraValidationError.
 */
import { AddressSet } from './address-set';
import { parseV6Address } from '../core/cidr';
import { describeValue, SeguraValidationError } from '../core/errors';

const fail = (path: string, what: string, value: unknown) => new SeguraValidationError(path, `expected ${what}, got ${describeValue(value)}`);

/** The name of an input from the prefix of its fields' paths: `sgs.json: ` -> `sgs.json`, `securityGroups.` -> `securityGroups`. */
export const rootName = (prefix: string) => prefix.replace(/(: |\.)$/, '');

/** An object. */
export function objectAt(path: string, value: unknown): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  throw fail(path, 'an object', value);
}

/** A list; left out or null is an empty one (clouds write both). */
export function listAt(path: string, value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  throw fail(path, 'a list', value);
}

/** A string. */
export function stringAt(path: string, value: unknown): string {
  if (typeof value === 'string') return value;
  throw fail(path, 'a string', value);
}

/** A string, or undefined when left out or null. */
export function optionalStringAt(path: string, value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : stringAt(path, value);
}

/** An integer within [min, max]. */
export function integerAt(path: string, value: unknown, min: number, max: number): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  throw fail(path, `an integer within ${min}-${max}`, value);
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/;
const V6 = /^([0-9a-fA-F:.]+)(?:\/(\d{1,3}))?$/;

/**
 * An address or prefix as a cloud returns it: `10.0.0.5` (one address), `10.0.0.0/24`,
 * `2001:db8::/64`. Host bits are masked, as the clouds do; anything else is an error.
 */
export function prefixAt(path: string, text: string): AddressSet {
  const m4 = V4.exec(text);
  if (m4 && m4.slice(1, 5).every(o => Number(o) <= 255) && (m4[5] === undefined || Number(m4[5]) <= 32)) {
    const length = m4[5] === undefined ? 32 : Number(m4[5]);
    const address = m4.slice(1, 5).reduce((n, o) => n * 256n + BigInt(Number(o)), 0n);
    const size = 2n ** BigInt(32 - length);
    return AddressSet.ofPrefixes([{ family: 'ipv4', network: address - (address % size), length }]);
  }
  const m6 = V6.exec(text);
  const address = m6 ? parseV6Address(m6[1]) : undefined;
  if (m6 && address !== undefined && (m6[2] === undefined || Number(m6[2]) <= 128)) {
    const length = m6[2] === undefined ? 128 : Number(m6[2]);
    const size = 2n ** BigInt(128 - length);
    return AddressSet.ofPrefixes([{ family: 'ipv6', network: address - (address % size), length }]);
  }
  throw new SeguraValidationError(path, `${describeValue(text)} is not an IPv4 or IPv6 address or prefix`);
}
