/**
 * One benchmark case in its own process: `node run-case.js CASE VARIANT OUTDIR`.
 * Loads only that cloud and variant's code, synthesizes into OUTDIR, and prints one
 * JSON line: in-process synth time, peak memory, or the synth error. The parent
 * reads OUTDIR back (so that reading costs this process nothing).
 */
const [name, variant, outdir] = process.argv.slice(2);
const started = process.hrtime.bigint();
let result: Record<string, unknown>;
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { run } = require(`./cases/${name.split('-')[0]}-${variant}`) as { run: (name: string, outdir: string) => void };
  run(name, outdir);
  result = { synthMs: Number(process.hrtime.bigint() - started) / 1e6 };
} catch (e) {
  result = { error: (e as Error).message.split('\n').slice(0, 2).join(' ') };
}
result.maxRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(JSON.stringify(result) + '\n');
