/**
 * `npm run mutation`'s figures, written by the code that measures them.
 *
 *   mutation-report.ts run <part>   runs Stryker for one part (stryker.config.json or
 *                                   stryker.renderers.json), recording when it started and
 *                                   ended and the machine's load then (reports/mutation/<part>-run.json)
 *   mutation-report.ts write        reads reports/mutation/<part>.json and <part>-run.json of
 *                                   both parts and writes docs/mutation/summary.json (committed),
 *                                   the README's block between the mutation markers and
 *                                   docs/mutation/survivors.md, which joins every surviving
 *                                   mutant with its explanation in docs/mutation/explanations.json
 *                                   (hand-written); it fails, naming them, if a survivor has none
 *                                   (`--partial`: a part without a report is left out, and the
 *                                   README says it was not run)
 *
 * A survivor is known by its file, the function it sits in, its mutator and its original
 * and replacement text (whitespace collapsed), never by its line: explanations outlive
 * edits elsewhere in the file. A test (test/mutation-block.test.ts) checks that the
 * README's block and the survivors page are what the committed summary and explanations make.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const REPORTS = path.join(ROOT, 'reports', 'mutation');
export const SUMMARY = path.join(ROOT, 'docs', 'mutation', 'summary.json');
export const EXPLANATIONS = path.join(ROOT, 'docs', 'mutation', 'explanations.json');
export const SURVIVORS_PAGE = path.join(ROOT, 'docs', 'mutation', 'survivors.md');

/** The two parts, in the order `npm run mutation` runs them. */
export const PARTS = [
  { name: 'units', config: 'stryker.config.json', title: 'Part 1: the plan, the AWS layout and the audit\'s matcher, against their unit tests' },
  { name: 'renderers', config: 'stryker.renderers.json', title: 'Part 2: the renderers, against the tests that synthesize and evaluate and their unit tests' },
] as const;
export type PartName = typeof PARTS[number]['name'];

/** When a part ran and how loaded the machine was (`os.loadavg()`'s one-minute figure). */
export interface RunRecord {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly loadStart: number | null;
  readonly loadEnd: number | null;
  readonly cpus: number;
  readonly node: string;
  /** Stryker's incremental mode reused the results of mutants whose code and tests did not change. */
  readonly incremental: boolean;
  /** For an incremental run: the full run whose results it reused (or that run's own base). */
  readonly basedOn?: { readonly startedAt: string; readonly finishedAt: string };
}

export interface FileScore {
  readonly file: string;
  readonly killed: number;
  readonly timedOut: number;
  readonly survived: number;
  readonly noCoverage: number;
  /** (killed + timed out) / (killed + timed out + survived + no coverage), in percent, one decimal. */
  readonly score: number;
}

/** A mutant that no test detected (Stryker's Survived or NoCoverage). */
export interface Survivor {
  readonly part: PartName;
  readonly file: string;
  readonly line: number;
  readonly function: string;
  readonly mutator: string;
  readonly status: 'Survived' | 'NoCoverage';
  readonly original: string;
  readonly replacement: string;
}

export interface PartSummary {
  readonly name: PartName;
  readonly config: string;
  readonly run: RunRecord;
  readonly files: FileScore[];
}

export interface MutationSummary {
  readonly parts: PartSummary[];
  readonly survivors: Survivor[];
}

/** One explanation: the mutants it covers (file and function, then mutator, original, replacement) and why they survive. */
export interface Explanation {
  readonly file: string;
  readonly function: string;
  readonly mutants: { readonly mutator: string; readonly original: string; readonly replacement: string }[];
  /** Why it changes no behaviour (equivalent), or which test outside the run detects it. */
  readonly why: string;
}

// ---------------------------------------------------------------------------------------
// Reading Stryker's JSON report (mutation-testing-report-schema).

interface ReportMutant {
  readonly mutatorName: string;
  readonly replacement?: string;
  readonly status: string;
  readonly location: { start: { line: number; column: number }; end: { line: number; column: number } };
}
interface Report { readonly files: Record<string, { readonly source: string; readonly mutants: ReportMutant[] }> }

/** Whitespace collapsed to one space: the key does not change when code is re-indented or re-wrapped. */
export function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function offsetOf(lines: string[], line: number, column: number): number {
  let at = 0;
  for (let i = 0; i < line - 1; i++) at += lines[i].length + 1;
  return at + column - 1;
}

