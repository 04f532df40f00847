/**
 * One benchmark case in its own process: `node run-case.js CASE VARIANT OUTDIR`.
 * Prints one JSON line: rules emitted, peak memory, the allowed facts (for the
 * same-flows check), or the synth error.
 */
import { runCase, Variant } from './cases';
import { countRules } from './facts';

const [name, variant, outdir, withFacts] = process.argv.slice(2);
const started = process.hrtime.bigint();
let result: Record<string, unknown>;
try {
  const out = runCase(name, variant as Variant, outdir);
  const synthMs = Number(process.hrtime.bigint() - started) / 1e6;
  const { rules, facts } = countRules(out.cloud, out.outdir, withFacts === 'facts');
  result = { rules, synthMs, facts };
} catch (e) {
  result = { error: (e as Error).message.split('\n').slice(0, 2).join(' ') };
}
result.maxRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(JSON.stringify(result) + '\n');
