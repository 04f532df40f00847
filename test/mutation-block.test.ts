/**
 * The README's mutation figures and the survivors page are written by the code that
 * measured them: `npm run mutation` records docs/mutation/summary.json from Stryker's
 * reports and writes both from it and the hand-written explanations
 * (scripts/mutation-report.ts). Here they must be exactly what the committed files make,
 * and every survivor of the committed run must be explained.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  EXPLANATIONS, Explanation, explain, MutationSummary, mutationBlock, PARTS, readMutationBlock, readReport,
  SUMMARY, SURVIVORS_PAGE, survivorsPage, unusedExplanations,
} from '../scripts/mutation-report';

const ROOT = path.join(__dirname, '..');
const summary = JSON.parse(fs.readFileSync(SUMMARY, 'utf8')) as MutationSummary;
const explanations = JSON.parse(fs.readFileSync(EXPLANATIONS, 'utf8')) as Explanation[];

describe('the README\'s mutation block and docs/mutation/survivors.md', () => {
  test('the block is what the committed summary (docs/mutation/summary.json) makes: rerun `npm run mutation` to refresh', () => {
    expect(readMutationBlock(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'))).toBe(mutationBlock(summary));
  });

  test('the survivors page is what the summary and docs/mutation/explanations.json make', () => {
    expect(fs.readFileSync(SURVIVORS_PAGE, 'utf8')).toBe(survivorsPage(summary, explanations));
  });

  test('every survivor of the committed run is explained, and every explanation names a survivor', () => {
    const missing = explain(summary, explanations).filter(j => !j.explanation).map(({ survivor: s }) => `${s.file}:${s.line} ${s.function} ${s.mutator}: ${s.original} -> ${s.replacement}`);
    expect({ missing, unused: unusedExplanations(summary, explanations) }).toEqual({ missing: [], unused: [] });
    for (const e of explanations) expect(e.why.length).toBeGreaterThan(20);
  });

  test('the summary holds whole parts: each config\'s files to mutate, each file\'s survivors counted', () => {
    // Both parts, in order (a part not run yet on this code is left out, and the block says so).
    const present = PARTS.filter(p => summary.parts.some(q => q.name === p.name));
    expect(present.map(p => [p.name, p.config])).toEqual(summary.parts.map(p => [p.name, p.config]));
    expect(summary.parts.length).toBeGreaterThan(0);
    for (const part of summary.parts) {
      const config = JSON.parse(fs.readFileSync(path.join(ROOT, part.config), 'utf8')) as { mutate: string[] };
      expect(part.files.map(f => f.file)).toEqual([...config.mutate].sort());
      for (const f of part.files) {
        const here = summary.survivors.filter(s => s.part === part.name && s.file === f.file);
        expect([f.file, here.length]).toEqual([f.file, f.survived + f.noCoverage]);
      }
    }
  });
});

describe('reading a Stryker report (scripts/mutation-report.ts)', () => {
  // A report in Stryker's schema, written here: two files, every status the score counts or leaves out.
  const source = [
    'export class Box {',
    '  public open(n: number): boolean {',
    '    return n > 0',
    '      && n < 10;',
    '  }',
    '}',
    'export const twice = (n: number) => n * 2;',
    '',
  ].join('\n');
  const mutant = (status: string, mutatorName: string, replacement: string, start: [number, number], end: [number, number]) =>
    ({ status, mutatorName, replacement, location: { start: { line: start[0], column: start[1] }, end: { line: end[0], column: end[1] } } });
  const report = {
    files: {
      'lib/z.ts': { source: 'export const x = 1;\n', mutants: [mutant('Killed', 'BooleanLiteral', 'false', [1, 18], [1, 19])] },
      'lib/a.ts': {
        source,
        mutants: [
          mutant('Killed', 'EqualityOperator', 'n >= 0', [3, 12], [3, 17]),
          mutant('Timeout', 'ConditionalExpression', 'true', [3, 12], [3, 17]),
          mutant('Survived', 'ConditionalExpression', 'true', [3, 12], [4, 16]),
          mutant('NoCoverage', 'ArithmeticOperator', 'n / 2', [7, 37], [7, 42]),
          mutant('CompileError', 'ArithmeticOperator', 'n - 2', [7, 37], [7, 42]),
          mutant('RuntimeError', 'ArithmeticOperator', 'n + 2', [7, 37], [7, 42]),
          mutant('Ignored', 'ArithmeticOperator', 'n % 2', [7, 37], [7, 42]),
        ],
      },
    },
  };

  test('scores count killed and timed out over killed, timed out, survived and no coverage; files in order', () => {
    expect(readReport('units', report).files).toEqual([
      { file: 'lib/a.ts', killed: 1, timedOut: 1, survived: 1, noCoverage: 1, score: 50 },
      { file: 'lib/z.ts', killed: 1, timedOut: 0, survived: 0, noCoverage: 0, score: 100 },
    ]);
  });

  test('a survivor is keyed by its function and its text (whitespace collapsed), with its line', () => {
    expect(readReport('units', report).survivors).toEqual([
      { part: 'units', file: 'lib/a.ts', line: 3, function: 'Box.open', mutator: 'ConditionalExpression', status: 'Survived', original: 'n > 0 && n < 10', replacement: 'true' },
      { part: 'units', file: 'lib/a.ts', line: 7, function: 'twice', mutator: 'ArithmeticOperator', status: 'NoCoverage', original: 'n * 2', replacement: 'n / 2' },
    ]);
  });
});
