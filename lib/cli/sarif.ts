/**
 * The audit as SARIF 2.1.0 (OASIS "Static Analysis Results Interchange Format", the
 * errata 01 schema), for code-scanning views (GitHub code scanning and the like): one run
 * of the tool `segura-firewall`; a result per finding, its rule ID the matrix row of a
 * missing flow, `segura-extra` for a rule part nothing needs and `segura-unresolved` for a
 * rule the audit cannot judge; its locations the template resource or the plan address
 * that writes it (file, line, column, and the resource as a logical location), or the
 * audited export when the input has no such place. GitHub asks for a line in every
 * result's location ("region.startLine"): an export's results point at its first line.
 */
import * as path from 'path';
import { AuditFinding, AuditLocation, AuditReport, AuditUnresolvedRule } from '../audit/types';
import { FirewallMatrix, SECTION_TITLES } from '../core/matrix';

/** The official schema's address, which the log names. */
const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

/** What the SARIF log needs besides the report. */
export interface SarifContext {
  /** The tool's version (the package's). */
  readonly version: string;
  /** The files audited: where a result without a location of its own points (the first). */
  readonly inputs: readonly string[];
}

const EXTRA = 'segura-extra';
const UNRESOLVED = 'segura-unresolved';
const HELP = 'https://github.com/segura-constructs/segura-constructs#audit-an-existing-firewall-segura-firewall-audit';

/** A path as a SARIF URI: relative ones with forward slashes, absolute ones as file URIs. */
function uriOf(file: string): string {
  if (!path.isAbsolute(file)) return encodeURI(file.split(path.sep).join('/'));
  const relative = path.relative(process.cwd(), file);
  return !relative.startsWith('..') && !path.isAbsolute(relative) ? encodeURI(relative.split(path.sep).join('/')) : `file://${encodeURI(file.split(path.sep).join('/'))}`;
}

/** A rule of the log: a matrix row, or one of the audit's two kinds of finding without a row. */
function ruleOf(id: string): object {
  if (id === EXTRA) {
    return {
      id,
      name: 'ExtraRulePart',
      shortDescription: { text: 'A rule allows traffic that no flow of the plan needs' },
      fullDescription: { text: 'The part of what the rule lets through that no row of the Segura firewall matrix, with the site\'s config, needs.' },
      defaultConfiguration: { level: 'error' },
      helpUri: HELP,
      properties: { tags: ['security', 'least-privilege'] },
    };
  }
  if (id === UNRESOLVED) {
    return {
      id,
      name: 'UnresolvedRule',
      shortDescription: { text: 'A rule the audit could not judge' },
      fullDescription: { text: 'A rule whose peer, ports or existence is known only at deploy time, or that names what the inputs do not hold.' },
      defaultConfiguration: { level: 'warning' },
      helpUri: HELP,
      properties: { tags: ['security'] },
    };
  }
  const row = FirewallMatrix.tryFindRow(id)!;
  return {
    id,
    name: id.replace(/(^|-)([A-Za-z0-9])/g, (_, __, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, ''),
    shortDescription: { text: `${row.service} ${row.port}/${row.protocol} from ${row.source} to ${row.destination} is blocked` },
    fullDescription: { text: `Row ${id} of the Segura firewall matrix (${SECTION_TITLES[row.section]}): ${row.service}, ${row.protocol} port ${row.port}, ${row.source} to ${row.destination}.` },
    defaultConfiguration: { level: 'error' },
    helpUri: 'https://github.com/segura-constructs/segura-constructs/blob/main/docs/matrix.md',
    properties: { tags: ['security', 'availability'] },
  };
}

/** A location of a result: the place the input writes the resource, and the resource as a logical location. */
function locationOf(l: AuditLocation): object {
  return {
    physicalLocation: {
      artifactLocation: { uri: uriOf(l.file) },
      region: { startLine: l.line ?? 1, ...(l.column ? { startColumn: l.column } : {}) },
    },
    logicalLocations: [{ name: l.resource, fullyQualifiedName: `${uriOf(l.file)}#${l.resource}`, kind: 'resource' }],
  };
}

const portsOf = (f: AuditFinding) => (f.fromPort < 0 ? '' : f.fromPort === f.toPort ? ` ${f.fromPort}` : ` ${f.fromPort}-${f.toPort}`);

/** The results of a report, in its order: missing, extra, unresolved. */
interface Result {
  readonly ruleId: string;
  readonly level: string;
  readonly message: string;
  readonly locations: readonly AuditLocation[];
}

function resultsOf(report: AuditReport, fallback: readonly AuditLocation[]): Result[] {
  const at = (f: { locations?: AuditLocation[] }) => (f.locations && f.locations.length > 0 ? f.locations : fallback);
  return [
    ...report.missing.map(f => ({
      ruleId: f.rowId!,
      level: 'error',
      locations: at(f),
      message: `${f.rowId}: ${f.source} ${f.sourceAddress} to ${f.destination} ${f.destinationAddress}, ${f.protocol}${portsOf(f)}, is blocked: ${f.reason}`,
    })),
    ...report.extra.map(f => ({ ruleId: EXTRA, level: 'error', locations: at(f), message: `${f.rule}: ${f.source} to ${f.destination}, ${f.protocol}${portsOf(f)}: ${f.reason}` })),
    ...report.unresolved.map((u: AuditUnresolvedRule) => ({ ruleId: UNRESOLVED, level: 'warning', locations: at(u), message: `${u.rule}: ${u.reason}` })),
  ];
}

/** The report as one SARIF log. */
export function* auditSarif(report: AuditReport, context: SarifContext): Iterable<string> {
  const fallback: AuditLocation[] = context.inputs.slice(0, 1).map(file => ({ file, resource: path.basename(file) }));
  const results = resultsOf(report, fallback);
  const ruleIds = [...new Set(results.map(r => r.ruleId))];
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'segura-firewall', informationUri: 'https://github.com/segura-constructs/segura-constructs', version: context.version, rules: ruleIds.map(ruleOf) } },
      columnKind: 'utf16CodeUnits',
      results: results.map(r => ({
        ruleId: r.ruleId,
        ruleIndex: ruleIds.indexOf(r.ruleId),
        level: r.level,
        message: { text: r.message },
        locations: r.locations.map(locationOf),
      })),
    }],
  };
  yield `${JSON.stringify(log, null, 2)}\n`;
}
