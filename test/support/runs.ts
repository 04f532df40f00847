/**
 * How many random cases a property test tries. `npm test` tries the numbers written in the
 * tests; `npm run test:external` runs the same files again with `SEGURA_PROPERTY_RUNS=4`
 * (four times as many, new seeds), which `npm test`'s two-minute budget has no room for.
 * A test's "both outcomes happened" thresholds scale with it (`share`).
 */
const SCALE = (() => {
  const raw = process.env.SEGURA_PROPERTY_RUNS ?? '1';
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale <= 0) throw new Error(`SEGURA_PROPERTY_RUNS: a positive number, not ${JSON.stringify(raw)}`);
  return scale;
})();

/** `n` random cases, times SEGURA_PROPERTY_RUNS (at least 1). */
export const runs = (n: number): number => Math.max(1, Math.round(n * SCALE));

/** A count the outcomes of `runs(n)` cases must exceed: `fraction` of them. */
export const share = (n: number, fraction: number): number => Math.floor(runs(n) * fraction);
