/**
 * Runtime checks of props, for JavaScript users and JSON configs: each throws a
 * SeguraValidationError naming the property and the value. Deploy-time values
 * (tokens) pass where `isUnresolved` says so.
 */
import { describeValue, didYouMean, SeguraValidationError } from './errors';

const never = () => false;

/** A plain object (not null, not a list): props, containers, maps. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `true` or `false`, or left out. */
export function checkBoolean(property: string, value: unknown): boolean | undefined {
  if (value === undefined || typeof value === 'boolean') return value;
  throw new SeguraValidationError(property, `expected true or false, got ${describeValue(value)}`);
}

/** A string (a token passes), or left out. */
export function checkString(property: string, value: unknown, what = 'a string'): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw new SeguraValidationError(property, `expected ${what}, got ${describeValue(value)}`);
}

/** An integer within [min, max] (a token passes), or left out. */
export function checkInteger(property: string, value: unknown, min: number, max: number, what: string,
  isUnresolved: (v: unknown) => boolean = never): number | undefined {
  if (value === undefined || isUnresolved(value)) return value as number | undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
  throw new SeguraValidationError(property, `${describeValue(value)} is not ${what}; expected an integer within ${min}-${max}`);
}

/** One of `allowed`, or left out. */
export function checkOneOf<T extends string>(property: string, value: unknown, allowed: readonly T[], what: string): T | undefined {
  if (value === undefined || (typeof value === 'string' && (allowed as readonly string[]).includes(value))) return value as T | undefined;
  throw new SeguraValidationError(property, `${describeValue(value)} is not ${what}.${typeof value === 'string' ? didYouMean(value, allowed) : ''} `
    + `Expected one of ${allowed.join(', ')}`);
}

/** A list of strings, or left out. */
export function checkStringList(property: string, value: unknown, what: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new SeguraValidationError(property, `expected a list of ${what}, got ${describeValue(value)}`);
  value.forEach((v, i) => checkString(`${property}[${i}]`, v, `a string (${what})`));
  return value;
}

/** An object of string values (tags), or left out. */
export function checkStringMap(property: string, value: unknown): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) throw new SeguraValidationError(property, `expected an object of strings, got ${describeValue(value)}`);
  for (const [k, v] of Object.entries(value)) checkString(`${property}.${k}`, v);
  return value as Record<string, string>;
}
