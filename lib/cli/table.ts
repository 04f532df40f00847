/**
 * The plan for people and other firewalls: a configuration file of CIDRs (the same
 * options as the constructs), expanded into one row per source, destination,
 * protocol and port, and rendered as a table, Markdown, CSV, JSON or a diagram.
 * Cloud-free: imports neither aws-cdk-lib nor cdktf.
 */
import { validateCidr } from '../core/cidr';
import { collectPeers, planOptionsOf, rejectUnknownKeys, RuleOptions } from '../core/config';
import { SeguraValidationError } from '../core/errors';
import { FirewallMatrix, Role, Section, SECTION_TITLES } from '../core/matrix';
import { Flow, PEER_ROLES, planFlows } from '../core/plan';

/** The configuration file (JSON); documented by schema/segura-firewall.schema.json. */
export interface CliConfig extends RuleOptions {
  readonly primary?: string[];
  readonly members?: string[];
  readonly domum?: string[];
  readonly users?: string[];
  readonly devices?: string[];
  readonly management?: { readonly [key: string]: string[] };
  readonly packageMirrors?: string[];
  readonly aptProxy?: { readonly peers: string[]; readonly port?: number };
}

const CONFIG_KEYS = ['$schema', 'primary', 'members', 'domum', 'users', 'devices', 'management', 'packageMirrors', 'aptProxy',
  'portOverrides', 'disabledRules'];

/** One line of the matrix: a flow between two concrete addresses (or role names). */
export interface MatrixLine {
  readonly rowId: string;
  readonly section: Section;
  readonly source: string;
  readonly sourceAddress: string;
  readonly destination: string;
  readonly destinationAddress: string;
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly service: string;
  readonly viaClusterNote: boolean;
}

function validateAddress(property: string, value: unknown): void {
  if (typeof value !== 'string') throw new SeguraValidationError(property, `expected a CIDR string such as "10.0.0.0/16", got ${JSON.stringify(value)}`);
  validateCidr(property, value);
}

function nodeList(config: CliConfig, key: 'primary' | 'members' | 'domum'): string[] | undefined {
  const value = config[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) {
    throw new SeguraValidationError(key, `expected a non-empty list of CIDRs, got ${JSON.stringify(value)}`);
  }
  value.forEach((v, i) => validateAddress(`${key}[${i}]`, v));
  return value;
}

/** The lines of the plan for a configuration, or, without one, the whole document by role. */
export function matrixLines(config?: CliConfig): MatrixLine[] {
  if (config === undefined) {
    // The document by role: every role present, members and Domum included, mirrors (not the proxy).
    return planFlows({ peerRoles: PEER_ROLES.filter(r => r !== Role.APT_PROXY) }).map(f => lineOf(f, f.source, f.destination));
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new SeguraValidationError('config', 'expected a JSON object');
  }
  rejectUnknownKeys('', config, CONFIG_KEYS);
  const primary = nodeList(config, 'primary');
  const members = nodeList(config, 'members');
  const domum = nodeList(config, 'domum');
  const peers = new Map<Role, string[]>();
  for (const { role, peers: list } of collectPeers<string>(config, validateAddress)) peers.set(role, list);
  if (config.aptProxy?.port !== undefined && typeof config.aptProxy.port !== 'number') {
    throw new SeguraValidationError('aptProxy.port', `expected a port number, got ${JSON.stringify(config.aptProxy.port)}`);
  }
  const roles = [...peers.keys(), ...(domum ? [Role.DOMUM] : [])];
  const flows = planFlows({ ...planOptionsOf(roles, config), clusterMembers: members !== undefined });
  const addresses = (role: Role): string[] => {
    if (role === Role.PRD) return primary ?? [Role.PRD];
    if (role === Role.MBR) return members ?? [];
    if (role === Role.DOMUM) return domum ?? [];
    return peers.get(role) ?? [];
  };
  const lines: MatrixLine[] = [];
  for (const f of flows) {
    for (const s of addresses(f.source)) for (const d of addresses(f.destination)) lines.push(lineOf(f, s, d));
  }
  return lines;
}

