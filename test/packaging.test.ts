import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

// Packs the package (API.md is checked by its fingerprint in test/generated.test.ts).
jest.setTimeout(180_000);

const ROOT = path.join(__dirname, '..');

/**
 * The types of the package that an entry's public API names (props, their base
 * interfaces, public members' and constructors' signatures, followed transitively)
 * and that the entry does not export: a user of that entry could not name them
 * without importing another. Read from the sources, each file on its own (no peer's
 * declarations are loaded: only the package's own types matter here).
 */
function unexportedTypes(entries: string[]): Record<string, string[]> {
  const files = fs.readdirSync(path.join(ROOT, 'lib'), { recursive: true, encoding: 'utf8' }).filter(f => f.endsWith('.ts')).map(f => path.join(ROOT, 'lib', f));
  const options = { noResolve: true, noEmit: true, types: [], target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS };
  const program = ts.createProgram(files, options);
  const checker = program.getTypeChecker();
  // eslint-disable-next-line no-bitwise
  const real = (s: ts.Symbol) => ((s.flags & ts.SymbolFlags.Alias) !== 0 ? checker.getAliasedSymbol(s) : s);
  const inPackage = (s: ts.Symbol) => (s.declarations ?? []).some(d => !ts.isTypeParameterDeclaration(d) && d.getSourceFile().fileName.startsWith(path.join(ROOT, 'lib') + path.sep));
  // Not public: private members, `@internal` ones (jsii strips them) and underscore names.
  const hidden = (n: ts.Node) => (ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some(m => m.kind === ts.SyntaxKind.PrivateKeyword))
    || ts.getJSDocTags(n).some(t => t.tagName.text === 'internal') || (ts.isClassElement(n) && n.name !== undefined && /^[_#]/.test(n.name.getText()));
  const result: Record<string, string[]> = {};
  for (const entry of entries) {
    const exported = new Set(checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(path.join(ROOT, entry))!)!).map(real));
    const missing = new Set<string>();
    const seen = new Set<ts.Symbol>();
    const queue = [...exported];
    while (queue.length > 0) {
      const symbol = queue.pop()!;
      if (seen.has(symbol)) continue;
      seen.add(symbol);
      const walk = (n: ts.Node): void => {
        if (hidden(n) || ts.isBlock(n)) return;
        if (ts.isTypeReferenceNode(n) || ts.isExpressionWithTypeArguments(n)) {
          const named = checker.getSymbolAtLocation(ts.isTypeReferenceNode(n) ? n.typeName : n.expression);
          if (named && inPackage(real(named))) {
            if (!exported.has(real(named))) missing.add(real(named).name);
            queue.push(real(named));
          }
        }
        // A property's or variable's type, not its initializer.
        if (ts.isPropertyDeclaration(n) || ts.isVariableDeclaration(n)) { if (n.type) walk(n.type); return; }
        ts.forEachChild(n, walk);
      };
      for (const d of symbol.declarations ?? []) walk(d);
    }
    result[entry] = [...missing].sort();
  }
  return result;
}

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

  test('each entry exports every type of the package that its public API names (`clusterTraffic: ClusterTraffic`, `flows: Flow[]`)', () => {
    const entries = ['lib/aws/index.ts', 'lib/azure/index.ts', 'lib/audit/index.ts', 'lib/core/index.ts', 'lib/errors.ts'];
    expect(unexportedTypes(entries)).toEqual(Object.fromEntries(entries.map(e => [e, []])));
  });

  test('the backends\' re-exports of the core are aliases: the jsii assembly defines each core type once, at the root', () => {
    const assembly = JSON.parse(fs.readFileSync(path.join(ROOT, '.jsii'), 'utf8'));
    const fromCore = Object.values<any>(assembly.types).filter(t => t.locationInModule.filename.startsWith('lib/core/')).map(t => t.fqn);
    expect(fromCore).toEqual(expect.arrayContaining(['segura-constructs.ClusterTraffic', 'segura-constructs.Role', 'segura-constructs.RuleOptions']));
    expect(fromCore.filter(fqn => fqn.split('.').length !== 2)).toEqual([]);
    expect(load('segura-constructs/aws').exports).toEqual(expect.arrayContaining(['ClusterTraffic', 'Protocol', 'Role', 'Section']));
    expect(load('segura-constructs/azure').exports).toEqual(expect.arrayContaining(['ClusterTraffic', 'Protocol', 'Role', 'Section']));
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
});
