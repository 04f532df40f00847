/**
 * One read of the props: a plain deep copy, taken when a construct (or the CLI) receives
 * its configuration, of every record and list the configuration's shape names. Every
 * check and every use reads the copy, so a getter or a Proxy that answers differently
 * on a second read is read once, and what is checked is what is used.
 *
 * A record must be a plain object (its prototype `Object.prototype` or `null`): a Map's
 * entries, a Set's members and a class instance's accessors are not the properties a
 * configuration is read by, so they would be silently ignored. Anything else is a
 * SeguraValidationError naming the property and what it got. A list must be a real
 * array (a Proxy of an array is read, index by index, into one); a value that is not
 * a list is left to the property's own check, which names what it expected.
 */
import { describeValue, SeguraValidationError } from './errors';

/** The records and lists of a configuration: what the copy descends into. */
export interface PropsShape {
  /** The top level, for messages: `props` (a construct's) or `config` (the CLI's). */
  readonly name: string;
  /** The message for a top level that is not a plain object, given what it got. */
  readonly notPlain: (got: unknown) => string;
  /** The records under the top level, by path (`management`, `portOverrides`), with what each holds (`an object of strings`). */
  readonly records: Readonly<Record<string, string>>;
  /** The lists, by path (`users`, `management.ntp`, `disabledRules`). */
  readonly lists: readonly string[];
}

/**
 * The message for a construct's props that are not a plain object, `what` being what
 * they hold (`the cluster's options`): `are required (an object with the cluster's
 * options), got undefined`, or for a Map or a class instance `expected a plain object
 * (the cluster's options), got an object of class Map`.
 */
export function notPlainProps(what: string): (got: unknown) => string {
  return got => (typeof got === 'object' && got !== null && !Array.isArray(got)
    ? `expected a plain object (${what}), got ${describeValue(got)}`
    : `are required (an object with ${what}), got ${describeValue(got)}`);
}

/** A plain object: prototype `Object.prototype` or `null`, not a list. */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Set a key on a copy (`__proto__` included, as an own property). */
function put(out: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * The plain deep copy of `value` by `shape`: records and lists copied (each key and
 * each index read once), everything else (peers, constructs, numbers) kept as given.
 * Throws a SeguraValidationError naming the property when the top level or a record
 * is not a plain object, or when reading a value throws (a getter, a Proxy's trap).
 */
export function copyProps(value: unknown, shape: PropsShape): Record<string, unknown> {
  // Where the copy is reading, for the message when a getter or a trap throws.
  let at = shape.name;
  const read = <T>(path: string, get: () => T): T => {
    at = path;
    return get();
  };
  const copy = (path: string, v: unknown): unknown => {
    const what = path === '' ? shape.name : shape.records[path];
    if (what !== undefined) {
      if (!isPlainRecord(v)) {
        if (path === '') throw new SeguraValidationError(shape.name, shape.notPlain(v));
        if (v === undefined) return undefined;
        throw new SeguraValidationError(path, `expected ${what}, got ${describeValue(v)}`);
      }
      const out: Record<string, unknown> = {};
      for (const key of read(path || shape.name, () => Object.keys(v))) {
        const child = path ? `${path}.${key}` : key;
        put(out, key, copy(child, read(child, () => v[key])));
      }
      return out;
    }
    if (shape.lists.includes(path) && Array.isArray(v)) {
      const length = read(path, () => v.length);
      return Array.from({ length }, (_, i) => read(`${path}[${i}]`, () => v[i]));
    }
    return v;
  };
  try {
    return read(shape.name, () => copy('', value)) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof SeguraValidationError) throw e;
    throw new SeguraValidationError(at, `could not be read: ${e instanceof Error ? `${e.name}: ${e.message}` : describeValue(e)}`);
  }
}
