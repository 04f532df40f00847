/**
 * npm run planted-bugs: can the proofs fail? Each bug below is a small, plausible
 * mistake in the code that decides what opens. The script copies the working tree to
 * a scratch directory, runs the bug's test files there once as they are (they must
 * pass), then, for each bug, plants it, runs the same files and asserts that they fail,
 * in fixed-case tests (the files listed draw no random configurations, so the failure
 * is deterministic), and names the tests that caught it.
 *
 *   npm run planted-bugs                    # every bug
 *   npm run planted-bugs -- --only aws-port # one bug, by name
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

interface PlantedBug {
  readonly name: string;
  /** What the bug is, as a reviewer would describe it. */
  readonly what: string;
  readonly file: string;
  /** Text that occurs exactly once in the file, and what replaces it. */
  readonly find: string;
  readonly replace: string;
  /** Test files with fixed cases only (no random configurations). */
  readonly tests: readonly string[];
}

export const BUGS: readonly PlantedBug[] = [
  {
    name: 'keeps-disabled-row',
    what: 'the cluster topology keeps USR-HTTP although disabledRules names it',
    file: 'lib/core/topology.ts',
    find: 'this.all = planFlows(planOptionsOf([...this.peers.keys(), ...this.awaitedGateways], this.options), input.isUnresolved);',
    replace: 'this.all = planFlows(planOptionsOf([...this.peers.keys(), ...this.awaitedGateways], '
      + '{ ...this.options, disabledRules: this.options.disabledRules?.filter(id => id !== \'USR-HTTP\') }), input.isUnresolved);',
    tests: ['test/aws/cluster.test.ts', 'test/azure/cluster.test.ts'],
  },
  {
    name: 'azure-ports-wider',
    what: 'every Azure rule\'s port range above 1000 is one port wider (1434, 5433, 7444, 9301, 51446, 59023 ...)',
    file: 'lib/azure/rules.ts',
    find: 'const ports = ranges.map(r => context.isUnresolved(r.from) ? target.tokenString(r.from) : formatRange(r));',
    replace: 'const ports = ranges.map(r => context.isUnresolved(r.from) ? target.tokenString(r.from) : formatRange(r.to > 1000 ? { ...r, to: r.to + 1 } : r));',
    tests: ['test/azure/cluster.test.ts', 'test/azure/example.test.ts', 'test/ha.test.ts'],
  },
  {
    name: 'azure-prefix-narrower',
    what: 'every IPv4 prefix an Azure rule names is one bit narrower (/16 becomes /17: half its addresses lost)',
    file: 'lib/azure/render.ts',
    find: 'function setEndpoint(side: \'source\' | \'destination\', e: NsgEndpoint): Record<string, unknown> {',
    replace: 'function setEndpoint(side: \'source\' | \'destination\', e0: NsgEndpoint): Record<string, unknown> {\n'
      + '  const narrow = (p: string) => p.replace(/^(\\d+\\.\\d+\\.\\d+\\.\\d+)\\/(\\d+)$/, (m, a, n) => (Number(n) < 32 ? `${a}/${Number(n) + 1}` : m));\n'
      + '  const e: NsgEndpoint = \'prefix\' in e0 ? { prefix: narrow(e0.prefix) } : \'prefixes\' in e0 ? { prefixes: e0.prefixes.map(narrow) } : e0;',
    tests: ['test/azure/cluster.test.ts', 'test/azure/example.test.ts'],
  },
  {
    name: 'aws-port-wider',
    what: 'the AWS rule toward devices on 5432 (DVC-POSTGRES) ends one port higher (5432-5433)',
    file: 'lib/aws/rules.ts',
    find: 'const port = portOf(context, rule.protocol, rule.range.from, rule.range.to, rule.flows.map(f => f.id).join(\',\'));',
    replace: 'const port = portOf(context, rule.protocol, rule.range.from, rule.range.to === 5432 ? 5433 : rule.range.to, rule.flows.map(f => f.id).join(\',\'));',
    tests: ['test/aws/cluster.test.ts', 'test/aws/example.test.ts'],
  },
];

/** The working tree's files (tracked and new, not ignored), copied to `dir`; node_modules linked. */
function scratchCopy(dir: string): void {
  const files = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
  for (const f of files) {
    const from = path.join(ROOT, f);
    if (!fs.existsSync(from)) continue; // deleted in the working tree
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.copyFileSync(from, path.join(dir, f));
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
}

interface Run {
  readonly failed: number;
  readonly passed: number;
  readonly failures: string[];
}

/** Jest on `tests` in `dir`, in band; the counts and the failing tests' names. */
function jest(dir: string, tests: readonly string[]): Run {
  const out = path.join(dir, 'planted-bugs.json');
  const r = spawnSync(process.execPath, [path.join(dir, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', '--runInBand', '--json', '--outputFile', out, ...tests],
    { cwd: dir, encoding: 'utf8', env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CHECKPOINT_DISABLE: '1' } });
  if (!fs.existsSync(out)) throw new Error(`jest wrote no results (exit ${r.status}):\n${r.stderr}`);
  const results = JSON.parse(fs.readFileSync(out, 'utf8'));
  fs.rmSync(out);
  const failures = (results.testResults as any[]).flatMap(file => (file.assertionResults as any[])
    .filter(a => a.status === 'failed').map(a => `${path.relative(dir, file.name)}: ${a.fullName}`));
  // A file that fails to run at all (a syntax error the bug made) is not a proof: count it apart.
  const broken = (results.testResults as any[]).filter(file => file.assertionResults.length === 0 && file.status === 'failed');
  if (broken.length > 0) throw new Error(`test files did not run: ${broken.map(f => `${f.name}: ${f.message}`).join('\n')}`);
  return { failed: results.numFailedTests, passed: results.numPassedTests, failures };
}

function main(): void {
  const argv = process.argv.slice(2);
  const only = argv.includes('--only') ? argv[argv.indexOf('--only') + 1] : undefined;
  const bugs = BUGS.filter(b => !only || b.name === only);
  if (bugs.length === 0) throw new Error(`no planted bug named ${only}; known: ${BUGS.map(b => b.name).join(', ')}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'segura-planted-'));
  let ok = true;
  try {
    scratchCopy(dir);
    const files = [...new Set(bugs.flatMap(b => b.tests))];
    const clean = jest(dir, files);
    console.log(`no bug: ${clean.passed} passed, ${clean.failed} failed (${files.join(', ')})`);
    if (clean.failed > 0) throw new Error(`the test files fail without a bug:\n${clean.failures.join('\n')}`);
    for (const bug of bugs) {
      const file = path.join(dir, bug.file);
      const original = fs.readFileSync(file, 'utf8');
      if (original.split(bug.find).length !== 2) throw new Error(`${bug.name}: the text to replace is not in ${bug.file} exactly once (the code moved: update the bug)`);
      fs.writeFileSync(file, original.replace(bug.find, bug.replace));
      try {
        const run = jest(dir, bug.tests);
        const caught = run.failed > 0;
        ok &&= caught;
        console.log(`${caught ? 'caught' : 'NOT CAUGHT'}: ${bug.name}: ${bug.what}: ${run.failed} failed, ${run.passed} passed`);
        for (const f of run.failures) console.log(`  ${f}`);
      } finally {
        fs.writeFileSync(file, original);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(ok ? 'every planted bug fails the tests' : 'some planted bug passes the tests');
  process.exitCode = ok ? 0 : 1;
}

if (require.main === module) main();
