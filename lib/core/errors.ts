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

/** A short, readable account of a bad value for an error message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const name = (value as object).constructor?.name;
    return name && name !== 'Object' ? `an object of class ${name}` : JSON.stringify(value).slice(0, 80);
  }
  return JSON.stringify(value)?.slice(0, 80) ?? String(value);
}
