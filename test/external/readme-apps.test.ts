/**
 * `npm run test:external`: the README, run as written, where a user runs it: the
 * package is packed and installed with npm into two scratch apps outside the
 * repository, one with AWS's peers only and one with Azure's only; every TypeScript
 * block of the README is compiled there against the installed package (so it needs
 * no import it does not show) and synthesized through the CLI the README names, with
 * no warning; what npm installed is checked. (npm test runs the same blocks in
 * process: test/readme.test.ts.)
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { Cloud, CLOUD_PEERS, createScratchApp, installArgs, installedVersion, packArgs, ROOT, TSC } from '../../scripts/scratch-app';

const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'segura-readme-'));
const ENV = { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CHECKPOINT_DISABLE: '1', JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20' };
const exec = promisify(execFile);
// npm installs, tsc and the CDK and CDKTF CLIs: minutes, not jest's default seconds.
jest.setTimeout(300_000);

/** The fenced blocks of one language, in order. */
const blocks = (lang: string) => [...README.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\``, 'gm'))].map(m => m[1]);
const dirOf = (cloud: Cloud) => path.join(WORK, cloud);
/** A block belongs to the Azure app when it imports the Azure backend; the rest to the AWS app. */
const cloudOf = (code: string): Cloud => (code.includes('\'segura-constructs/azure\'') ? 'azure' : 'aws');
const TS_BLOCKS = blocks('ts').map((code, i) => ({ code, cloud: cloudOf(code), file: `readme-${i + 1}` }));

