/**
 * `npm run test:external`: the README, run as a user runs it, outside the repository.
 *
 * - Its install block runs as written, in a new directory: the clone (of this
 *   repository's checked-out commit: the one thing changed is the URL), `npm ci` and
 *   `npx projen package` there, then the lines for each cloud in a new app beside it.
 * - The newest peers: those apps get what `npm install` gives today (aws-cdk-lib, the
 *   aws-cdk CLI, TypeScript and cdk-nag; cdktf, the provider, cdktf-cli and TypeScript
 *   5.9). Every TypeScript block of the README is compiled there (strict, with the app's
 *   own TypeScript, so a block needs no import it does not show) and synthesized through
 *   the CLI the README names, with no warning; the acknowledgement block is checked both
 *   ways (nothing reported with it; the findings without it, or with the ways that match
 *   nothing).
 * - The floor: the same package with the floor of each peer range
 *   (scripts/peer-floor.ts), the blocks that need no more than the floor run there, and
 *   the examples are evaluated.
 * - At the end, the versions installed are recorded (test/external/tested-peers.json)
 *   and written in the README's peer table (scripts/peer-table.ts).
 *
 * (npm test runs the same blocks in process: test/readme.test.ts.)
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { checkFloorApp, floorSpecs } from '../../scripts/peer-floor';
import { TABLE_ROWS, TestedPeers, writeTestedPeers } from '../../scripts/peer-table';
import { Cloud, CLOUD_PEERS, createScratchApp, ROOT } from '../../scripts/scratch-app';
import { awsInstanceZones, azureVmZones } from '../support/placement';
import { fencedBlocks, packagesImported, tsBlocks } from '../support/readme-blocks';

const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'segura-readme-'));
// An empty terraform CLI config: without one, terraform's own complaint about it would pass for the app's.
fs.writeFileSync(path.join(WORK, 'terraformrc'), '');
// This process's environment, without what `npm run` adds about this repository (the clone and the apps are other packages).
const ENV = {
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_package_|npm_lifecycle_|npm_config_local_prefix$|INIT_CWD$)/.test(k))),
  CDK_DISABLE_CLI_TELEMETRY: 'true',
  CHECKPOINT_DISABLE: '1',
  JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20',
  TF_CLI_CONFIG_FILE: path.join(WORK, 'terraformrc'),
};
const exec = promisify(execFile);
// A clone, npm ci, a jsii build, four apps from the registry, the CLIs: many minutes on a small machine.
const SETUP_TIMEOUT = 3_600_000;
jest.setTimeout(600_000);

const TS_BLOCKS = tsBlocks(README);
/** The apps: the newest peers and the floor, for each cloud. */
type AppName = 'newest-aws' | 'newest-azure' | 'floor-aws' | 'floor-azure';
const APPS: Record<AppName, { cloud: Cloud; dir: string }> = {
  'newest-aws': { cloud: 'aws', dir: path.join(WORK, 'newest-aws', 'my-app') },
  'newest-azure': { cloud: 'azure', dir: path.join(WORK, 'newest-azure', 'my-app') },
  'floor-aws': { cloud: 'aws', dir: path.join(WORK, 'floor-aws') },
  'floor-azure': { cloud: 'azure', dir: path.join(WORK, 'floor-azure') },
};
/** The packages an app has (package.json's dependencies of both kinds): a block runs where every package it imports is. */
const packagesOf = (dir: string) => {
  const p = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  return new Set([...Object.keys(p.dependencies ?? {}), ...Object.keys(p.devDependencies ?? {})]);
};
/** A block that registers validation plugins needs `Validations` (aws-cdk-lib 2.262's acknowledgements): not at the floor. */
const needsNewest = (code: string) => /\bValidations\b/.test(code);
const blocksFor = (app: AppName, packages: Set<string>) =>
  TS_BLOCKS.filter(b => b.cloud === APPS[app].cloud && packagesImported(b.code).every(p => packages.has(p))
    && !(app.startsWith('floor-') && needsNewest(b.code)));
const ran: Record<string, AppName[]> = Object.fromEntries(TS_BLOCKS.map(b => [b.name, []]));
const version = (dir: string, name: string) => {
  const file = path.join(dir, 'node_modules', name, 'package.json');
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')).version as string : undefined;
};

/**
 * A cloud assembly, read by the app's own aws-cdk-lib (the repository's reads only the
 * schema versions it knows; the newest aws-cdk-lib writes later ones).
 */
