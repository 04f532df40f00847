/**
 * npm run bench: segura-constructs against the same flows written by hand.
 *
 * Every measurement is a whole process (node start, imports, build, synth), the
 * library and the hand-written variant run alternately in one run; medians are
 * printed side by side with their ratios, then the import costs and how synth time
 * and rule count grow with the number of device prefixes. The run's figures go to
 * bench/results.json (committed), and the README's benchmark block is written from
 * them (report.ts); a test holds the two together.
 *
 *   BENCH_RUNS=7 BENCH_SCALE_RUNS=3 npm run bench   # the defaults
 *   npm run bench -- --report-only                   # the README's block from bench/results.json, nothing measured
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AUDIT_SITE, awsExport, awsGroups, azureExport, cfnGroups, cfnTemplate, planGroups, terraformPlan } from './audit-exports';
import { countRules, rulesPerRole } from './facts';
import { BenchResults, benchBlock, CASES, withBenchBlock } from './report';

const ROOT = path.join(__dirname, '..', '..');
const OUT = path.join(__dirname, '..');
const RUN_CASE = path.join(__dirname, 'run-case.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const SCALE_RUNS = Number(process.env.BENCH_SCALE_RUNS ?? 3);
const ENV = { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CHECKPOINT_DISABLE: '1' };

interface Run { ms: number; maxRssMb: number; rules?: number; groups?: number; error?: string; facts?: string[]; perRole?: Map<string, number> }

function runOnce(name: string, variant: string, facts = false, perRole = false): Run {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${name}-${variant}-`));
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [RUN_CASE, name, variant, outdir], { encoding: 'utf8', env: ENV, maxBuffer: 64 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`${name}/${variant} failed: ${r.stderr}`);
  const run: Run = { ms, ...JSON.parse(r.stdout.trim().split('\n').pop()!) };
  if (!run.error) Object.assign(run, countRules(name.startsWith('aws') ? 'aws' : 'azure', outdir, facts));
  if (!run.error && perRole) run.perRole = rulesPerRole(outdir);
  fs.rmSync(outdir, { recursive: true, force: true });
  return run;
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
/** Median absolute deviation: the run-to-run noise of a measurement. */
const mad = (xs: number[]) => { const m = median(xs); return median(xs.map(x => Math.abs(x - m))); };
const fmt = (n: number, d = 0) => n.toFixed(d);

interface Row { name: string; library: Run[]; hand: Run[]; sameFlows: boolean }

function compare(name: string, runs: number): Row {
  const library: Run[] = [];
  const hand: Run[] = [];
  const first = [runOnce(name, 'library', true), runOnce(name, 'hand', true)];
  const sameFlows = JSON.stringify(first[0].facts) === JSON.stringify(first[1].facts);
  for (let i = 0; i < runs; i++) {
    // Alternate the order, so that neither variant always runs on a warmer machine.
    if (i % 2 === 0) { library.push(runOnce(name, 'library')); hand.push(runOnce(name, 'hand')); } else { hand.push(runOnce(name, 'hand')); library.push(runOnce(name, 'library')); }
  }
  return { name, library, hand, sameFlows };
}

interface ImportCost { module: string; requireMs: number; processMs: number; maxRssMb: number; heavy: string[] }

function importCost(module: string): ImportCost {
  const script = `
    const t = process.hrtime.bigint();
    require(${JSON.stringify(module)});
    const requireMs = Number(process.hrtime.bigint() - t) / 1e6;
    const heavy = ['aws-cdk-lib', 'cdktf', '@cdktf/provider-azurerm', 'constructs']
      .filter(p => Object.keys(require.cache).some(k => k.includes('/node_modules/' + p + '/')));
    const rootProvider = Object.keys(require.cache).some(k => k.endsWith('@cdktf/provider-azurerm/lib/index.js'));
    console.log(JSON.stringify({ requireMs, maxRssMb: process.resourceUsage().maxRSS / 1024, heavy: heavy.map(h => h === '@cdktf/provider-azurerm' && !rootProvider ? h + ' (resources only)' : h) }));`;
  const samples: ImportCost[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' });
    const processMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (r.status !== 0) throw new Error(`import ${module} failed: ${r.stderr}`);
    samples.push({ module, processMs, ...JSON.parse(r.stdout) });
  }
  return {
    module,
    requireMs: median(samples.map(s => s.requireMs)),
    processMs: median(samples.map(s => s.processMs)),
    maxRssMb: median(samples.map(s => s.maxRssMb)),
    heavy: samples[0].heavy,
  };
}

