/**
 * The README's code, run in process: every TypeScript block is transpiled and run here,
 * its `segura-constructs/...` imports mapped to this repository's sources, in a
 * directory of its own; it synthesizes with no warning (AWS: the assembly's metadata;
 * Azure: the stacks' annotations), and writes nothing on the console. aws-cdk-lib's
 * template validation is off here (test/support/fast-synth.ts); it runs on these blocks
 * in the scratch apps below, and on the examples in npm test. Every JSON block is a valid config; the peer table
 * says what package.json declares.
 *
 * The same blocks, compiled against the packed package in scratch apps and synthesized
 * through the CDK and CDKTF CLIs, are `npm run test:external`
 * (test/external/readme-apps.test.ts).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import * as ts from 'typescript';
import { readConfig } from '../lib/core/config-file';
import './support/fast-synth';

const ROOT = path.join(__dirname, '..');
// Synthesizes the quick starts in process: the first synth of a file loads aws-cdk-lib and cdktf.
jest.setTimeout(60_000);
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'segura-readme-'));
afterAll(() => fs.rmSync(WORK, { recursive: true, force: true }));

/** The package's entry points, as package.json's `exports` names them, mapped to the sources. */
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const ENTRIES: Record<string, string> = Object.fromEntries(Object.entries<any>(PKG.exports)
  .filter(([, target]) => typeof target === 'object' && target.default)
  .map(([sub, target]) => [path.posix.join(PKG.name, sub), path.join(ROOT, target.default.replace(/^\.\/dist\//, 'lib/').replace(/\.js$/, ''))]));

/** The fenced blocks of one language, in order. */
const blocks = (lang: string) => [...README.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\``, 'gm'))].map(m => m[1]);
const TS_BLOCKS = blocks('ts').map((code, i) => ({ code, name: `readme-${i + 1}`, cloud: code.includes('\'segura-constructs/azure\'') ? 'azure' : 'aws' }));

/**
 * Run a block in `dir` (its working directory: where it reads files and writes its
 * cloud assembly), with its imports of the package mapped to the sources. Returns
 * what it printed on the console, and on stdout and stderr.
 */
function runBlock(code: string, dir: string): { log: string[]; stdout: string; stderr: string } {
  const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };
  const js = ts.transpileModule(code, { compilerOptions }).outputText;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = (id: string) => require(ENTRIES[id] ?? id);
  const log: string[] = [];
  const spies = (['log', 'info', 'warn', 'error'] as const).map(level => jest.spyOn(console, level).mockImplementation((...a) => { log.push(a.join(' ')); }));
  const out: string[] = []; const err: string[] = [];
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((c: any) => { out.push(String(c)); return true; });
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((c: any) => { err.push(String(c)); return true; });
  const cwd = process.cwd();
  const env = { CDK_OUTDIR: process.env.CDK_OUTDIR };
  process.chdir(dir);
  process.env.CDK_OUTDIR = path.join(dir, 'cdk.out');
  try {
    const module = { exports: {} };
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    new Function('require', 'module', 'exports', js)(load, module, module.exports);
  } finally {
    process.chdir(cwd);
    if (env.CDK_OUTDIR === undefined) delete process.env.CDK_OUTDIR; else process.env.CDK_OUTDIR = env.CDK_OUTDIR;
    for (const s of [...spies, stdout, stderr]) s.mockRestore();
  }
  return { log, stdout: out.join(''), stderr: err.join('') };
}

const dirFor = (name: string) => { const d = path.join(WORK, name); fs.mkdirSync(d, { recursive: true }); return d; };

describe('the README\'s TypeScript blocks, run in process', () => {
  test('the README has the blocks this test runs: both quick starts and the audit', () => {
    expect(TS_BLOCKS.map(b => b.cloud)).toEqual(['aws', 'azure', 'aws', 'aws']);
    expect(Object.keys(ENTRIES).sort()).toEqual(['segura-constructs', 'segura-constructs/audit', 'segura-constructs/aws', 'segura-constructs/azure',
      'segura-constructs/core', 'segura-constructs/errors']);
  });

  test.each(TS_BLOCKS.filter(b => b.cloud === 'aws' && !b.code.includes('FirewallAudit') && !b.code.includes('SeguraFirewallValidation')).map(b => [b.name, b.code]))('%s (AWS) synthesizes with no warning', (name, code) => {
    const dir = dirFor(name);
    expect(runBlock(code, dir)).toEqual({ log: [], stdout: '', stderr: '' });
    // The cloud assembly as the CDK CLI reads it (messages live beside the manifest since 2.262).
    const assembly = new CloudAssembly(path.join(dir, 'cdk.out'));
    expect(assembly.stacks.map(st => st.stackName).sort()).toEqual(['SeguraArbitrator', 'SeguraDomum', 'SeguraNetwork']);
    expect(assembly.stacks.flatMap(st => st.messages.map(m => `${m.level} at ${m.id}: ${m.entry.data}`))).toEqual([]);
  });

  test.each(TS_BLOCKS.filter(b => b.cloud === 'azure').map(b => [b.name, b.code]))('%s (Azure) synthesizes with no warning', (name, code) => {
    const dir = dirFor(name);
    expect(runBlock(code, dir)).toEqual({ log: [], stdout: '', stderr: '' });
    const outdir = path.join(dir, 'cdktf.out');
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
    // cdktf keeps each stack's warnings and errors as its annotations (the CLI prints them).
    expect(Object.values<any>(manifest.stacks).flatMap(s => s.annotations)).toEqual([]);
    const tf = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'segura', 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(tf.resource.azurerm_network_security_rule).length).toBeGreaterThan(10);
  });

  test('the audit block runs on the exports it names', () => {
    const block = TS_BLOCKS.find(b => b.code.includes('FirewallAudit'))!;
    const dir = dirFor(block.name);
    fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'audit', 'aws-site.json'), path.join(dir, 'site.json'));
    fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'audit', 'aws-describe-security-groups.json'), path.join(dir, 'sgs.json'));
    const r = runBlock(block.code, dir);
    expect({ stdout: r.stdout, stderr: r.stderr }).toEqual({ stdout: '', stderr: '' });
    expect(r.log.join('\n')).toMatch(/^USR-RDP: USERW -> PRD tcp\/3389: PRD ingress .*\n.*\n2 missing, 10 extra, 1 unresolved$/);
  });

  test('the validation plugin\'s block passes synth; without its RDP rule, synth fails as the README shows', () => {
    const block = TS_BLOCKS.find(b => b.code.includes('SeguraFirewallValidation'))!;
    expect(runBlock(block.code, dirFor(`${block.name}-passing`))).toEqual({ log: [], stdout: '', stderr: '' });
    const failing = block.code.split('\n').filter(l => !l.includes('ec2.Port.tcp(3389)')).join('\n');
    expect(failing).not.toBe(block.code);
    const shown = /This passes\. Without the RDP rule[^\n]*\n\n```text\n([\s\S]*?)```/.exec(README)![1].trim().split('\n');
    expect(shown).toHaveLength(3);
    let message = '';
    try {
      runBlock(failing, dirFor(`${block.name}-failing`));
    } catch (e) {
      message = (e as Error).message;
    }
    for (const line of shown) expect(message).toContain(line);
  });

  test('every JSON block is a valid config', () => {
    const json = blocks('json');
    expect(json.length).toBeGreaterThan(0);
    for (const text of json) expect(() => readConfig(JSON.parse(text))).not.toThrow();
  });
});

describe('the README\'s peer table', () => {
  test('says what package.json declares and what the repository is developed on', () => {
    const installed = (name: string) => JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version as string;
    const table = /<!-- peer-floor -->([\s\S]*?)<!-- \/peer-floor -->/.exec(README)![1];
    const rows = table.split('\n').filter(l => l.startsWith('| `')).map(l => l.split(/(?<!\\)\|/).map(c => c.trim().replace(/\\\|/g, '|')));
    expect(rows.map(r => /^`([^`]+)`/.exec(r[1])![1]).sort()).toEqual(Object.keys(PKG.peerDependencies).sort());
    for (const [, name, range, floor, developed] of rows) {
      const peer = /^`([^`]+)`/.exec(name)![1];
      expect({ peer, range, floor: floor.split(' ')[0], developed }).toEqual({
        peer, range: `\`${PKG.peerDependencies[peer]}\``, floor: /(\d+\.\d+\.\d+)/.exec(PKG.peerDependencies[peer])![1], developed: installed(peer),
      });
    }
  });
});