function lineOf(f: Flow, sourceAddress: string, destinationAddress: string): MatrixLine {
  return {
    rowId: f.rowId,
    section: f.section,
    source: f.source,
    sourceAddress,
    destination: f.destination,
    destinationAddress,
    protocol: f.protocol,
    fromPort: f.port,
    toPort: f.port,
    service: f.service,
    viaClusterNote: f.viaClusterNote,
  };
}

const COLUMNS: Array<[keyof MatrixLine, string]> = [
  ['rowId', 'Row'], ['source', 'Source'], ['sourceAddress', 'Source address'], ['destination', 'Destination'],
  ['destinationAddress', 'Destination address'], ['protocol', 'Protocol'], ['fromPort', 'Port'], ['service', 'Service'],
];

function note(line: MatrixLine): string {
  const row = FirewallMatrix.tryFindRow(line.rowId)!;
  const parts: string[] = [];
  if (line.viaClusterNote) parts.push('cluster note');
  if (line.fromPort !== row.port) parts.push(`documented ${row.port}`);
  else if (row.quirk) parts.push('as documented (quirk)');
  return parts.join('; ');
}

/** The columns to show: without addresses (no config) the address columns say nothing. */
function columnsFor(lines: MatrixLine[]): Array<[keyof MatrixLine, string]> {
  const addressed = lines.some(l => l.sourceAddress !== l.source || l.destinationAddress !== l.destination);
  return addressed ? COLUMNS : COLUMNS.filter(([k]) => k !== 'sourceAddress' && k !== 'destinationAddress');
}

/** Aligned plain text, grouped by the document's sections. */
export function renderTable(lines: MatrixLine[]): string {
  const columns = columnsFor(lines);
  const header = [...columns.map(([, h]) => h), 'Note'];
  const out: string[] = [];
  for (const section of Object.values(Section)) {
    const rows = lines.filter(l => l.section === section).map(l => [...columns.map(([k]) => String(l[k])), note(l)]);
    if (rows.length === 0) continue;
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)));
    const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
    out.push(SECTION_TITLES[section], fmt(header), fmt(widths.map(w => '-'.repeat(w))), ...rows.map(fmt), '');
  }
  return out.join('\n');
}

const mdEscape = (s: string) => s.replace(/\|/g, '\\|');

/** GitHub Markdown tables, one per section. */
export function renderMarkdown(lines: MatrixLine[]): string {
  const columns = columnsFor(lines);
  const header = [...columns.map(([, h]) => h), 'Note'];
  const out: string[] = [];
  for (const section of Object.values(Section)) {
    const rows = lines.filter(l => l.section === section);
    if (rows.length === 0) continue;
    out.push(`### ${SECTION_TITLES[section]}`, '', `| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`);
    for (const l of rows) out.push(`| ${[...columns.map(([k]) => mdEscape(String(l[k]))), note(l)].join(' | ')} |`);
    out.push('');
  }
  return out.join('\n');
}

export const CSV_FIELDS: Array<keyof MatrixLine> = ['rowId', 'section', 'source', 'sourceAddress', 'destination', 'destinationAddress',
  'protocol', 'fromPort', 'toPort', 'service', 'viaClusterNote'];

