/**
 * The README's code, run in process: every TypeScript block is transpiled and run here,
 * its `segura-constructs/...` imports mapped to this repository's sources, in a
 * directory of its own; it synthesizes with no warning (AWS: the assembly's metadata;
 * Azure: the stacks' annotations), and writes nothing on the console. aws-cdk-lib's
 * template validation is off here (test/support/fast-synth.ts); it runs on these blocks
 * in the scratch apps below, and on the examples in npm test. Every JSON block is a valid config; the peer table
 * says what package.json declares and what test:external recorded; every link resolves.
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
import { currentPeerTable, readmePeerTable, RECORD, TestedPeers } from '../scripts/peer-table';
import './support/fast-synth';
import { awsInstanceZones, azureVmZones } from './support/placement';
import { fencedBlocks, tsBlocks } from './support/readme-blocks';

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

const blocks = (lang: string) => fencedBlocks(README, lang);
const TS_BLOCKS = tsBlocks(README);

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
  const env = { CDK_OUTDIR: process.env.CDK_OUTDIR, CDK_CONTEXT_JSON: process.env.CDK_CONTEXT_JSON };
  process.chdir(dir);
  process.env.CDK_OUTDIR = path.join(dir, 'cdk.out');
  // As the CDK CLI runs an app: construct paths in the templates' metadata.
  process.env.CDK_CONTEXT_JSON = JSON.stringify({ 'aws:cdk:enable-path-metadata': true });
  try {
    const module = { exports: {} };
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    new Function('require', 'module', 'exports', js)(load, module, module.exports);
  } finally {
    process.chdir(cwd);
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    for (const s of [...spies, stdout, stderr]) s.mockRestore();
  }
  return { log, stdout: out.join(''), stderr: err.join('') };
}

const dirFor = (name: string) => { const d = path.join(WORK, name); fs.mkdirSync(d, { recursive: true }); return d; };

describe('the README\'s TypeScript blocks, run in process', () => {
  test('the README has the blocks this test runs: both quick starts, the acknowledgement, the audit, the validation plugin and the layout file', () => {
    expect(TS_BLOCKS.map(b => b.cloud)).toEqual(['aws', 'azure', 'aws', 'aws', 'aws', 'aws']);
    expect(Object.keys(ENTRIES).sort()).toEqual(['segura-constructs', 'segura-constructs/audit', 'segura-constructs/aws', 'segura-constructs/azure',
      'segura-constructs/core', 'segura-constructs/errors']);
  });

  // Where each block's instances sit: the quick start spreads them over the VPC's two zones (an environment-agnostic stack sees two).
  const AWS_ZONES: Record<string, Record<string, string>> = {
    'readme-1': { 'SeguraNetwork/Primary': 'az[0]', 'SeguraNetwork/Member1': 'az[1]', 'SeguraNetwork/Member2': 'az[0]', 'SeguraArbitrator/ArbitratorHost': 'az[1]' },
    'readme-3': {},
    'readme-6': {},
  };
  test.each(TS_BLOCKS.filter(b => b.cloud === 'aws' && !b.code.includes('FirewallAudit') && !b.code.includes('SeguraFirewallValidation')).map(b => [b.name, b.code]))('%s (AWS) synthesizes with no warning, its instances where it says', (name, code) => {
    const dir = dirFor(name);
    expect(runBlock(code, dir)).toEqual({ log: [], stdout: '', stderr: '' });
    // The cloud assembly as the CDK CLI reads it (messages live beside the manifest since 2.262).
    const assembly = new CloudAssembly(path.join(dir, 'cdk.out'));
    expect(assembly.stacks.map(st => st.stackName).sort()).toEqual([...code.matchAll(/new Stack\(app, '(\w+)'\)/g)].map(m => m[1]).sort());
    expect(assembly.stacks.flatMap(st => st.messages.map(m => `${m.level} at ${m.id}: ${m.entry.data}`))).toEqual([]);
    expect(awsInstanceZones(Object.fromEntries(assembly.stacks.map(st => [st.stackName, st.template])))).toEqual(AWS_ZONES[name]);
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
    // The VMs over the region's three zones, the Arbitrator away from the Primary.
    expect(azureVmZones(tf)).toEqual({ primary: '1', member1: '2', member2: '3', domum: '1', arbitrator: '3' });
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

  test('the layout file\'s block writes its file where it runs (never in the repository); run again, it leaves it as it is', () => {
    const block = TS_BLOCKS.find(b => b.code.includes('layoutFile'))!;
    const dir = dirFor(`${block.name}-file`);
    const file = path.join(dir, /const layoutFile = '([^']+)'/.exec(block.code)![1]);
    expect(runBlock(block.code, dir)).toEqual({ log: [], stdout: '', stderr: '' });
    const text = fs.readFileSync(file, 'utf8');
    expect(Object.keys(JSON.parse(text).holders))
      .toEqual(['SeguraNetwork/Domum/SecurityGroup', 'SeguraNetwork/Segura/MemberSecurityGroup', 'SeguraNetwork/Segura/PrimarySecurityGroup']);
    expect(Object.keys(JSON.parse(text).holders['SeguraNetwork/Segura/PrimarySecurityGroup'].egress)).toEqual(['PrimarySecurityGroup', 'PrimarySecurityGroup2']);
    expect(runBlock(block.code, dir)).toEqual({ log: [], stdout: '', stderr: '' });
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
    expect(fs.existsSync(path.join(ROOT, path.basename(file)))).toBe(false);
  });

  test('every JSON block is a valid config', () => {
    const json = blocks('json');
    expect(json.length).toBeGreaterThan(0);
    for (const text of json) expect(() => readConfig(JSON.parse(text))).not.toThrow();
  });
});

describe('the README\'s peer table', () => {
  const record = JSON.parse(fs.readFileSync(RECORD, 'utf8')) as TestedPeers;
  const floorOf = (peer: string) => /(\d+\.\d+\.\d+)/.exec(PKG.peerDependencies[peer])![1];

  test('is the table its sources give: package.json\'s ranges, the versions test:external recorded, the repository\'s own', () => {
    expect(readmePeerTable(README)).toBe(currentPeerTable(ROOT));
  });

  test('the recorded floor is the floor of package.json\'s ranges (a range changed since the last run fails here)', () => {
    expect(record.floor).toEqual({
      aws: { 'aws-cdk-lib': floorOf('aws-cdk-lib'), 'constructs': floorOf('constructs') },
      azure: { 'cdktf': floorOf('cdktf'), '@cdktf/provider-azurerm': floorOf('@cdktf/provider-azurerm'), 'constructs': expect.stringMatching(/^10\./) },
    });
  });
});

describe('the README\'s links', () => {
  /** The README without its fenced blocks (a link or heading inside one is text). */
  const prose = README.replace(/^( *)```[\s\S]*?^\1```$/gm, '');
  /** GitHub's anchor for a heading: lower case, punctuation out, spaces to hyphens. */
  const anchor = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
  const anchors = new Set([...prose.matchAll(/^#{1,6} (.+)$/gm)].map(m => anchor(m[1])));
  const links = [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map(m => m[1]);

  test('every link resolves: a file or folder of the repository, a heading of the README, or a public https address', () => {
    expect(links.length).toBeGreaterThan(20);
    const broken = links.filter(link => {
      if (/^https?:/.test(link)) return !link.startsWith('https://') || new URL(link).hostname.split('.').length < 2;
      if (link.startsWith('#')) return !anchors.has(link.slice(1));
      const target = path.resolve(ROOT, link.split('#')[0]);
      return !target.startsWith(ROOT + path.sep) || !fs.existsSync(target);
    });
    expect(broken).toEqual([]);
  });
});