function assemblyOf(appDir: string, outdir: string): { stacks: Array<{ stackName: string; template: any; messages: any[] }> } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { CloudAssembly } = require(path.join(appDir, 'node_modules', 'aws-cdk-lib', 'cx-api'));
  return new CloudAssembly(outdir);
}

/** Run `command` with bash (-e: the first failing line stops it); its output in the error. */
async function bash(script: string, cwd: string, env: NodeJS.ProcessEnv = ENV): Promise<string> {
  try {
    const { stdout, stderr } = await exec('bash', ['-ec', script], { cwd, env, maxBuffer: 2 ** 26 });
    return `${stdout}${stderr}`;
  } catch (e: any) {
    throw new Error(`in ${cwd}:\n${script}\nfailed:\n${`${e.stdout ?? ''}${e.stderr ?? ''}`.trim().split('\n').slice(-40).join('\n')}`);
  }
}

/** A script and what it printed: the exit code and both streams. */
async function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = ENV) {
  try {
    const { stdout, stderr } = await exec(command, args, { cwd, env, maxBuffer: 2 ** 26 });
    return { code: 0, stdout, stderr };
  } catch (e: any) {
    return { code: e.code as number, stdout: String(e.stdout), stderr: String(e.stderr) };
  }
}

// The install block: the lines before the first `cd` are done once (the clone and its package); the rest in each app,
// those marked `# AWS` or `# Azure` in that cloud's app only.
const INSTALL = fencedBlocks(README, 'sh').find(b => b.includes('git clone'))!;
const INSTALL_LINES = INSTALL.split('\n').filter(l => l.trim() !== '' && !l.trim().startsWith('#'));
const FIRST_CD = INSTALL_LINES.findIndex(l => l.startsWith('cd '));
const tagOf = (line: string) => /#\s*(AWS|Azure)\s*$/.exec(line)?.[1]?.toLowerCase();

/** The acknowledgement block, and the ways it is checked: without it, and with the forms that match nothing. */
const ACK_BLOCK = TS_BLOCKS.find(b => b.code.includes('.acknowledge('))!;
const ACK_STATEMENT = /^Validations\.of\(cluster\)\.acknowledge\([\s\S]*?^\);\n/m;
const ACK_VARIANTS: Record<string, string> = {
  'unacknowledged': ACK_BLOCK.code.replace(ACK_STATEMENT, ''),
  'bare-id': ACK_BLOCK.code.replace('\'CloudFormation-Validate::W2508\'', '\'W2508\''),
  'annotations': ACK_BLOCK.code
    .replace('import { App, Stack, Validations } from \'aws-cdk-lib\';', 'import { Annotations, App, Stack, Validations } from \'aws-cdk-lib\';')
    .replace(ACK_STATEMENT, 'Annotations.of(cluster).acknowledgeWarning(\'CloudFormation-Validate::W2508\', \'by decision\');\n'
      + 'Validations.of(cluster).acknowledge({ id: \'AwsSolutions::AwsSolutions-EC23\', reason: \'by decision\' });\n'),
};

let tarball: string;

async function newestApp(name: 'newest-aws' | 'newest-azure'): Promise<void> {
  const { cloud, dir } = APPS[name];
  // `my-app`, beside the clone (a link to the one clone).
  createScratchApp(dir, `readme-${cloud}`, { skipLibCheck: true });
  fs.symlinkSync(path.join(WORK, 'segura-constructs'), path.join(path.dirname(dir), 'segura-constructs'));
  const lines = INSTALL_LINES.slice(FIRST_CD).filter(l => tagOf(l) === undefined || tagOf(l) === cloud);
  await bash(lines.join('\n'), path.dirname(dir));
  // What the acknowledgement block names: cdk-nag.
  if (cloud === 'aws') await bash('npm install --no-audit --no-fund cdk-nag', dir);
  const blocks = blocksFor(name, packagesOf(dir));
  for (const b of blocks) fs.writeFileSync(path.join(dir, `${b.name}.ts`), b.code);
  if (cloud === 'aws') for (const [variant, code] of Object.entries(ACK_VARIANTS)) fs.writeFileSync(path.join(dir, `${ACK_BLOCK.name}-${variant}.ts`), code);
  // The app's own TypeScript (the newest for AWS, as cdk init gives it; 5.9 for Azure, as the README says).
  await bash('node_modules/.bin/tsc -p .', dir);
  for (const b of blocks) ran[b.name].push(name);
}