const csvCell = (v: unknown) => {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** RFC 4180 CSV with a header line. */
export function renderCsv(lines: MatrixLine[]): string {
  return [CSV_FIELDS.join(','), ...lines.map(l => CSV_FIELDS.map(f => csvCell(l[f])).join(','))].join('\n') + '\n';
}

/** A JSON array of lines. */
export function renderJson(lines: MatrixLine[]): string {
  return JSON.stringify(lines, null, 2) + '\n';
}

const NODE_GROUPS: Array<[string, Role[]]> = [
  ['Segura', [Role.PRD, Role.MBR]],
  ['Management systems', [Role.NTP_SERVER, Role.DNS_SERVER, Role.MAIL_SERVER, Role.LDAP_SERVER, Role.RADIUS_SERVER,
    Role.TACACS_SERVER, Role.LOG_SERVER, Role.BACKUP_SERVER]],
  ['Users', [Role.USERW]],
  ['Managed devices', [Role.DVC]],
  ['Domum', [Role.DOMUM]],
  ['Package updates', [Role.PACKAGE_MIRROR, Role.APT_PROXY]],
];

const nodeId = (role: string) => role.replace(/[^A-Za-z0-9]/g, '_');

interface Edge { source: string; destination: string; section: Section; label: string }

function edges(lines: MatrixLine[]): Edge[] {
  const groups = new Map<string, { source: string; destination: string; section: Section; ports: Map<string, Set<number>> }>();
  for (const l of lines) {
    const key = `${l.section}|${l.source}|${l.destination}`;
    const g = groups.get(key) ?? { source: l.source, destination: l.destination, section: l.section, ports: new Map() };
    const set = g.ports.get(l.protocol) ?? new Set<number>();
    set.add(l.fromPort);
    g.ports.set(l.protocol, set);
    groups.set(key, g);
  }
  return [...groups.values()].map(g => ({
    source: g.source,
    destination: g.destination,
    section: g.section,
    label: [...g.ports.entries()].map(([p, ports]) => `${p} ${[...ports].sort((a, b) => a - b).join(', ')}`).join('; '),
  }));
}

/** A Mermaid flowchart: roles as nodes grouped as the document groups them, flows as labelled edges. */
export function renderMermaid(lines: MatrixLine[]): string {
  const present = new Set(lines.flatMap(l => [l.source, l.destination]));
  const out = ['flowchart LR'];
  for (const [title, roles] of NODE_GROUPS) {
    const here = roles.filter(r => present.has(r));
    if (here.length === 0) continue;
    out.push(`  subgraph ${nodeId(title)}["${title}"]`, ...here.map(r => `    ${nodeId(r)}["${r}"]`), '  end');
  }
  for (const section of Object.values(Section)) {
    const list = edges(lines).filter(e => e.section === section);
    if (list.length === 0) continue;
    out.push(`  %% ${SECTION_TITLES[section]}`);
    for (const e of list) out.push(`  ${nodeId(e.source)} -->|"${e.label}"| ${nodeId(e.destination)}`);
  }
  return out.join('\n') + '\n';
}

/** A Graphviz digraph with the same grouping. */
export function renderDot(lines: MatrixLine[]): string {
  const present = new Set(lines.flatMap(l => [l.source, l.destination]));
  const out = ['digraph segura {', '  rankdir=LR;', '  node [shape=box];'];
  NODE_GROUPS.forEach(([title, roles], i) => {
    const here = roles.filter(r => present.has(r));
    if (here.length === 0) return;
    out.push(`  subgraph cluster_${i} {`, `    label="${title}";`, ...here.map(r => `    ${nodeId(r)} [label="${r}"];`), '  }');
  });
  for (const section of Object.values(Section)) {
    const list = edges(lines).filter(e => e.section === section);
    if (list.length === 0) continue;
    out.push(`  // ${SECTION_TITLES[section]}`);
    for (const e of list) out.push(`  ${nodeId(e.source)} -> ${nodeId(e.destination)} [label="${e.label}"];`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}

/** docs/matrix.md: the full table and the diagram, generated from the data. */
export function matrixDocument(): string {
  const lines = matrixLines();
  const ids = FirewallMatrix.ALL_ROWS;
  return [
    '<!-- Generated from lib/core/matrix.ts by `npx projen docs`; do not edit. A test fails when it is stale. -->',
    '# The Segura firewall matrix',
    '',
    'Every row of the vendor\'s document, by role, with the cluster note applied (every row of the',
    'Primary holds for the members too, marked "cluster note") and the prose note on package',
    'mirrors as row UPD-MIRROR (or UPD-APT-PROXY with an APT proxy). `segura-firewall matrix`',
    'prints the same for your own addresses.',
    '',
    '## Diagram',
    '',
    '```mermaid',
    renderMermaid(lines).trimEnd(),
    '```',
    '',
    '## Rows by section',
    '',
    renderMarkdown(lines).trimEnd(),
    '',
    '## Row IDs',
    '',
    'Use these in `portOverrides` and `disabledRules`.',
    '',
    '| ID | Section | Protocol | Source | Destination | Port | Service | Quirk |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...ids.map(r => `| ${r.id} | ${r.section} | ${r.protocol} | ${r.source} | ${r.destination} | ${r.port} | ${r.service} | ${r.quirk ?? ''} |`),
    '',
  ].join('\n');
}
