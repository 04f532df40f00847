/**
 * The README's benchmark block, written from a results file of `npm run bench`
 * (bench/results.json, committed): every figure in the block is one the bench
 * measured. `npm run bench` writes the block after a run; a test checks that the
 * README's block is what this function makes of the committed results.
 */

/** A synth comparison (library vs hand-written), as bench.ts records it. */
export interface CaseResult {
  readonly libraryMs: number;
  readonly handMs: number;
  readonly libraryMb: number;
  readonly handMb: number;
  readonly libraryRules: number;
  readonly handRules: number;
  readonly sameFlows: boolean;
  readonly memoryNoiseMb: number;
}

export interface ImportResult {
  readonly module: string;
  readonly requireMs: number;
  readonly processMs: number;
  readonly maxRssMb: number;
  readonly heavy: string[];
}

export interface ScaleResult {
  readonly cloud: 'aws' | 'azure';
  readonly kind: 'spread' | 'adjacent';
  readonly n: number;
  readonly ms: number;
  readonly groups?: number;
  readonly rules?: number;
  readonly error?: string;
}

export interface CliResult {
  readonly command: string;
  readonly format: string;
  readonly code: number;
  readonly ms: number;
  readonly maxRssMb: number;
  readonly bytes: number;
}

export interface AuditResult {
  readonly name: string;
  readonly evaluated: string;
  readonly ms: number;
  readonly maxRssMb: number;
  readonly code: number;
  readonly findings: string;
}

/** One case of the bisection: the largest fit, the count bound and what binds it, the refusal one past it. */
export interface LargestFit {
  readonly name: string;
  readonly prefix: string;
  readonly fits: number;
  readonly bound: number;
  readonly binding: string;
  readonly refusal: string;
}

/** bench/results.json. */
export interface BenchResults {
  readonly date: string;
  readonly node: string;
  readonly cpus: number;
  readonly runs: number;
  readonly scaleRuns: number;
  /** The machine's 1-minute load average at the start and at the end of the run (runs before it was recorded lack it). */
  readonly loadAverage?: { readonly start: number; readonly end: number };
  readonly cases: Readonly<Record<string, CaseResult>>;
  readonly imports: readonly ImportResult[];
  readonly scale: readonly ScaleResult[];
  /**
   * The largest number of non-adjacent device networks that fits at AWS's default quotas, by bisection, per case, with
   * the count bound (runs before the layout reached the bound recorded one number).
   */
  readonly awsLargestFit: number | readonly LargestFit[];
  /** The CLI's estate: device /32s, members, and the heap cap (MB). */
  readonly cliEstate: { readonly devices: number; readonly members: number; readonly heapMb: number };
  readonly cli: readonly CliResult[];
  readonly audit: readonly AuditResult[];
  readonly targets: ReadonlyArray<readonly [target: string, met: boolean, figure: string]>;
}

export const CASES: ReadonlyArray<readonly [key: string, title: string]> = [
  ['aws-example', 'AWS example'], ['azure-example', 'Azure example'], ['aws-large', 'AWS large'], ['azure-large', 'Azure large'],
];

const round = (n: number) => String(Math.round(n));
const signed = (n: number, digits = 1) => `${n >= 0 ? '+' : ''}${n.toFixed(digits)}`;
const thousands = (n: number) => n.toLocaleString('en-US');

