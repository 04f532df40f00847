/**
 * For `npm run mutation` only (stryker.config.json): every property test draws the same
 * values on every run, so that a mutant is killed or survives for a reason, not by the
 * luck of a seed.
 */
import * as fc from 'fast-check';

fc.configureGlobal({ seed: 23 });