function floorApp(name: 'floor-aws' | 'floor-azure'): string {
  const { cloud, dir } = APPS[name];
  const specs = floorSpecs(cloud);
  const packages = new Set(['segura-constructs', ...CLOUD_PEERS[cloud]]);
  const blocks = blocksFor(name, packages);
  const result = checkFloorApp(dir, cloud, tarball, specs, { extraFiles: Object.fromEntries(blocks.map(b => [`${b.name}.ts`, b.code])) });
  for (const b of blocks) ran[b.name].push(name);
  return result;
}

const floorResults: Partial<Record<AppName, string>> = {};
beforeAll(async () => {
  // The clone and its package, as written (the URL: this repository).
  const setup = INSTALL_LINES.slice(0, FIRST_CD).join('\n');
  if (!setup.includes(`git clone ${PKG.repository.url}`)) throw new Error(`the install block clones ${setup.split('\n')[0]}, not ${PKG.repository.url}`);
  // npm ci installs the lock file's versions: from npm's cache where it has them.
  await bash(setup.replace(`git clone ${PKG.repository.url}`, `git clone --quiet ${ROOT} segura-constructs`), WORK, { ...ENV, npm_config_prefer_offline: 'true' });
  const built = path.join(WORK, 'segura-constructs', 'dist', 'js');
  tarball = path.join(built, fs.readdirSync(built).find(f => f.endsWith('.jsii.tgz'))!);
  await Promise.all([newestApp('newest-aws'), newestApp('newest-azure')]);
  floorResults['floor-aws'] = floorApp('floor-aws');
  floorResults['floor-azure'] = floorApp('floor-azure');
}, SETUP_TIMEOUT);
afterAll(() => fs.rmSync(WORK, { recursive: true, force: true }));

/** The checks, and those that passed: the versions are recorded only when every one did. */
const checks = new Set<string>();
const passed = new Set<string>();
const check = (name: string, fn: () => Promise<void> | void) => {
  checks.add(name);
  test(name, async () => {
    await fn();
    passed.add(name);
  });
};
/** test.each, counted as checks (one per case, named by `key`). */
function checkEach<T extends unknown[]>(rows: T[], key: (...row: T) => string, name: string, fn: (...row: T) => Promise<void>): void {
  for (const row of rows) checks.add(key(...row));
  test.each(rows as any)(name, async (...row: any[]) => {
    await fn(...(row as T));
    passed.add(key(...(row as T)));
  });
}

