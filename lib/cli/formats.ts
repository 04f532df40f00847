/**
 * The matrix lines as a table, Markdown, CSV or JSON. Each renderer yields its output
 * a piece at a time (the table reads the lines twice: widths, then rows), so that
 * output of any size streams in bounded memory and a slow reader slows it down.
 */
import { MatrixLine, MatrixLines } from './lines';
import { FirewallMatrix, Section, SECTION_TITLES } from '../core/matrix';

/** How a renderer is asked: the terminal's width, for the table. */
export interface RenderOptions {
  /** The terminal's width in columns; undefined when output is not a terminal (no limit). */
  readonly width?: number;
}

/** A renderer: the lines in, pieces of output out. */
export type Render = (lines: MatrixLines, options?: RenderOptions) => Iterable<string>;

type Column = [keyof MatrixLine | 'note', string];

/** The table's columns, and the order in which they go when the terminal is too narrow (first goes first). */
const COLUMNS: Column[] = [
  ['rowId', 'Row'], ['source', 'Source'], ['sourceAddress', 'Source address'], ['destination', 'Destination'],
  ['destinationAddress', 'Destination address'], ['protocol', 'Protocol'], ['fromPort', 'Port'], ['service', 'Service'], ['note', 'Note'],
];
const DROP_ORDER: Array<Column[0]> = ['service', 'note', 'source', 'destination', 'protocol'];

/** What is unusual about a line: the cluster note, the vendor's guides, an overridden port, a documented quirk. */
function note(line: MatrixLine): string {
  const row = FirewallMatrix.tryFindRow(line.rowId)!;
  const parts: string[] = [];
  if (line.viaClusterNote) parts.push('cluster note');
  if (line.viaVendorGuide) parts.push('vendor guide');
  if (line.fromPort !== row.port) parts.push(`documented ${row.port}`);
  else if (row.quirk) parts.push('as documented (quirk)');
  return parts.join('; ');
}

/** The columns to show: without addresses (no config) the address columns would repeat the roles. */
function columnsFor(lines: MatrixLines): Column[] {
  return lines.addressed ? COLUMNS : COLUMNS.filter(([k]) => k !== 'sourceAddress' && k !== 'destinationAddress');
}

const cell = (l: MatrixLine, key: Column[0]) => (key === 'note' ? note(l) : String(l[key]));

/** Aligned plain text, grouped by the document's sections; within `width`, low-priority columns are left out. */
export function* renderTable(lines: MatrixLines, options: RenderOptions = {}): Iterable<string> {
  let columns = columnsFor(lines);
  const widths = new Map<Section, Map<string, number>>();
  for (const l of lines) {
    const w = widths.get(l.section) ?? new Map(columns.map(([k, h]) => [k, h.length]));
    for (const [k] of columns) w.set(k, Math.max(w.get(k)!, cell(l, k).length));
    widths.set(l.section, w);
  }
  if (options.width !== undefined) {
    // The widest section's line (a handful of sections: the spread is safe).
    const widest = (cols: Column[]) => Math.max(0, ...[...widths.values()]
      .map(w => cols.reduce((n, [k]) => n + w.get(k)!, 0) + 2 * (cols.length - 1)));
    for (const key of DROP_ORDER) {
      if (widest(columns) <= options.width) break;
      columns = columns.filter(([k]) => k !== key);
    }
  }
  for (const section of Object.values(Section)) {
    const w = widths.get(section);
    if (!w) continue;
    const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(w.get(columns[i][0])!)).join('  ').trimEnd();
    yield `${SECTION_TITLES[section]}\n${fmt(columns.map(([, h]) => h))}\n${fmt(columns.map(([k]) => '-'.repeat(w.get(k)!)))}\n`;
    for (const l of lines) if (l.section === section) yield `${fmt(columns.map(([k]) => cell(l, k)))}\n`;
    yield '\n';
  }
}

const mdEscape = (s: string) => s.replace(/\|/g, '\\|');

/** GitHub Markdown tables, one per section. */
export function* renderMarkdown(lines: MatrixLines): Iterable<string> {
  const columns = columnsFor(lines);
  const present = new Set<Section>();
  for (const l of lines) present.add(l.section);
  for (const section of Object.values(Section)) {
    if (!present.has(section)) continue;
    yield `### ${SECTION_TITLES[section]}\n\n| ${columns.map(([, h]) => h).join(' | ')} |\n| ${columns.map(() => '---').join(' | ')} |\n`;
    for (const l of lines) if (l.section === section) yield `| ${columns.map(([k]) => mdEscape(cell(l, k))).join(' | ')} |\n`;
    yield '\n';
  }
}

/** The fields of a CSV line, in order. */
const CSV_FIELDS: Array<keyof MatrixLine> = ['rowId', 'section', 'source', 'sourceAddress', 'destination', 'destinationAddress',
  'protocol', 'fromPort', 'toPort', 'service', 'viaClusterNote', 'viaVendorGuide'];

const csvCell = (v: unknown) => {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** RFC 4180 CSV with a header line. */
export function* renderCsv(lines: MatrixLines): Iterable<string> {
  yield `${CSV_FIELDS.join(',')}\n`;
  for (const l of lines) yield `${CSV_FIELDS.map(f => csvCell(l[f])).join(',')}\n`;
}

/** A JSON array of lines, one line at a time. */
export function* renderJson(lines: MatrixLines): Iterable<string> {
  let first = true;
  yield '[';
  for (const l of lines) {
    yield `${first ? '' : ','}\n  ${JSON.stringify(l, null, 2).replace(/\n/g, '\n  ')}`;
    first = false;
  }
  yield first ? ']\n' : '\n]\n';
}