const CLI_DEVICES = 4000;
const CLI_MEMBERS = 100;
const CLI_HEAP_MB = 64;

interface CliRun { command: string; format: string; code: number; ms: number; maxRssMb: number; bytes: number }

/** Each format of the CLI on a large config, output counted (not kept), peak memory reported by the CLI's own process. */
function cliStreaming(): CliRun[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cli-'));
  const config = path.join(dir, 'estate.json');
  fs.writeFileSync(config, JSON.stringify({
    primary: ['10.201.0.1/32'],
    members: Array.from({ length: CLI_MEMBERS }, (_, i) => `10.200.${Math.floor(i / 256)}.${(i % 256) + 1}/32`),
    devices: Array.from({ length: CLI_DEVICES }, (_, i) => `10.${Math.floor(i / 256)}.${i % 256}.1/32`),
  }));
  // Loaded before the CLI: reports its process's peak memory on exit.
  const preload = path.join(dir, 'rss.js');
  fs.writeFileSync(preload, "process.on('exit', () => require('fs').writeSync(2, '\\nbench-rss ' + process.resourceUsage().maxRSS / 1024 + '\\n'));\n");
  const bin = path.join(ROOT, 'dist', 'cli', 'main.js');
  const runs: CliRun[] = [];
  for (const [command, format] of [['matrix', 'json'], ['matrix', 'csv'], ['matrix', 'table'], ['matrix', 'markdown'], ['diagram', 'mermaid'], ['diagram', 'dot']]) {
    process.stderr.write(`bench: the CLI, ${command} --format ${format}...\n`);
    const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
    const line = [process.execPath, `--max-old-space-size=${CLI_HEAP_MB}`, '-r', preload, bin, command, '--format', format, '--config', config].map(quote).join(' ');
    const started = process.hrtime.bigint();
    // POSIX sh: the exit status of the CLI, then the byte count of its output.
    const r = spawnSync('sh', ['-c', `{ ${line}; echo "bench-exit $?" >&2; } | wc -c`], { encoding: 'utf8', env: ENV, maxBuffer: 2 ** 20 });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const code = Number(/bench-exit (\d+)/.exec(r.stderr)?.[1] ?? -1);
    const maxRssMb = Number(/bench-rss ([\d.]+)/.exec(r.stderr)?.[1] ?? NaN);
    runs.push({ command, format, code, ms, maxRssMb, bytes: Number(r.stdout.trim()) });
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return runs;
}

interface AuditRun { name: string; evaluated: string; ms: number; maxRssMb: number; code: number; findings: string }

/** The audit CLI on large exports: the time of the whole process, its peak memory, its findings. */
function auditRuns(): AuditRun[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-audit-'));
  const write = (name: string, value: unknown) => { const f = path.join(dir, name); fs.writeFileSync(f, JSON.stringify(value)); return f; };
  const preload = path.join(dir, 'rss.js');
  fs.writeFileSync(preload, "process.on('exit', () => require('fs').writeSync(2, 'bench-rss ' + process.resourceUsage().maxRSS / 1024 + '\\n'));\n");
  const config = write('site.json', AUDIT_SITE);
  const sgs = write('sgs.json', awsExport(100, 60));
  const nsgs = write('nsgs.json', azureExport(100, 60));
  // Before deploying: a template of 100 groups (60 rules each), a plan of 1,000 resources (100 groups, 900 rule resources).
  const template = write('template.json', cfnTemplate(100, 60));
  const plan = write('plan.json', terraformPlan(100, 1000));
  const groupFlags = (g: Record<string, string[]>) => ['--primary', g.primary.join(','), '--member', g.members.join(','), '--domum', g.domum.join(',')];
  const cases: Array<[string, string, string[]]> = [
    ['aws, each role wearing 5 groups', '15 of 100', ['aws', '--security-groups', sgs, ...groupFlags(awsGroups(5))]],
    ['aws, the roles wearing all 100 groups (33 each)', '99 of 100', ['aws', '--security-groups', sgs, ...groupFlags(awsGroups(33))]],
    ['azure, the cluster and Domum NSGs', '2 of 100', ['azure', '--nsgs', nsgs, '--cluster-nsg', 'nsg-0', '--domum-nsg', 'nsg-1', '--vnet', '10.0.0.0/16']],
    ['cloudformation, a 100-group template, each role wearing 5 groups', '15 of 100', ['cloudformation', '--template', template, ...groupFlags(cfnGroups(5))]],
    ['terraform, a 1,000-resource plan, each role wearing 5 groups', '15 of 100 groups', ['terraform', '--plan', plan, ...groupFlags(planGroups(5))]],
  ];
  const bin = path.join(ROOT, 'dist', 'cli', 'main.js');
  const runs = cases.map(([name, evaluated, args]) => {
    process.stderr.write(`bench: audit ${name}...\n`);
    const samples = Array.from({ length: SCALE_RUNS }, () => {
      const started = process.hrtime.bigint();
      const r = spawnSync(process.execPath, ['-r', preload, bin, 'audit', ...args, '--config', config, '--format', 'json'], { encoding: 'utf8', env: ENV, maxBuffer: 2 ** 28 });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (r.status !== 0 && r.status !== 1) throw new Error(`audit ${name} failed: ${r.stderr}`);
      const report = JSON.parse(r.stdout);
      return { ms, code: r.status, maxRssMb: Number(/bench-rss ([\d.]+)/.exec(r.stderr)?.[1]), findings: `${report.missing.length} missing, ${report.extra.length} extra` };
    });
    const [ms, maxRssMb] = [median(samples.map(x => x.ms)), median(samples.map(x => x.maxRssMb))];
    return { name, evaluated, ms, maxRssMb, code: samples[0].code, findings: samples[0].findings };
  });
  fs.rmSync(dir, { recursive: true, force: true });
  return runs;
}

/** The README's block written again from the committed results (after a change to report.ts), with no measurement. */
function reportOnly(): void {
  const results = JSON.parse(fs.readFileSync(path.join(ROOT, 'bench', 'results.json'), 'utf8')) as BenchResults;
  const readme = path.join(ROOT, 'README.md');
  fs.writeFileSync(readme, withBenchBlock(fs.readFileSync(readme, 'utf8'), benchBlock(results)));
}

function main(): void {
  if (process.argv.includes('--report-only')) return reportOnly();
  if (!fs.existsSync(path.join(ROOT, 'dist', 'aws', 'index.js'))) throw new Error('run `npm run compile` first (npm run bench does)');
  const results: Record<string, unknown> = {
    date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, runs: RUNS, scaleRuns: SCALE_RUNS,
  };
  const loadAtStart = os.loadavg()[0];
  const cases: Record<string, unknown> = {};
  results.cases = cases;
  const out: string[] = [];
  const targets: Array<[string, boolean, string]> = [];

  out.push(`## Synth: library vs hand-written (median of ${RUNS} alternating runs, whole process)`, '',
    '| Case | Library ms | Hand ms | Time ratio | Library MB | Hand MB | Memory ratio | Library rules | Hand rules | Same flows |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  const rows: Row[] = [];
  for (const [name] of CASES) {
    process.stderr.write(`bench: ${name}...\n`);
    const row = compare(name, RUNS);
    rows.push(row);
    const lt = median(row.library.map(r => r.ms)); const ht = median(row.hand.map(r => r.ms));
    const lm = median(row.library.map(r => r.maxRssMb)); const hm = median(row.hand.map(r => r.maxRssMb));
    const lr = row.library[0].rules!; const hr = row.hand[0].rules!;
    out.push(`| ${name} | ${fmt(lt)} | ${fmt(ht)} | ${fmt(lt / ht, 3)} | ${fmt(lm)} | ${fmt(hm)} | ${fmt(lm / hm, 3)} | ${lr} | ${hr} | ${row.sameFlows ? 'yes' : 'NO'} |`);
    targets.push([`${name}: time within +10% of hand-written`, lt / ht <= 1.10, `${fmt((lt / ht - 1) * 100, 1)}%`]);
    // Peak RSS moves with garbage-collection timing: a difference within the runs' own spread is noise.
    const noise = Math.max(mad(row.library.map(r => r.maxRssMb)), mad(row.hand.map(r => r.maxRssMb)));
    targets.push([`${name}: memory no more than hand-written (within run-to-run noise)`, lm - hm <= noise,
      `${fmt((lm / hm - 1) * 100, 1)}% (${fmt(lm - hm)} MB; noise ${fmt(noise)} MB)`]);
    targets.push([`${name}: rules fewer or equal`, lr <= hr, `${lr} vs ${hr}`]);
    targets.push([`${name}: the same flows allowed`, row.sameFlows, row.sameFlows ? 'identical' : 'DIFFERENT']);
    cases[name] = {
      libraryMs: lt, handMs: ht, libraryMb: lm, handMb: hm, libraryRules: lr, handRules: hr, sameFlows: row.sameFlows, memoryNoiseMb: noise,
    };
  }

  out.push('', `## Import cost (median of ${RUNS} processes)`, '', '| Module | require ms | process ms | peak MB | heavy packages loaded |', '| --- | --- | --- | --- | --- |');
  const imports = ['segura-constructs/aws', 'segura-constructs/azure', '@cdktf/provider-azurerm', 'aws-cdk-lib', 'cdktf'].map(m => { process.stderr.write(`bench: import ${m}...\n`); return importCost(m); });
  for (const i of imports) out.push(`| \`${i.module}\` | ${fmt(i.requireMs)} | ${fmt(i.processMs)} | ${fmt(i.maxRssMb)} | ${i.heavy.join(', ')} |`);
  const [awsImp, azImp, root] = imports;
  targets.push(['segura-constructs/azure loads in under a tenth of the root provider import', azImp.requireMs < root.requireMs / 10,
    `${fmt(azImp.requireMs)} ms vs ${fmt(root.requireMs)} ms (${fmt(root.requireMs / azImp.requireMs, 1)}x)`]);
  targets.push(['segura-constructs/aws loads neither cdktf nor the Azure provider', !awsImp.heavy.some(h => h.startsWith('cdktf') || h.startsWith('@cdktf')), awsImp.heavy.join(', ')]);
  targets.push(['segura-constructs/azure loads no aws-cdk-lib', !azImp.heavy.includes('aws-cdk-lib'), azImp.heavy.join(', ')]);
  results.imports = imports;

  out.push('', `## Growth with the number of device networks (library, median of ${SCALE_RUNS}; every other integration on; AWS at its default quotas)`, '',
    '| Cloud | Device /24s | Library ms | Groups (AWS) / NSGs (Azure) | Rules | Note |', '| --- | --- | --- | --- | --- | --- |');
  const scale: unknown[] = [];
  for (const cloud of ['aws', 'azure']) {
    for (const kind of ['spread', 'adjacent']) {
      for (const n of [1, 10, 100, 1000, 5000]) {
        process.stderr.write(`bench: ${cloud} with ${n} ${kind} device networks...\n`);
        const lib: Run[] = [];
        for (let i = 0; i < SCALE_RUNS; i++) lib.push(runOnce(`${cloud}-${kind}-${n}`, 'library'));
        const ms = median(lib.map(r => r.ms));
        const note = lib[0].error ? `fails synth: ${lib[0].error.replace(/\|/g, '/').slice(0, 160)}...` : '';
        out.push(`| ${cloud} | ${n} ${kind === 'spread' ? 'non-adjacent' : 'adjacent'} | ${fmt(ms)} | ${lib[0].groups ?? '-'} | ${lib[0].rules ?? '-'} | ${note} |`);
        scale.push({ cloud, kind, n, ms, groups: lib[0].groups, rules: lib[0].rules, error: lib[0].error });
      }
    }
  }
  results.scale = scale;

  // The largest number of non-adjacent device networks that fits at AWS's default quotas (bisection), and the count
  // bound: the most n for which each node's rules, per direction and family, number at most 4 groups x 60 rules.
  // Measured on the rules emitted: each count grows by the same number of rules per device network.
  const CAPACITY = 4 * 60;
  const largestFit = (prefix: string) => {
    let fits = 1; let fails = 5000;
    while (fails - fits > 1) {
      const mid = Math.floor((fits + fails) / 2);
      if (runOnce(`${prefix}-${mid}`, 'library').error) fails = mid; else fits = mid;
    }
    return { fits, refusal: runOnce(`${prefix}-${fits + 1}`, 'library').error! };
  };
  const countBound = (prefix: string) => {
    const [one, two] = [runOnce(`${prefix}-1`, 'library', false, true).perRole!, runOnce(`${prefix}-2`, 'library', false, true).perRole!];
    let bound = Infinity; let binding = '';
    for (const [key, a] of one) {
      const perDevice = (two.get(key) ?? 0) - a;
      if (perDevice <= 0) continue;
      const n = Math.floor((CAPACITY - (a - perDevice)) / perDevice);
      if (n < bound) { bound = n; binding = `${key.replace(/\|/g, ' ')}: ${a - perDevice} + ${perDevice} per network`; }
    }
    return { bound, binding };
  };
  const largest: Array<{ name: string; prefix: string; fits: number; bound: number; binding: string; refusal: string }> = [];
  for (const [name, prefix] of [['every integration, a Domum Gateway and a SeguraArbitrator (the growth table\'s case)', 'aws-spread'],
    ['every integration, a Domum Gateway, the Arbitrator outside the cloud (two addresses)', 'aws-arbitrator-outside']]) {
    process.stderr.write(`bench: the largest count that fits on AWS, ${prefix}...\n`);
    largest.push({ name, prefix, ...largestFit(prefix), ...countBound(prefix) });
  }
  out.push('', 'Largest number of non-adjacent device networks that fits at AWS\'s default quotas (60 rules, 4 groups per role), by bisection, '
    + 'and the count bound (the most for which every node\'s rules per direction and family number at most 240):', '',
  '| Case | Largest fit | Count bound | Binding count | Refusal one past it |', '| --- | --- | --- | --- | --- |');
  for (const l of largest) out.push(`| ${l.name} | ${l.fits} | ${l.bound} | ${l.binding} | ${l.refusal.replace(/\|/g, '/').slice(0, 160)}... |`);
  results.awsLargestFit = largest;
  const fiveThousand = scale.find((s: any) => s.cloud === 'aws' && s.kind === 'spread' && s.n === 5000) as any;
  targets.push(['AWS: 5,000 non-adjacent device networks fail in under 5 s, with the numbers', fiveThousand.error && fiveThousand.ms < 5000,
    `${fmt(fiveThousand.ms)} ms (whole process)`]);
  for (const l of largest) targets.push([`AWS (${l.prefix}): the largest fit is the count bound`, l.fits === l.bound, `${l.fits} vs ${l.bound}`]);

  // The CLI streams: 4,000 device /32s x 100 members, every format, the heap capped at 64 MB.
  out.push('', `## The CLI on a large estate: ${CLI_DEVICES} device /32s x ${CLI_MEMBERS} members, heap capped at ${CLI_HEAP_MB} MB (one run each)`, '',
    '| Command | Format | Exit | Seconds | Peak MB | Output MB |', '| --- | --- | --- | --- | --- | --- |');
  const cli = cliStreaming();
  for (const c of cli) out.push(`| ${c.command} | ${c.format} | ${c.code} | ${fmt(c.ms / 1000, 1)} | ${fmt(c.maxRssMb)} | ${fmt(c.bytes / 2 ** 20)} |`);
  targets.push([`CLI: every format of ${CLI_DEVICES} devices x ${CLI_MEMBERS} members ends with exit 0 in a ${CLI_HEAP_MB} MB heap`, cli.every(c => c.code === 0),
    cli.map(c => `${c.format} ${c.code}`).join(', ')]);
  results.cli = cli;
  results.cliEstate = { devices: CLI_DEVICES, members: CLI_MEMBERS, heapMb: CLI_HEAP_MB };

  // The audit: exports of 100 security groups / NSGs with 60 rules each, through the CLI.
  out.push('', `## Audit: 100 groups or NSGs of 60 rules each, through the CLI (whole process, median of ${SCALE_RUNS})`, '',
    '| Case | Groups evaluated | ms | Peak MB | Exit | Findings |', '| --- | --- | --- | --- | --- | --- |');
  const audits = auditRuns();
  for (const a of audits) out.push(`| ${a.name} | ${a.evaluated} | ${fmt(a.ms)} | ${fmt(a.maxRssMb)} | ${a.code} | ${a.findings} |`);
  for (const a of audits) targets.push([`audit ${a.name} in under 2 s`, a.ms < 2000 && a.code === 1, `${fmt(a.ms)} ms, exit ${a.code}`]);
  results.audit = audits;

  out.push('', '## Targets', '', '| Target | Met | Figure |', '| --- | --- | --- |', ...targets.map(([t, ok, f]) => `| ${t} | ${ok ? 'yes' : '**no**'} | ${f} |`));
  results.targets = targets;
  results.loadAverage = { start: loadAtStart, end: os.loadavg()[0] };
  fs.writeFileSync(path.join(OUT, 'results.json'), JSON.stringify(results, null, 2));
  process.stdout.write(out.join('\n') + '\n');
  // The committed results and the README's block, written from them (a test holds the two together).
  fs.writeFileSync(path.join(ROOT, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  const readme = path.join(ROOT, 'README.md');
  fs.writeFileSync(readme, withBenchBlock(fs.readFileSync(readme, 'utf8'), benchBlock(results as unknown as BenchResults)));
  process.stderr.write('bench: wrote bench/results.json and the README\'s benchmark block\n');
}

main();