/** The innermost named function, method or class around a position ("Class.method", "name", or "(module)"). */
export function enclosingFunction(file: string, source: string, at: number): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const names: string[] = [];
  const nameOf = (n: import('typescript').Node): string | undefined => {
    if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isClassDeclaration(n)
      || ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n)) && n.name) return n.name.getText(sf);
    if (ts.isConstructorDeclaration(n)) return 'constructor';
    if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && ts.isVariableDeclaration(n.parent)) return n.parent.name.getText(sf);
    if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && ts.isPropertyDeclaration(n.parent)) return n.parent.name.getText(sf);
    return undefined;
  };
  const visit = (n: import('typescript').Node): void => {
    if (at < n.getStart(sf) || at >= n.getEnd()) return;
    const name = nameOf(n);
    if (name) names.push(name);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  // A class and its member: "Class.member"; nested functions: the innermost with its outermost.
  if (names.length === 0) return '(module)';
  if (names.length === 1) return names[0];
  return `${names[0]}.${names[names.length - 1]}`;
}

/** A part's scores and survivors from Stryker's report. */
export function readReport(part: PartName, report: Report): { files: FileScore[]; survivors: Survivor[] } {
  const files: FileScore[] = [];
  const survivors: Survivor[] = [];
  for (const file of Object.keys(report.files).sort()) {
    const { source, mutants } = report.files[file];
    const lines = source.split('\n');
    const count = (status: string) => mutants.filter(m => m.status === status).length;
    const killed = count('Killed');
    const timedOut = count('Timeout');
    const survived = count('Survived');
    const noCoverage = count('NoCoverage');
    const valid = killed + timedOut + survived + noCoverage;
    files.push({ file, killed, timedOut, survived, noCoverage, score: valid === 0 ? 100 : Math.round(1000 * (killed + timedOut) / valid) / 10 });
    for (const m of mutants) {
      if (m.status !== 'Survived' && m.status !== 'NoCoverage') continue;
      const start = offsetOf(lines, m.location.start.line, m.location.start.column);
      const end = offsetOf(lines, m.location.end.line, m.location.end.column);
      survivors.push({
        part,
        file,
        line: m.location.start.line,
        function: enclosingFunction(file, source, start),
        mutator: m.mutatorName,
        status: m.status,
        original: squash(source.slice(start, end)),
        replacement: squash(m.replacement ?? ''),
      });
    }
  }
  survivors.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.mutator.localeCompare(b.mutator)
    || a.original.localeCompare(b.original) || a.replacement.localeCompare(b.replacement));
  return { files, survivors };
}

// ---------------------------------------------------------------------------------------
// Explanations.

function keyOf(file: string, fn: string, mutator: string, original: string, replacement: string): string {
  return JSON.stringify([file, fn, mutator, squash(original), squash(replacement)]);
}

/** Each survivor with its explanation (undefined where none is written). */
export function explain(summary: MutationSummary, explanations: Explanation[]): { survivor: Survivor; explanation?: Explanation }[] {
  const byKey = new Map<string, Explanation>();
  for (const e of explanations) {
    for (const m of e.mutants) byKey.set(keyOf(e.file, e.function, m.mutator, m.original, m.replacement), e);
  }
  return summary.survivors.map(s => ({ survivor: s, explanation: byKey.get(keyOf(s.file, s.function, s.mutator, s.original, s.replacement)) }));
}

/**
 * Explanations' mutants that match no survivor of the summary (killed since, or their code changed). Those of
 * files that no part of the summary mutated (a part not run yet) wait for their run.
 */