describe('the README\'s install block, from a fresh clone', () => {
  check('the package built in the clone has package.json\'s version, and the apps depend on that tarball', () => {
    expect(path.basename(tarball)).toBe(`segura-constructs@${PKG.version}.jsii.tgz`);
    for (const app of ['newest-aws', 'newest-azure'] as const) {
      expect(JSON.parse(fs.readFileSync(path.join(APPS[app].dir, 'package.json'), 'utf8')).dependencies['segura-constructs'])
        .toBe(`file:../segura-constructs/dist/js/segura-constructs@${PKG.version}.jsii.tgz`);
    }
  });

  check('the CLI of the installed package prints its version', async () => {
    const r = await run(path.join(APPS['newest-aws'].dir, 'node_modules', '.bin', 'segura-firewall'), ['--version'], APPS['newest-aws'].dir);
    expect(r).toEqual({ code: 0, stdout: `${PKG.version}\n`, stderr: '' });
  });

  check('each app has the runtime packages of its cloud only', async () => {
    const runtime = async (app: AppName) => {
      const r = await run('npm', ['ls', '--omit=dev', '--all', '--parseable'], APPS[app].dir);
      return r.stdout.split('\n').filter(Boolean).map(p => path.relative(APPS[app].dir, p)).filter(p => p !== '');
    };
    const top = (paths: string[]) => paths.filter(p => /^node_modules\/(@[^/]+\/)?[^/@]+$/.test(p)).map(p => p.replace(/^node_modules\//, '')).sort();
    const aws = await runtime('newest-aws');
    const azure = await runtime('newest-azure');
    expect(top(aws).filter(p => !p.startsWith('@aws-cdk/'))).toEqual(['aws-cdk-lib', 'cdk-nag', 'constructs', 'segura-constructs']);
    expect(aws.filter(p => /cdktf/.test(p))).toEqual([]);
    expect(top(azure)).toEqual(['@cdktf/provider-azurerm', 'cdktf', 'constructs', 'segura-constructs']);
    expect(azure.filter(p => /aws-cdk/.test(p))).toEqual([]);
  });

  checkEach<[AppName, Cloud, string, string]>([
    ['newest-aws', 'azure', 'cdktf and @cdktf/provider-azurerm', 'AWS'],
    ['newest-azure', 'aws', 'aws-cdk-lib', 'Azure'],
  ], app => `root entry ${app}`, 'in %s, the root entry fails with a message naming the subpath to import', async (app, other, missing, name) => {
    const r = await run(process.execPath, ['-e', 'require("segura-constructs")'], APPS[app].dir);
    expect(r.stderr).toContain(`Error: segura-constructs/${other} needs ${missing}, which `);
    expect(r.stderr).toContain(`An app for ${name} only imports 'segura-constructs/${APPS[app].cloud}'`);
    expect((await run(process.execPath, ['-e', `require("segura-constructs/${APPS[app].cloud}")`], APPS[app].dir)).code).toBe(0);
  });
});

describe('the README\'s blocks in the apps', () => {
  check('every block ran where its imports are: the newest peers all, the floor all but the acknowledgement and validation plugin blocks (cdk-nag 3, template validation and `Validations` need aws-cdk-lib 2.262)', () => {
    expect(TS_BLOCKS.map(b => [b.name, b.cloud, ran[b.name].sort()])).toEqual([
      ['readme-1', 'aws', ['floor-aws', 'newest-aws']],
      ['readme-2', 'azure', ['floor-azure', 'newest-azure']],
      ['readme-3', 'aws', ['newest-aws']],
      ['readme-4', 'aws', ['floor-aws', 'newest-aws']],
      ['readme-5', 'aws', ['newest-aws']],
      ['readme-6', 'aws', ['floor-aws', 'newest-aws']],
    ]);
    expect(TS_BLOCKS.find(b => b.code.includes('SeguraFirewallValidation'))!.name).toBe('readme-5');
    expect(ACK_BLOCK.name).toBe('readme-3');
    for (const [variant, code] of Object.entries(ACK_VARIANTS)) {
      expect({ variant, changed: code !== ACK_BLOCK.code }).toEqual({ variant, changed: true });
    }
  });

  // The AWS blocks through the CDK CLI of the app, with cdk.json as `cdk init` writes it (the repository's: the same flags).
  check('the AWS quick start, through the newest CDK CLI: no warning, no feature flag left unconfigured, the instances over two zones', async () => {
    const dir = APPS['newest-aws'].dir;
    const context = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context;
    fs.writeFileSync(path.join(dir, 'cdk.json'), JSON.stringify({ app: 'node readme-1.js', context }));
    const r = await run(path.join(dir, 'node_modules', '.bin', 'cdk'), ['synth', '--no-notices', '-q', '-o', 'quick.out'], dir);
    const output = `${r.stdout}${r.stderr}`;
    expect({ code: r.code, warnings: output.split('\n').filter(l => /\[(Warning|Error)|WARNING|ERROR|feature flags/i.test(l)) }).toEqual({ code: 0, warnings: [] });
    const assembly = assemblyOf(dir, path.join(dir, 'quick.out'));
    expect(assembly.stacks.map(st => st.stackName).sort()).toEqual(['SeguraArbitrator', 'SeguraDomum', 'SeguraNetwork']);
    expect(assembly.stacks.flatMap(st => st.messages.map(m => `${m.level} at ${m.id}: ${m.entry.data}`))).toEqual([]);
    const templates = Object.fromEntries(assembly.stacks.map(st => [st.stackName, st.template]));
    // cdk init's cdk.json asks for "weak" references; the block's own setting keeps them strong, as it says.
    expect(JSON.stringify(templates)).toContain('"Fn::ImportValue"');
    expect(JSON.stringify(templates)).not.toContain('"Fn::GetStackOutput"');
    expect(awsInstanceZones(templates)).toEqual({
      'SeguraNetwork/Primary': 'az[0]', 'SeguraNetwork/Member1': 'az[1]', 'SeguraNetwork/Member2': 'az[0]', 'SeguraArbitrator/ArbitratorHost': 'az[1]',
    });
  });

  check('the Azure quick start, through the newest CDKTF CLI: no warning, the VMs over three zones, no machine path', async () => {
    const dir = APPS['newest-azure'].dir;
    fs.writeFileSync(path.join(dir, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: 'node readme-2.js', sendCrashReports: 'false' }));
    const r = await run(path.join(dir, 'node_modules', '.bin', 'cdktf'), ['synth'], dir);
    expect({ code: r.code, warnings: `${r.stdout}${r.stderr}`.split('\n').filter(l => /\[(WARNING|ERROR)\]/.test(l)) }).toEqual({ code: 0, warnings: [] });
    const text = fs.readFileSync(path.join(dir, 'cdktf.out', 'stacks', 'segura', 'cdk.tf.json'), 'utf8');
    const tf = JSON.parse(text);
    expect(Object.keys(tf.resource.azurerm_network_security_rule).length).toBeGreaterThan(10);
    expect(azureVmZones(tf)).toEqual({ primary: '1', member1: '2', member2: '3', domum: '1', arbitrator: '3' });
    expect([dir, WORK, os.homedir(), ROOT].filter(p => text.includes(p))).toEqual([]);
  });

  check('the acknowledgement block, through the newest CDK CLI with cdk-nag: nothing reported', async () => {
    const dir = APPS['newest-aws'].dir;
    const context = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context;
    fs.writeFileSync(path.join(dir, 'cdk.json'), JSON.stringify({ app: `node ${ACK_BLOCK.name}.js`, context }));
    const r = await run(path.join(dir, 'node_modules', '.bin', 'cdk'), ['synth', '--no-notices', '-q', '-o', 'ack.out'], dir);
    const output = `${r.stdout}${r.stderr}`;
    expect({ code: r.code, warnings: output.split('\n').filter(l => /\[(Warning|Error)|WARNING|ERROR|W2508|EC23/.test(l)) }).toEqual({ code: 0, warnings: [] });
    expect(violations(path.join(dir, 'ack.out'))).toEqual([]);
  });

  /** The rules each validation plugin reported in a cloud assembly. */
  function violations(outdir: string): string[] {
    const file = path.join(outdir, 'validation-report.json');
    if (!fs.existsSync(file)) return [];
    return [...new Set(JSON.parse(fs.readFileSync(file, 'utf8')).pluginReports.flatMap((p: any) => (p.violations ?? []).map((v: any) => `${p.pluginName}: ${v.ruleName}`)))].sort() as string[];
  }

  checkEach<[string, string[], number]>([
    ['unacknowledged', ['AwsSolutions: AwsSolutions-EC23', 'CloudFormation Validate: W2508'], 1],
    ['bare-id', ['CloudFormation Validate: W2508'], 0],
    ['annotations', ['CloudFormation Validate: W2508'], 0],
  ], variant => `ack ${variant}`, 'the acknowledgement block %s: the findings are there (the acknowledgement is what removes them)', async (variant, expected, code) => {
    const dir = APPS['newest-aws'].dir;
    const outdir = path.join(dir, `${variant}.out`);
    const r = await run(process.execPath, [`${ACK_BLOCK.name}-${variant}.js`], dir, { ...ENV, CDK_OUTDIR: outdir });
    expect({ code: r.code, found: violations(outdir) }).toEqual({ code, found: expected });
    // The findings say how to acknowledge them: the IDs the README uses.
    for (const id of expected.map(e => (e.startsWith('AwsSolutions') ? 'AwsSolutions::AwsSolutions-EC23' : 'CloudFormation-Validate::W2508'))) {
      expect(`${r.stdout}${r.stderr}`).toContain(`Acknowledge with '${id}'`);
    }
  });

  check('the validation plugin\'s block, through the newest CDK CLI: its validation passes, quietly', async () => {
    const block = TS_BLOCKS.find(b => b.code.includes('SeguraFirewallValidation'))!;
    const dir = APPS['newest-aws'].dir;
    const context = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context;
    fs.writeFileSync(path.join(dir, 'cdk.json'), JSON.stringify({ app: `node ${block.name}.js`, context }));
    const r = await run(path.join(dir, 'node_modules', '.bin', 'cdk'), ['synth', '--no-notices', '-q', '-o', 'validation.out'], dir);
    // One stack, quiet: the CLI prints no template and no "Successfully synthesized"; a failing validation would print its report.
    expect({ code: r.code, output: `${r.stdout}${r.stderr}`.split('\n').filter(l => /\[(Warning|Error)|segura-firewall|Validation/i.test(l)) }).toEqual({ code: 0, output: [] });
    expect(violations(path.join(dir, 'validation.out'))).toEqual([]);
    expect(assemblyOf(dir, path.join(dir, 'validation.out')).stacks.map(st => st.stackName)).toEqual(['Segura']);
  });

  checkEach<[AppName]>([['newest-aws'], ['floor-aws']], app => `audit ${app}`, 'the audit block runs in %s on the exports it names', async app => {
    const block = TS_BLOCKS.find(b => b.code.includes('FirewallAudit'))!;
    const dir = APPS[app].dir;
    fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'audit', 'aws-site.json'), path.join(dir, 'site.json'));
    fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'audit', 'aws-describe-security-groups.json'), path.join(dir, 'sgs.json'));
    const r = await run(process.execPath, [`${block.name}.js`], dir);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^USR-RDP: USERW -> PRD tcp\/3389: PRD ingress .*\n.*\n2 missing, 10 extra, 1 unresolved\n$/);
  });
});

