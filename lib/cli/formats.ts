/**
 * The matrix lines as a table, Markdown, CSV or JSON. Each renderer writes through
 * `write` as it goes (the table reads the lines twice: widths, then rows), so that
 * output of any size streams in bounded memory.
 */
import { MatrixLine, MatrixLines } from './lines';
import { FirewallMatrix, Section, SECTION_TITLES } from '../core/matrix';

/** Where output goes, a piece at a time. */
export type Write = (chunk: string) => void;

const COLUMNS: Array<[keyof MatrixLine, string]> = [
  ['rowId', 'Row'], ['source', 'Source'], ['sourceAddress', 'Source address'], ['destination', 'Destination'],
  ['destinationAddress', 'Destination address'], ['protocol', 'Protocol'], ['fromPort', 'Port'], ['service', 'Service'],
];

/** What is unusual about a line: the cluster note, an overridden port, a documented quirk. */
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
function columnsFor(lines: MatrixLines): Array<[keyof MatrixLine, string]> {
  return lines.addressed ? COLUMNS : COLUMNS.filter(([k]) => k !== 'sourceAddress' && k !== 'destinationAddress');
}

const cells = (l: MatrixLine, columns: Array<[keyof MatrixLine, string]>) => [...columns.map(([k]) => String(l[k])), note(l)];

/** Aligned plain text, grouped by the document's sections. */
export function renderTable(lines: MatrixLines, write: Write): void {
  const columns = columnsFor(lines);
  const header = [...columns.map(([, h]) => h), 'Note'];
  const widths = new Map<Section, number[]>();
  for (const l of lines) {
    const w = widths.get(l.section) ?? header.map(h => h.length);
    cells(l, columns).forEach((c, i) => { w[i] = Math.max(w[i], c.length); });
    widths.set(l.section, w);
  }
  for (const section of Object.values(Section)) {
    const w = widths.get(section);
    if (!w) continue;
    const fmt = (r: string[]) => r.map((c, i) => c.padEnd(w[i])).join('  ').trimEnd();
    write(`${SECTION_TITLES[section]}\n${fmt(header)}\n${fmt(w.map(n => '-'.repeat(n)))}\n`);
    for (const l of lines) if (l.section === section) write(`${fmt(cells(l, columns))}\n`);
    write('\n');
  }
}

const mdEscape = (s: string) => s.replace(/\|/g, '\\|');

/** GitHub Markdown tables, one per section. */
export function renderMarkdown(lines: MatrixLines, write: Write): void {
  const columns = columnsFor(lines);
  const header = [...columns.map(([, h]) => h), 'Note'];
  const present = new Set<Section>();
  for (const l of lines) present.add(l.section);
  for (const section of Object.values(Section)) {
    if (!present.has(section)) continue;
    write(`### ${SECTION_TITLES[section]}\n\n| ${header.join(' | ')} |\n| ${header.map(() => '---').join(' | ')} |\n`);
    for (const l of lines) if (l.section === section) write(`| ${cells(l, columns).map(mdEscape).join(' | ')} |\n`);
    write('\n');
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
export function renderCsv(lines: MatrixLines, write: Write): void {
  write(`${CSV_FIELDS.join(',')}\n`);
  for (const l of lines) write(`${CSV_FIELDS.map(f => csvCell(l[f])).join(',')}\n`);
}

/** A JSON array of lines, written one line at a time. */
export function renderJson(lines: MatrixLines, write: Write): void {
  let first = true;
  write('[');
  for (const l of lines) {
    write(`${first ? '' : ','}\n  ${JSON.stringify(l, null, 2).replace(/\n/g, '\n  ')}`);
    first = false;
  }
  write(first ? ']\n' : '\n]\n');
}