export function unusedExplanations(summary: MutationSummary, explanations: Explanation[]): string[] {
  const keys = new Set(summary.survivors.map(s => keyOf(s.file, s.function, s.mutator, s.original, s.replacement)));
  const mutated = new Set(summary.parts.flatMap(p => p.files.map(f => f.file)));
  const out: string[] = [];
  for (const e of explanations.filter(x => mutated.has(x.file))) {
    for (const m of e.mutants) {
      if (!keys.has(keyOf(e.file, e.function, m.mutator, m.original, m.replacement))) out.push(`${e.file} ${e.function} ${m.mutator}: ${m.original} -> ${m.replacement}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// What is written.

function minutes(run: { readonly startedAt: string; readonly finishedAt: string }): number {
  return Math.round((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 60_000);
}

/** `load average 3.2 at the start and 2.7 at the end`, of what was recorded. */
function loads(run: RunRecord): string {
  const said = [[run.loadStart, 'at the start'], [run.loadEnd, 'at the end']].filter(([x]) => x !== null).map(([x, when]) => `${(x as number).toFixed(1)} ${when}`);
  return said.length === 0 ? 'load not recorded' : `load average ${said.join(' and ')}`;
}

function totals(files: FileScore[]): FileScore {
  const sum = (k: 'killed' | 'timedOut' | 'survived' | 'noCoverage') => files.reduce((acc, f) => acc + f[k], 0);
  const [killed, timedOut, survived, noCoverage] = [sum('killed'), sum('timedOut'), sum('survived'), sum('noCoverage')];
  const valid = killed + timedOut + survived + noCoverage;
  return { file: 'all', killed, timedOut, survived, noCoverage, score: valid === 0 ? 100 : Math.round(1000 * (killed + timedOut) / valid) / 10 };
}

/** The README's block between `<!-- mutation -->` and `<!-- /mutation -->`, without the markers. */
export function mutationBlock(summary: MutationSummary): string {
  const out: string[] = [];
  for (const meta of PARTS) {
    const part = summary.parts.find(p => p.name === meta.name);
    if (!part) {
      out.push(`${meta.title} ([\`${meta.config}\`](${meta.config})): not run on this code yet; \`npm run mutation\` runs it.`, '');
      continue;
    }
    const all = totals(part.files);
    const run = part.run;
    out.push(`${meta.title} ([\`${part.config}\`](${part.config})): run ${run.startedAt.slice(0, 10)}, ${minutes(run)} minutes`
      + `${!run.incremental ? '' : run.basedOn
        ? ` (incremental: mutants whose code and tests had not changed kept their results from the full run of ${run.basedOn.startedAt.slice(0, 10)}, ${minutes(run.basedOn)} minutes)`
        : ' (incremental: mutants whose code and tests had not changed since the previous run kept its results)'}`
      + ` on a ${run.cpus}-core machine shared with other jobs (${loads(run)});`
      + ` **${all.score.toFixed(1)}%** of ${all.killed + all.timedOut + all.survived + all.noCoverage} mutants detected (killed or timed out).`, '');
    out.push('| File | Killed | Timed out | Survived | No coverage | Score |', '| --- | --- | --- | --- | --- | --- |');
    for (const f of part.files) out.push(`| \`${f.file}\` | ${f.killed} | ${f.timedOut} | ${f.survived} | ${f.noCoverage} | ${f.score.toFixed(1)}% |`);
    out.push('');
  }
  out.push(`Every mutant no test detected (${summary.survivors.length}), each with why it survives (equivalent, or detected by a test outside the run, named):`
    + ' [`docs/mutation/survivors.md`](docs/mutation/survivors.md).');
  return out.join('\n');
}

function cell(text: string): string {
  return `\`${text.replace(/`/g, '\'')}\``;
}

/** docs/mutation/survivors.md: every survivor, by file, with its explanation. */
export function survivorsPage(summary: MutationSummary, explanations: Explanation[]): string {
  const joined = explain(summary, explanations);
  const out: string[] = [
    '<!-- Generated by scripts/mutation-report.ts (npm run mutation) from docs/mutation/summary.json and docs/mutation/explanations.json: do not edit. -->',
    '# Mutants that survive `npm run mutation`',
    '',
    'Every mutant that no test of its part detected (Stryker\'s "survived" and "no coverage"), with why:',
    'it changes no behaviour (equivalent), or a test outside the part\'s test files detects it (named).',
    'The explanations are written by hand in [`explanations.json`](explanations.json), each keyed by file,',
    'function, mutator and the original and replacement text; the figures are in [`summary.json`](summary.json).',
    '',
  ];
  for (const file of [...new Set(joined.map(j => j.survivor.file))]) {
    out.push(`## \`${file}\``, '');
    // Survivors that share an explanation are listed together, in the order of their first line.
    const groups = new Map<Explanation | string, Survivor[]>();
    for (const j of joined.filter(x => x.survivor.file === file)) {
      const k = j.explanation ?? `unexplained ${j.survivor.line}`;
      groups.set(k, [...groups.get(k) ?? [], j.survivor]);
    }
    for (const [k, list] of groups) {
      for (const s of list) {
        out.push(`- line ${s.line}, \`${s.function}\`, ${s.mutator}${s.status === 'NoCoverage' ? ' (no coverage)' : ''}: ${cell(s.original)} → ${cell(s.replacement)}`);
      }
      out.push('', typeof k === 'string' ? '  **Not explained.**' : `  ${k.why}`, '');
    }
  }
  if (joined.length === 0) out.push('None.', '');
  return out.join('\n');
}

const BLOCK = /<!-- mutation -->\n([\s\S]*?)\n<!-- \/mutation -->/;

/** The README's mutation block, without the markers. */
export function readMutationBlock(readme: string): string {
  const m = BLOCK.exec(readme);
  if (!m) throw new Error('README.md has no <!-- mutation --> ... <!-- /mutation --> block');
  return m[1];
}

