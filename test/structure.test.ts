/**
 * The shape of the code under lib/, checked on its source with the TypeScript compiler
 * API: no function longer than 60 lines, no import cycle (type-only imports included),
 * and no export that nothing uses. Fast: it parses, it does not type-check.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const LIB = path.join(__dirname, '..', 'lib');
const MAX_FUNCTION_LINES = 60;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => (e.isDirectory()
    ? sourceFiles(path.join(dir, e.name))
    : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path.join(dir, e.name)] : []));
}

const files = sourceFiles(LIB).map(file => ({
  file,
  name: path.relative(LIB, file),
  source: ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true),
}));

/** Each function (declaration, method, arrow, accessor, constructor) with a body, and its lines. */
function functionLengths(source: ts.SourceFile): Array<{ name: string; line: number; lines: number }> {
  const out: Array<{ name: string; line: number; lines: number }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const named = (node as ts.FunctionLikeDeclaration).name ?? (ts.isVariableDeclaration(node.parent) ? node.parent.name : undefined);
      const name = ts.isConstructorDeclaration(node) ? 'constructor' : named ? named.getText(source) : '(anonymous)';
      out.push({ name, line: first + 1, lines: last - first + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

/** The files a file imports or re-exports from (relative specifiers only), as paths relative to lib/. */
function importsOf(file: string, source: ts.SourceFile): string[] {
  const out: string[] = [];
  for (const statement of source.statements) {
    if ((ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier
      && ts.isStringLiteral(statement.moduleSpecifier) && statement.moduleSpecifier.text.startsWith('.')) {
      const target = path.resolve(path.dirname(file), statement.moduleSpecifier.text);
      out.push(path.relative(LIB, fs.existsSync(`${target}.ts`) ? `${target}.ts` : path.join(target, 'index.ts')));
    }
  }
  return out;
}

/** The cycles of a graph, each as a path that comes back to its first node (depth-first, each cycle once by its set of nodes). */
function cyclesOf(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles = new Map<string, string[]>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') {
        const cycle = [...stack.slice(stack.indexOf(next)), next];
        cycles.set([...new Set(cycle)].sort().join(' '), cycle);
      } else if (!state.has(next)) {
        visit(next);
      }
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of [...graph.keys()].sort()) if (!state.has(node)) visit(node);
  return [...cycles.values()];
}

const ROOT = path.join(LIB, '..');

/** The names a file exports by declaration (`export function f`, `export const A`, `export interface I`...). */
function exportedNames(source: ts.SourceFile): string[] {
  const out: string[] = [];
  for (const statement of source.statements) {
    if (!ts.canHaveModifiers(statement) || !ts.getModifiers(statement)?.some(m => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    if (ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) if (ts.isIdentifier(d.name)) out.push(d.name.text);
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement)
      || ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name) {
      out.push(statement.name.text);
    }
  }
  return out;
}

/** The files the package's entries (lib/index.ts and each subpath's index.ts) re-export whole: their exports are public. */
function publicFiles(): Set<string> {
  const out = new Set<string>();
  const visit = (name: string): void => {
    if (out.has(name)) return;
    out.add(name);
    const file = files.find(f => f.name === name);
    for (const statement of file?.source.statements ?? []) {
      // `export * from './x'`: every export of x is public.
      if (ts.isExportDeclaration(statement) && !statement.exportClause) {
        const only = ts.factory.createSourceFile([statement], ts.factory.createToken(ts.SyntaxKind.EndOfFileToken), ts.NodeFlags.None);
        importsOf(file!.file, only).forEach(visit);
      }
    }
  };
  for (const entry of files.filter(f => f.name === 'index.ts' || /^[a-z]+\/index\.ts$/.test(f.name))) visit(entry.name);
  return out;
}

describe('the measures themselves', () => {
  test('function lengths count every kind of function, first line to last', () => {
    const source = ts.createSourceFile('x.ts', [
      'function a() {', '  return 1;', '}',
      'const b = () => {', '  const c = function () { return 2; };', '  return c();', '};',
      'class D {', '  constructor() {}', '  m(): number {', '    return 3;', '  }', '}',
    ].join('\n'), ts.ScriptTarget.Latest, true);
    expect(functionLengths(source).map(f => `${f.name}@${f.line}:${f.lines}`)).toEqual(['a@1:3', 'b@4:4', 'c@5:1', 'constructor@9:1', 'm@10:3']);
  });

  test('a cycle of two and of three files is found, a diamond is none', () => {
    expect(cyclesOf(new Map([['a', ['b']], ['b', ['a']]]))).toEqual([['a', 'b', 'a']]);
    expect(cyclesOf(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c', 'a']]);
    expect(cyclesOf(new Map([['a', ['b', 'c']], ['b', ['d']], ['c', ['d']], ['d', []]]))).toEqual([]);
  });
});

describe('lib/', () => {
  test('reads every source file', () => {
    expect(files.map(f => f.name)).toEqual(expect.arrayContaining(['core/plan.ts', 'aws/cluster.ts', 'azure/cluster.ts', 'audit/index.ts', 'cli/main.ts']));
  });

  test(`no function is longer than ${MAX_FUNCTION_LINES} lines`, () => {
    const long = files.flatMap(({ name, source }) => functionLengths(source)
      .filter(f => f.lines > MAX_FUNCTION_LINES)
      .map(f => `${name}:${f.line} ${f.name} (${f.lines} lines)`));
    expect(long).toEqual([]);
  });

  test('no unused export: each is named by another file (lib, tests, scripts, examples, bench) or used in its own, or public', () => {
    const texts = ['lib', 'test', 'scripts', 'examples', 'bench'].flatMap(dir => sourceFiles(path.join(ROOT, dir)))
      .map(file => ({ file, text: fs.readFileSync(file, 'utf8') }));
    const open = publicFiles();
    // Unused: named nowhere else and, in its own file, only where it is declared.
    const unused = files.filter(f => !open.has(f.name)).flatMap(({ file, name, source }) => exportedNames(source)
      .filter(exported => !texts.some(t => t.file !== file && new RegExp(`\\b${exported}\\b`).test(t.text))
        && (source.text.match(new RegExp(`\\b${exported}\\b`, 'g')) ?? []).length === 1)
      .map(exported => `${name}: ${exported}`));
    expect(unused).toEqual([]);
  });

  test('no import cycle, type-only imports included', () => {
    const graph = new Map(files.map(({ file, name, source }) => [name, importsOf(file, source)]));
    expect(cyclesOf(graph).map(c => c.join(' -> '))).toEqual([]);
  });
});