/** The block between `<!-- bench -->` and `<!-- /bench -->`, without the markers. */
export function benchBlock(r: BenchResults): string {
  const out: string[] = [];
  const load = r.loadAverage ? `, load average ${r.loadAverage.start.toFixed(1)} at the start and ${r.loadAverage.end.toFixed(1)} at the end` : '';
  out.push(`Measured ${r.date.slice(0, 10)} on a ${r.cpus}-core machine with Node ${r.node}${load} (\`npm run bench\`, medians of ${r.runs} alternating runs; `
    + 'every figure is a whole process: node start, imports, build, synth). The run\'s figures: [`bench/results.json`](bench/results.json).', '');

  out.push('| Case | Library ms | Hand ms | Time | Library MB | Hand MB | Memory | Library rules | Hand rules | Same flows |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [key, title] of CASES) {
    const c = r.cases[key];
    const memory = `${signed((c.libraryMb / c.handMb - 1) * 100)}% (${signed(c.libraryMb - c.handMb, 0)} MB; noise ±${round(c.memoryNoiseMb)} MB)`;
    out.push(`| ${title} | ${round(c.libraryMs)} | ${round(c.handMs)} | ${signed((c.libraryMs / c.handMs - 1) * 100)}% | ${round(c.libraryMb)} | ${round(c.handMb)} `
      + `| ${memory} | ${c.libraryRules} | ${c.handRules} | ${c.sameFlows ? 'yes' : '**no**'} |`);
  }
  out.push('', '"Large" is 40 non-adjacent device prefixes, 6 DNS and 4 syslog servers, every integration on; on AWS with `ruleQuota: 1000`, '
    + 'which the hand-written copy needs too (40 prefixes times 11 device port ranges do not fit 60 rules per group). "Noise" is the larger '
    + 'median absolute deviation of the two variants\' peak memory over the runs.', '');

  out.push(`| Import (separate process, median of ${r.runs}) | require ms | peak MB | heavy packages loaded |`, '| --- | --- | --- | --- |');
  for (const i of r.imports) out.push(`| \`${i.module}\` | ${round(i.requireMs)} | ${round(i.maxRssMb)} | ${i.heavy.join(', ')} |`);

  out.push('', `Growth with the number of device networks (/24s; every other integration on; medians of ${r.scaleRuns}; AWS at its default quotas: `
    + '60 rules per direction and group, 4 groups per role, one of AWS\'s 5 per interface left to the user):', '',
  '| Device /24s | AWS ms | AWS groups | AWS rules | Azure ms | Azure NSGs | Azure rules |', '| --- | --- | --- | --- | --- | --- | --- |');
  for (const kind of ['spread', 'adjacent'] as const) {
    for (const n of [...new Set(r.scale.filter(s => s.kind === kind).map(s => s.n))]) {
      const at = (cloud: 'aws' | 'azure') => r.scale.find(s => s.cloud === cloud && s.kind === kind && s.n === n)!;
      const cells = (s: ScaleResult) => {
        if (!s.error) return [round(s.ms), String(s.groups), String(s.rules)];
        const needed = /need (\d+) (\w+) (\w+) rules/.exec(s.error);
        return [`${round(s.ms)}: fails synth${needed ? ` (${thousands(Number(needed[1]))} ${needed[2]} ${needed[3]} rules needed)` : ''}`, '-', '-'];
      };
      out.push(`| ${thousands(n)} ${kind === 'spread' ? 'non-adjacent' : 'adjacent'} | ${[...cells(at('aws')), ...cells(at('azure'))].join(' | ')} |`);
    }
  }
  if (typeof r.awsLargestFit === 'number') {
    out.push('', 'Adjacent /24s aggregate losslessly into a few wider prefixes. The largest number of **non-adjacent** device networks that '
      + `fits at AWS's default quotas, found by bisection: **${r.awsLargestFit}**; past it, synth fails with the numbers and the ways out `
      + '(see [Real estate sizes](#real-estate-sizes)).', '');
  } else {
    out.push('', 'Adjacent /24s aggregate losslessly into a few wider prefixes. The largest number of **non-adjacent** device networks that '
      + 'fits at AWS\'s default quotas (60 rules, 4 groups per role), found by bisection, beside the count bound (the most for which every '
      + 'node\'s rules per direction and family number at most 4 × 60, counted on the emitted rules):', '',
    '| Case | Largest fit | Count bound | Binding count |', '| --- | --- | --- | --- |',
    ...r.awsLargestFit.map(l => `| ${l.name} | **${l.fits}** | ${l.bound} | ${l.binding} |`), '',
    r.awsLargestFit.every(l => l.fits === l.bound)
      ? 'Each largest fit equals its count bound: every rule that fits AWS\'s groups is placed. One network more is refused with the numbers and '
        + 'the ways out (see [Real estate sizes](#real-estate-sizes)).'
      : '**A largest fit is below its count bound**: the layout leaves room unused (a bug; see the table).', '');
  }

  const e = r.cliEstate;
  out.push(`The CLI on ${thousands(e.devices)} device /32s × ${e.members} members, the heap capped at ${e.heapMb} MB (one run each; output counted, not kept):`, '',
    '| Command | Format | Exit | Seconds | Peak MB | Output MB |', '| --- | --- | --- | --- | --- | --- |',
    ...r.cli.map(c => `| ${c.command} | ${c.format} | ${c.code} | ${(c.ms / 1000).toFixed(1)} | ${round(c.maxRssMb)} | ${(c.bytes / 2 ** 20).toFixed(1)} |`));

  out.push('', `The audit of 100 security groups or NSGs of 60 rules each, through the CLI (whole process, median of ${r.scaleRuns}):`, '',
    '| Case | Groups evaluated | ms | Peak MB | Exit | Findings |', '| --- | --- | --- | --- | --- | --- |',
    ...r.audit.map(a => `| ${a.name} | ${a.evaluated} | ${round(a.ms)} | ${round(a.maxRssMb)} | ${a.code} | ${a.findings} |`));

  out.push('', 'Targets, as the bench judges them:', '', '| Target | Met | Figure |', '| --- | --- | --- |',
    ...r.targets.map(([target, met, figure]) => `| ${target} | ${met ? 'yes' : '**no**'} | ${figure} |`));
  return out.join('\n');
}

/** README text with its bench block replaced by `block`; throws when the markers are missing. */
export function withBenchBlock(readme: string, block: string): string {
  const re = /<!-- bench -->\n[\s\S]*?\n<!-- \/bench -->/;
  if (!re.test(readme)) throw new Error('README.md has no <!-- bench --> ... <!-- /bench --> block');
  return readme.replace(re, () => `<!-- bench -->\n${block}\n<!-- /bench -->`);
}

/** The README's bench block, without the markers. */
export function readBenchBlock(readme: string): string {
  const m = /<!-- bench -->\n([\s\S]*?)\n<!-- \/bench -->/.exec(readme);
  if (!m) throw new Error('README.md has no <!-- bench --> ... <!-- /bench --> block');
  return m[1];
}
