import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// Packs the package and regenerates the API reference (jsii-docgen).
jest.setTimeout(180_000);

const ROOT = path.join(__dirname, '..');

/** Load an entry point of the built package by its public name, in a fresh process. */
function load(entry: string): { loaded: string[]; exports: string[] } {
  const script = `
    const m = require(${JSON.stringify(entry)});
    const loaded = Object.keys(require.cache).map(k => k.split('node_modules/').pop()).filter(k => !k.startsWith('/'))
      .map(k => k.startsWith('@') ? k.split('/').slice(0, 2).join('/') : k.split('/')[0]);
    console.log(JSON.stringify({ loaded: [...new Set(loaded)].sort(), exports: Object.keys(m).sort() }));`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }));
}

describe('packaging', () => {
  beforeAll(() => {
    if (!fs.existsSync(path.join(ROOT, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm test` (it compiles first) or `npm run compile`');
  });

  test('segura-constructs/aws loads aws-cdk-lib and never cdktf or the Azure provider', () => {
    const { loaded, exports } = load('segura-constructs/aws');
    expect(exports).toEqual(expect.arrayContaining(['SeguraCluster', 'DomumGateway']));
    expect(loaded).toContain('aws-cdk-lib');
    expect(loaded).not.toContain('cdktf');
    expect(loaded).not.toContain('@cdktf/provider-azurerm');
  });

  test('segura-constructs/azure loads cdktf and only provider resource modules, never aws-cdk-lib', () => {
    const { loaded, exports } = load('segura-constructs/azure');
    expect(exports).toEqual(expect.arrayContaining(['SeguraCluster', 'DomumGateway', 'Peer']));
    expect(loaded).toContain('cdktf');
    expect(loaded).not.toContain('aws-cdk-lib');
    const script = 'require(\'segura-constructs/azure\'); console.log(JSON.stringify(Object.keys(require.cache).filter(k => k.includes(\'provider-azurerm\'))))';
    const files: string[] = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }));
    expect(files.some(f => f.endsWith('provider-azurerm/lib/index.js'))).toBe(false);
    expect(files.length).toBeLessThan(12);
  });

  test('segura-constructs/audit loads neither aws-cdk-lib nor cdktf', () => {
    const { loaded, exports } = load('segura-constructs/audit');
    expect(exports).toEqual(['FirewallAudit']);
    expect(loaded).toEqual([]);
  });

  test('the root exports the core, both backends and the audit as namespaces; errors have their own entry', () => {
    expect(load('segura-constructs').exports).toEqual(expect.arrayContaining(['FirewallMatrix', 'FirewallPlan', 'Role', 'aws', 'azure', 'audit']));
    expect(load('segura-constructs/errors').exports).toEqual(['SeguraValidationError']);
  });

  test('the jsii assembly describes the public API', () => {
    const assembly = JSON.parse(fs.readFileSync(path.join(ROOT, '.jsii'), 'utf8'));
    const types = Object.keys(assembly.types);
    expect(types).toEqual(expect.arrayContaining([
      'segura-constructs.FirewallMatrix', 'segura-constructs.aws.SeguraCluster', 'segura-constructs.aws.DomumGateway',
      'segura-constructs.azure.SeguraCluster', 'segura-constructs.azure.Peer', 'segura-constructs.audit.FirewallAudit',
      'segura-constructs.audit.AwsAuditOptions', 'segura-constructs.audit.AzureAuditOptions', 'segura-constructs.audit.AuditReport',
    ]));
  });

  test('API.md is generated from the code and up to date (regenerate with `npm run compile`)', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'segura-api-')), 'API.md');
    execFileSync(path.join(ROOT, 'node_modules', '.bin', 'jsii-docgen'), ['-o', out], { cwd: ROOT, stdio: 'pipe' });
    expect(fs.readFileSync(path.join(ROOT, 'API.md'), 'utf8')).toBe(fs.readFileSync(out, 'utf8'));
  });
});
