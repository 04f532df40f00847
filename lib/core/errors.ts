/**
 * The error every bad input of segura-constructs produces: one message that names
 * the property and the value, thrown at construction (synth) time.
 *
 * aws-cdk-lib's `ValidationError` is internal to aws-cdk-lib, so the library has its own.
 */
export class SeguraValidationError extends Error {
  /** The property path the error is about, e.g. `management.ntp[0]`. */
  public readonly property: string;

  constructor(property: string, message: string) {
    super(`${property}: ${message}`);
    this.property = property;
    this.name = 'SeguraValidationError';
    Object.setPrototypeOf(this, SeguraValidationError.prototype);
  }
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** ` Did you mean "X"?` for the closest candidate, or '' when nothing is close. */
export function didYouMean(value: string, candidates: readonly string[]): string {
  const v = value.toUpperCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(v, c.toUpperCase());
    if (d < bestD) { best = c; bestD = d; }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(best.length / 3)) ? ` Did you mean "${best}"?` : '';
}

/**
 * A short, readable account of any value for an error message: `"10.0.0.0/8"`,
 * `NaN`, `an object of class CidrIPv4`, `{"a":1}`. Never throws (bigints, symbols,
 * functions and circular objects included).
 */
export function describeValue(value: unknown): string {
  const cut = (s: string) => (s.length > 80 ? `${s.slice(0, 77)}...` : s);
  switch (typeof value) {
    case 'undefined': return 'undefined';
    case 'number': return String(value); // NaN, Infinity and -0 as themselves
    case 'bigint': return `${value}n`;
    case 'symbol': return cut(value.toString());
    case 'function': return 'a function';
    case 'string': return cut(JSON.stringify(value));
    case 'boolean': return String(value);
  }
  if (value === null) return 'null';
  const proto = Object.getPrototypeOf(value);
  const name = proto && typeof proto.constructor === 'function' ? proto.constructor.name : undefined;
  if (!Array.isArray(value) && name && name !== 'Object') return `an object of class ${name}`;
  try {
    return cut(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value));
  } catch {
    return Array.isArray(value) ? 'a list' : 'an object';
  }
}