describe('the floor of each peer range', () => {
  check('the examples, evaluated at the floor: exactly their plans', () => {
    for (const app of ['floor-aws', 'floor-azure'] as const) {
      expect({ app, result: JSON.parse(floorResults[app]!) }).toEqual({ app, result: expect.objectContaining({ extra: [], missing: [] }) });
    }
  });

  check('the AWS quick start at the floor synthesizes with no message, the instances over two zones', async () => {
    const dir = APPS['floor-aws'].dir;
    const r = await run(process.execPath, ['readme-1.js'], dir, { ...ENV, CDK_OUTDIR: path.join(dir, 'quick.out'), CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:enable-path-metadata': true }) });
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
    const assembly = assemblyOf(dir, path.join(dir, 'quick.out'));
    expect(assembly.stacks.flatMap(st => st.messages.map(m => `${m.level} at ${m.id}: ${m.entry.data}`))).toEqual([]);
    expect(awsInstanceZones(Object.fromEntries(assembly.stacks.map(st => [st.stackName, st.template])))).toEqual({
      'SeguraNetwork/Primary': 'az[0]', 'SeguraNetwork/Member1': 'az[1]', 'SeguraNetwork/Member2': 'az[0]', 'SeguraArbitrator/ArbitratorHost': 'az[1]',
    });
  });

  check('the Azure quick start at the floor synthesizes with no annotation, the VMs over three zones', async () => {
    const dir = APPS['floor-azure'].dir;
    const r = await run(process.execPath, ['readme-2.js'], dir);
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.out', 'manifest.json'), 'utf8'));
    expect(Object.values<any>(manifest.stacks).flatMap(s => s.annotations)).toEqual([]);
    const tf = JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.out', 'stacks', 'segura', 'cdk.tf.json'), 'utf8'));
    expect(azureVmZones(tf)).toEqual({ primary: '1', member1: '2', member2: '3', domum: '1', arbitrator: '3' });
  });
});

describe('the record', () => {
  test('every check above passed: the versions installed are recorded, and written in the README\'s peer table', () => {
    expect([...checks].filter(c => !passed.has(c))).toEqual([]);
    expect(checks.size).toBe(18);
    const names = TABLE_ROWS.map(r => r.name);
    const installed = (app: AppName, only: string[]) => Object.fromEntries(names.filter(n => only.includes(n))
      .map(n => [n, version(APPS[app].dir, n)]).filter(([, v]) => v !== undefined)) as Record<string, string>;
    const record: TestedPeers = {
      date: new Date().toISOString().slice(0, 10),
      node: process.version,
      // The floor apps compile with the repository's TypeScript and run no CLI: their peers only.
      floor: { aws: installed('floor-aws', [...CLOUD_PEERS.aws]), azure: installed('floor-azure', [...CLOUD_PEERS.azure]) },
      newest: { aws: installed('newest-aws', names), azure: installed('newest-azure', names) },
    };
    expect(record.newest.aws).toEqual(expect.objectContaining({ 'aws-cdk-lib': expect.any(String), 'aws-cdk': expect.any(String), 'cdk-nag': expect.any(String) }));
    expect(record.newest.azure).toEqual(expect.objectContaining({ 'cdktf': expect.any(String), 'cdktf-cli': expect.any(String), '@cdktf/provider-azurerm': expect.any(String) }));
    expect(record.newest.azure.typescript).toMatch(/^5\.9\./);
    writeTestedPeers(record);
  });
});