function writeMutationBlock(readme: string, block: string): string {
  readMutationBlock(readme);
  return readme.replace(BLOCK, () => `<!-- mutation -->\n${block}\n<!-- /mutation -->`);
}

// ---------------------------------------------------------------------------------------
// The commands.

function runPart(name: PartName): number {
  const part = PARTS.find(p => p.name === name);
  if (!part) throw new Error(`no part ${name}: ${PARTS.map(p => p.name).join(', ')}`);
  const config = JSON.parse(fs.readFileSync(path.join(ROOT, part.config), 'utf8')) as { incrementalFile?: string };
  const incremental = config.incrementalFile !== undefined && fs.existsSync(path.join(ROOT, config.incrementalFile));
  const recordFile = path.join(REPORTS, `${name}-run.json`);
  const previous = incremental && fs.existsSync(recordFile) ? JSON.parse(fs.readFileSync(recordFile, 'utf8')) as RunRecord : undefined;
  const startedAt = new Date().toISOString();
  const loadStart = os.loadavg()[0];
  const r = spawnSync('npx', ['stryker', 'run', part.config], { cwd: ROOT, stdio: 'inherit' });
  const record: RunRecord = {
    startedAt,
    finishedAt: new Date().toISOString(),
    loadStart,
    loadEnd: os.loadavg()[0],
    cpus: os.cpus().length,
    node: process.version,
    incremental,
    ...(previous ? { basedOn: previous.basedOn ?? { startedAt: previous.startedAt, finishedAt: previous.finishedAt } } : {}),
  };
  fs.mkdirSync(REPORTS, { recursive: true });
  fs.writeFileSync(recordFile, JSON.stringify(record, null, 2) + '\n');
  return r.status ?? 1;
}

/** `partial`: leave out a part that has no report (yet), and say so in the README; otherwise that is an error. */
function write(partial: boolean): number {
  const parts: PartSummary[] = [];
  const survivors: Survivor[] = [];
  for (const part of PARTS) {
    const reportFile = path.join(REPORTS, `${part.name}.json`);
    const runFile = path.join(REPORTS, `${part.name}-run.json`);
    const absent = [reportFile, runFile].filter(f => !fs.existsSync(f)).map(f => path.relative(ROOT, f));
    if (absent.length > 0 && partial) {
      console.error(`${part.name}: left out (${absent.join(', ')} missing)`);
      continue;
    }
    if (absent.length > 0) throw new Error(`${absent.join(', ')} missing: run \`npm run mutation\``);
    const read = readReport(part.name, JSON.parse(fs.readFileSync(reportFile, 'utf8')) as Report);
    parts.push({ name: part.name, config: part.config, run: JSON.parse(fs.readFileSync(runFile, 'utf8')) as RunRecord, files: read.files });
    survivors.push(...read.survivors);
  }
  const summary: MutationSummary = { parts, survivors };
  const explanations = JSON.parse(fs.readFileSync(EXPLANATIONS, 'utf8')) as Explanation[];
  fs.mkdirSync(path.dirname(SUMMARY), { recursive: true });
  fs.writeFileSync(SUMMARY, JSON.stringify(summary, null, 2) + '\n');
  fs.writeFileSync(SURVIVORS_PAGE, survivorsPage(summary, explanations));
  const readme = path.join(ROOT, 'README.md');
  fs.writeFileSync(readme, writeMutationBlock(fs.readFileSync(readme, 'utf8'), mutationBlock(summary)));
  const missing = explain(summary, explanations).filter(j => !j.explanation).map(j => j.survivor);
  const unused = unusedExplanations(summary, explanations);
  for (const s of missing) console.error(`no explanation: ${s.file}:${s.line} ${s.function} ${s.mutator}: ${s.original} -> ${s.replacement}`);
  for (const u of unused) console.error(`explanation of no survivor (killed, or its code changed): ${u}`);
  console.log(`wrote ${path.relative(ROOT, SUMMARY)}, ${path.relative(ROOT, SURVIVORS_PAGE)} and README.md's mutation block: ${survivors.length} survivors, ${missing.length} unexplained`);
  return missing.length > 0 || unused.length > 0 ? 1 : 0;
}

if (require.main === module) {
  const [command, arg] = process.argv.slice(2);
  let code: number;
  if (command === 'run' && arg) {
    code = runPart(arg as PartName);
  } else if (command === 'write') {
    code = write(arg === '--partial');
  } else {
    console.error('usage: mutation-report.ts run <units|renderers> | write [--partial]');
    code = 2;
  }
  process.exit(code);
}