async function setUpApp(cloud: Cloud, tarball: string): Promise<void> {
  const dir = dirOf(cloud);
  createScratchApp(dir, `readme-${cloud}`, { skipLibCheck: true });
  await exec('npm', installArgs(tarball, CLOUD_PEERS[cloud].map(p => `${p}@${installedVersion(p)}`), { fromCache: true }), { cwd: dir, env: ENV });
  for (const b of TS_BLOCKS.filter(x => x.cloud === cloud)) fs.writeFileSync(path.join(dir, `${b.file}.ts`), b.code);
  await exec(process.execPath, [TSC, '-p', dir], { cwd: dir, env: ENV });
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm test` (it compiles first) or `npm run compile`');
  const { stdout } = await exec('npm', packArgs(WORK), { cwd: ROOT, env: ENV });
  const tarball = path.join(WORK, stdout.trim().split('\n').pop()!);
  await Promise.all((Object.keys(CLOUD_PEERS) as Cloud[]).map(cloud => setUpApp(cloud, tarball)));
});
afterAll(() => fs.rmSync(WORK, { recursive: true, force: true }));

/** Run a compiled block in its app; the exit code and both streams. */
async function runBlock(cloud: Cloud, file: string, env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [`${file}.js`], { cwd: dirOf(cloud), env: { ...ENV, ...env } });
    return { code: 0, stdout, stderr };
  } catch (e: any) {
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the README, in scratch apps outside the repository', () => {
  test('the README has the blocks this test runs: both quick starts and the audit', () => {
    expect(TS_BLOCKS.map(b => b.cloud)).toEqual(['aws', 'azure', 'aws', 'aws']);
  });

  test('npm installs only the peers of the cloud used', () => {
    const top = (cloud: Cloud) => fs.readdirSync(path.join(dirOf(cloud), 'node_modules')).filter(n => !n.startsWith('.'))
      .flatMap(n => (n.startsWith('@') ? fs.readdirSync(path.join(dirOf(cloud), 'node_modules', n)).map(m => `${n}/${m}`) : [n])).sort();
    expect(top('aws')).toEqual(['@aws-cdk/asset-awscli-v1', '@aws-cdk/asset-node-proxy-agent-v6', '@aws-cdk/cloud-assembly-schema', 'aws-cdk-lib', 'constructs', 'segura-constructs']
      .filter(p => !p.startsWith('@aws-cdk/') || fs.existsSync(path.join(dirOf('aws'), 'node_modules', p))));
    expect(top('aws').filter(p => /cdktf/.test(p))).toEqual([]);
    expect(top('azure')).toEqual(['@cdktf/provider-azurerm', 'cdktf', 'constructs', 'segura-constructs']);
  });

  test.each([
    ['aws', 'azure', 'cdktf and @cdktf/provider-azurerm', 'AWS'],
    ['azure', 'aws', 'aws-cdk-lib', 'Azure'],
  ] as Array<[Cloud, Cloud, string, string]>)('in the %s app, the root entry fails with a message naming the subpath to import', async (cloud, other, missing, name) => {
    const r = await exec(process.execPath, ['-e', 'require("segura-constructs")'], { cwd: dirOf(cloud), env: ENV }).catch(e => e);
    expect(r.stderr).toContain(`Error: segura-constructs/${other} needs ${missing}, which `);
    expect(r.stderr).toContain(`An app for ${name} only imports 'segura-constructs/${cloud}'`);
    // The backend of the app loads.
    await exec(process.execPath, ['-e', `require("segura-constructs/${cloud}")`], { cwd: dirOf(cloud), env: ENV });
  });

  // Through the CLIs the README names: `cdk synth` for the AWS app, `cdktf synth` for the Azure app.
  test.each(TS_BLOCKS.filter(b => !b.code.includes('FirewallAudit') && !b.code.includes('SeguraFirewallValidation')).map(b => [b.file, b.cloud] as const))('%s (%s) compiles and synthesizes through the CLI with no warning', async (file, cloud) => {
    const dir = dirOf(cloud);
    if (cloud === 'aws') {
      const outdir = path.join(dir, `${file}.out`);
      const r = await exec(path.join(ROOT, 'node_modules', '.bin', 'cdk'), ['synth', '--no-notices', '-q', '--app', `node ${file}.js`, '-o', outdir], { cwd: dir, env: ENV });
      // The CLI reports the app's warnings as "[Warning at /Stack/...]"; the rest is its own chatter,
      // on stderr, or on stdout when CI=true (the CDK CLI's CI mode).
      const output = `${r.stdout}${r.stderr}`;
      expect(output).toContain('Successfully synthesized');
      expect(output).not.toMatch(/\[(Warning|Error)/i);
      // The cloud assembly as the CLI reads it (messages live beside the manifest since aws-cdk-lib 2.262).
      const assembly = new CloudAssembly(outdir);
      expect(assembly.stacks.map(st => st.stackName).sort()).toEqual(['SeguraArbitrator', 'SeguraDomum', 'SeguraNetwork']);
      expect(assembly.stacks.flatMap(st => st.messages.map(m => `${m.level} at ${m.id}: ${m.entry.data}`))).toEqual([]);
    } else {
      fs.writeFileSync(path.join(dir, 'cdktf.json'), JSON.stringify({ language: 'typescript', app: `node ${file}.js`, sendCrashReports: 'false' }));
      // An empty terraform CLI config: without one, terraform's own complaint about it would pass for the app's.
      fs.writeFileSync(path.join(WORK, 'terraformrc'), '');
      const r = await exec(path.join(ROOT, 'node_modules', '.bin', 'cdktf'), ['synth'], { cwd: dir, env: { ...ENV, TF_CLI_CONFIG_FILE: path.join(WORK, 'terraformrc') } });
      // cdktf reports the app's annotations as [WARNING] or [ERROR] lines.
      expect(`${r.stdout}${r.stderr}`).not.toMatch(/\[(WARNING|ERROR)\]/);
      const tf = JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.out', 'stacks', 'segura', 'cdk.tf.json'), 'utf8'));
      expect(Object.keys(tf.resource.azurerm_network_security_rule).length).toBeGreaterThan(10);
    }
  });

  test('the validation plugin\'s block synthesizes through the CLI, its validation passing', async () => {
    const block = TS_BLOCKS.find(b => b.code.includes('SeguraFirewallValidation'))!;
    const dir = dirOf(block.cloud);
    const outdir = path.join(dir, `${block.file}.out`);
    const r = await exec(path.join(ROOT, 'node_modules', '.bin', 'cdk'), ['synth', '--no-notices', '-q', '--app', `node ${block.file}.js`, '-o', outdir], { cwd: dir, env: ENV });
    // One stack, quiet: the CLI prints no template and no "Successfully synthesized"; a failing validation would print its report.
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/\[(Warning|Error)|segura-firewall|Validation/i);
    expect(new CloudAssembly(outdir).stacks.map(st => st.stackName)).toEqual(['Segura']);
  });

  test('the audit block runs on the exports it names', async () => {
    const block = TS_BLOCKS.find(b => b.code.includes('FirewallAudit'))!;
    fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'audit', 'aws-site.json'), path.join(dirOf(block.cloud), 'site.json'));
    fs.copyFileSync(path.join(ROOT, 'test', 'fixtures', 'audit', 'aws-describe-security-groups.json'), path.join(dirOf(block.cloud), 'sgs.json'));
    const r = await runBlock(block.cloud, block.file);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(/^USR-RDP: USERW -> PRD tcp\/3389: PRD ingress .*\n.*\n2 missing, 10 extra, 1 unresolved\n$/);
  });

  test('the CLI of the installed package prints its version', async () => {
    const { stdout } = await exec(path.join(dirOf('aws'), 'node_modules', '.bin', 'segura-firewall'), ['--version'], { cwd: dirOf('aws'), env: ENV });
    expect(stdout).toBe(`${JSON.parse(fs.readFileSync(path.join(dirOf('aws'), 'node_modules', 'segura-constructs', 'package.json'), 'utf8')).version}\n`);
  });
});
