/**
 * `npm run test:external`: the checks that need something outside the project: the
 * vendor's document beside the clone (../shared, as CI has it), cfn-lint and
 * terraform on the machine. Each check fails, saying what is missing, rather than
 * being skipped: run this script where the tools are (CI does, from .ci/run).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { App as TerraformApp } from 'cdktf';
import { buildAwsExample } from '../../examples/aws/app';
import { buildAzureExample } from '../../examples/azure/app';
import { CDK_JSON_CONTEXT } from '../support/cdk-json';

// Synthesizes the examples and runs cfn-lint, terraform and the npm registry.
jest.setTimeout(180_000);

const ROOT = path.join(__dirname, '..', '..');
const SPEC = path.join(ROOT, '..', 'shared', 'spec', 'segura-firewall-rules.txt');

/** Run a tool; a missing tool is an error that says so. */
function tool(command: string, args: string[], options: { cwd?: string; input?: string } = {}): { code: number; output: string } {
  try {
    return { code: 0, output: execFileSync(command, args, { encoding: 'utf8', stdio: 'pipe', ...options }) };
  } catch (e: any) {
    if (e.code === 'ENOENT') throw new Error(`${command} is not installed: this check needs it (see the README's "Set-up and tests")`);
    return { code: e.status, output: `${e.stdout}${e.stderr}` };
  }
}

describe('the vendor\'s document', () => {
  test('the fixture is a verbatim copy of the tables of ../shared/spec/segura-firewall-rules.txt', () => {
    if (!fs.existsSync(SPEC)) throw new Error(`${SPEC} is missing: clone the repository with ../shared beside it, as CI does`);
    const tables = (file: string) => fs.readFileSync(file, 'utf8').split('\n').filter(l => /^(Communication|ALLOW \|)/.test(l));
    expect(tables(path.join(ROOT, 'test', 'fixtures', 'document-tables.txt'))).toEqual(tables(SPEC));
  });

  test('docs/vendor-deployment-notes.md is a verbatim copy of ../shared/spec/vendor-deployment-notes.md (the README links the copy)', () => {
    const notes = path.join(path.dirname(SPEC), 'vendor-deployment-notes.md');
    if (!fs.existsSync(notes)) throw new Error(`${notes} is missing: clone the repository with ../shared beside it, as CI does`);
    expect(fs.readFileSync(path.join(ROOT, 'docs', 'vendor-deployment-notes.md'), 'utf8')).toBe(fs.readFileSync(notes, 'utf8'));
  });
});

describe('cfn-lint on the AWS example', () => {
  test('no error in the templates (with cdk.json\'s feature flags, as cdk synth builds them)', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'segura-cfn-'));
    const assembly = buildAwsExample(new App({ outdir, context: CDK_JSON_CONTEXT })).app.synth();
    const files = assembly.stacks.map(s => path.join(assembly.directory, s.templateFile));
    const { code, output } = tool('cfn-lint', ['--format', 'parseable', ...files]);
    expect(output.split('\n').filter(l => /:E\d+:/.test(l))).toEqual([]);
    // cfn-lint exit codes: 2 = error, 4 = warning, 8 = informational.
    expect(Math.floor(code / 2) % 2).toBe(0);
  });
});

describe('terraform on the Azure example in HCL', () => {
  test('terraform parses the HCL that `cdktf synth --hcl` writes (terraform fmt, which needs no provider)', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'segura-hcl-'));
    // What `cdktf synth --hcl` does: the stacks read SYNTH_HCL_OUTPUT when they are created.
    process.env.SYNTH_HCL_OUTPUT = 'true';
    try {
      buildAzureExample(new TerraformApp({ outdir, hclOutput: true })).app.synth();
    } finally {
      delete process.env.SYNTH_HCL_OUTPUT;
    }
    const dir = path.join(outdir, 'stacks', 'segura-azure');
    expect(fs.readFileSync(path.join(dir, 'cdk.tf'), 'utf8')).toMatch(/^resource "azurerm_network_security_rule" /m);
    // cdktf writes HCL unformatted; fmt reformats what it can parse and fails on what it cannot.
    const { code, output } = tool('terraform', ['fmt', '-no-color', '-'], { input: fs.readFileSync(path.join(dir, 'cdk.tf'), 'utf8') });
    expect({ code, error: code === 0 ? '' : output.split('\n').slice(0, 20).join('\n') }).toEqual({ code: 0, error: '' });
    expect(output).toMatch(/^resource "azurerm_network_security_rule" "[^"]+" \{\n  access += "Allow"$/m);
  });
});

describe('the README\'s statement on CDK Terrain (cdktn)', () => {
  test('names the versions the npm registry has today', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const statement = /<!-- cdktn -->([\s\S]*?)<!-- \/cdktn -->/.exec(readme)![1].replace(/\s+/g, ' ');
    const view = (spec: string, field: string) => JSON.parse(tool('npm', ['view', spec, field, '--json']).output);
    const core = view('cdktn', 'version');
    const provider = view('@cdktn/provider-azurerm', 'version');
    const wanted = view('@cdktn/provider-azurerm', 'peerDependencies').cdktn;
    expect(statement).toBe(`\`cdktn\` ${core}, while \`@cdktn/provider-azurerm\` ${provider} declares the peer \`cdktn ${wanted}\``);
  });
});

describe('releases', () => {
  const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;
  /** A clone of HEAD, tagged, with the repository's node_modules; `projen bump` then the release's version check. */
  type Step = { code: number; output: string };
  function releaseSteps(tag: string): { bump: Step; check: Step; version: string; packageJson: string } {
    const clone = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'segura-release-')), 'repo');
    tool('git', ['clone', '--quiet', '--local', ROOT, clone]);
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(clone, 'node_modules'));
    tool('git', ['tag', tag], { cwd: clone });
    const projen = path.join(ROOT, 'node_modules', '.bin', 'projen');
    const bump = tool(projen, ['bump'], { cwd: clone });
    const check = tool(projen, ['release:version'], { cwd: clone });
    const version = fs.readFileSync(path.join(clone, 'dist', 'version.txt'), 'utf8').trim();
    tool(projen, ['unbump'], { cwd: clone });
    const packageJson = JSON.parse(fs.readFileSync(path.join(clone, 'package.json'), 'utf8')).version;
    fs.rmSync(path.dirname(clone), { recursive: true, force: true });
    return { bump, check, version, packageJson };
  }

  test('package.json carries a real 0.x version (a package built from any clone has it)', () => {
    expect(VERSION).toMatch(/^0\.[1-9]\d*\.\d+$|^0\.0\.[1-9]\d*$/);
  });

  test('the tag vVERSION on the commit that sets it: `projen bump` (the first step of `npx projen release`) versions the release VERSION, and the check passes', () => {
    const r = releaseSteps(`v${VERSION}`);
    expect({ bump: r.bump.code, check: r.check.code, version: r.version, after: r.packageJson })
      .toEqual({ bump: 0, check: 0, version: VERSION, after: VERSION });
  });

  test('a tag that is not package.json\'s version stops the release, naming both', () => {
    const r = releaseSteps('v9.8.7');
    expect(r.version).toBe('9.8.7');
    expect(r.check.code).toBe(1);
    expect(r.check.output).toContain(`the release tag is v9.8.7, package.json says ${VERSION}: set VERSION in .projenrc.ts`);
    expect(r.packageJson).toBe(VERSION); // unbump leaves package.json as committed
  });
});
