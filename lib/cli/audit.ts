/**
 * `segura-firewall audit aws|azure`: an existing firewall, exported by the cloud's
 * CLI, against the plan of a config. Exit 0: nothing found; 1: findings; 2: bad input.
 */
import { RenderOptions } from './formats';
import { AuditNames, auditAws, auditAzure, PROTECTED_ROLES } from '../audit/run';
import { AuditFinding, AuditReport } from '../audit/types';
import { SeguraValidationError } from '../core/errors';
import { GATEWAY_ROLES, Role, ROLES } from '../core/roles';

/** A role's flag stem: `primary`, `member`, `domum`, `arbitrator` (its config key, singular). */
const stemOf = (role: Role) => ROLES[role].property.replace(/s$/, '');

export const AUDIT_AWS_FLAGS: readonly string[] = Object.freeze(['--config', '--security-groups', '--prefix-lists', '--format',
  ...PROTECTED_ROLES.map(r => `--${stemOf(r)}`)]);
export const AUDIT_AZURE_FLAGS: readonly string[] = Object.freeze(['--config', '--nsgs', '--cluster-nsg', '--vnet', '--format',
  ...GATEWAY_ROLES.map(r => `--${stemOf(r)}-nsg`), ...PROTECTED_ROLES.map(r => `--${stemOf(r)}-nic-nsg`), ...PROTECTED_ROLES.map(r => `--${stemOf(r)}-asg`)]);

const roleFlags = (suffix: string, roles: readonly Role[]) => roles.map(r => `--${stemOf(r)}${suffix}`).join(', ');

export const AUDIT_HELP = `Usage: segura-firewall audit aws|azure [options]

Audit an existing firewall against the plan of a config: what the plan needs that the
rules block (missing), what the rules allow that nothing needs (extra, per rule), and
rules that could not be judged (unresolved).

Exit status: 0 nothing found, 1 findings, 2 bad input.
Run 'segura-firewall audit aws --help' or 'segura-firewall audit azure --help'.

Options:
  -h, --help   show this help
`;

export const AUDIT_AWS_HELP = `Usage: segura-firewall audit aws --config FILE --security-groups FILE --primary SG[,SG...]
         [--member SG,...] [--domum SG,...] [--arbitrator SG,...] [--prefix-lists FILE]
         [--format table|markdown|json]

  aws ec2 describe-security-groups --output json > sgs.json
  segura-firewall audit aws --config site.json --security-groups sgs.json --primary sg-0a1 --member sg-0b2

Options:
  --config FILE           the site (as for 'matrix'); "primary" is required, and "members" with --member
  --security-groups FILE  the output of 'aws ec2 describe-security-groups --output json', or its
                          bare list ('--query SecurityGroups', boto3's response['SecurityGroups'])
  ${roleFlags('', PROTECTED_ROLES)}
                          the group IDs (comma-separated) each role's instances wear;
                          --primary is required, --member when the config has members
  --prefix-lists FILE     prefix-list entries by ID: { "pl-0abc": <output of 'aws ec2
                          get-managed-prefix-list-entries --prefix-list-id pl-0abc'>, ... };
                          without it, rules referencing prefix lists are unresolved
  --format FORMAT         table (default; fits the terminal), markdown or json
  -h, --help              show this help

Exit status: 0 nothing found, 1 findings, 2 bad input.
`;

export const AUDIT_AZURE_HELP = `Usage: segura-firewall audit azure --config FILE --nsgs FILE --vnet CIDR[,CIDR...]
         [--cluster-nsg NAME|ID] [--domum-nsg NAME|ID] [--arbitrator-nsg NAME|ID]
         [--primary-nic-nsg NSG] [--member-nic-nsg NSG,...] [--domum-nic-nsg NSG] [--arbitrator-nic-nsg NSG]
         [--primary-asg ID,...] [--member-asg ID,...] [--domum-asg ID,...] [--arbitrator-asg ID,...]
         [--format table|markdown|json]

  az network nsg list -o json > nsgs.json
  segura-firewall audit azure --config site.json --nsgs nsgs.json --cluster-nsg segura-nsg --vnet 10.0.0.0/16

Options:
  --config FILE          the site (as for 'matrix'); "primary" is required
  --nsgs FILE            the output of 'az network nsg list -o json' or 'az network nsg show -o json'
  --vnet CIDR,...        the address spaces the VirtualNetwork tag stands for (the VNet's,
                         peered VNets', on-premises ones); they must hold the instances' addresses:
                         az network vnet show -g RG -n VNET --query addressSpace.addressPrefixes -o tsv
  --cluster-nsg NAME|ID  the NSG on the subnet of the Primary and the members
  ${roleFlags('-nsg', GATEWAY_ROLES)}
                         the NSG on each gateway's subnet
  ${roleFlags('-nic-nsg', PROTECTED_ROLES)}
                         the NSG on the role's NICs ('az vm create' adds one): one for all its
                         instances, or one per instance in the config's order (comma-separated).
                         Azure filters inbound traffic by the subnet's NSG then the NIC's,
                         outbound by the NIC's then the subnet's: both must allow it
  ${roleFlags('-asg', PROTECTED_ROLES)}
                         the ASG resource IDs (comma-separated) each role's NICs are in:
                         az network asg show -g RG -n NAME --query id -o tsv
  --format FORMAT        table (default; fits the terminal), markdown or json
  -h, --help             show this help

Each node role needs an NSG: --cluster-nsg, or its --*-nic-nsg. Names, IDs and service
tags compare without case; Azure's six default rules apply after each NSG's own.
Exit status: 0 nothing found, 1 findings, 2 bad input.
`;

/** The names a CLI run's errors use: its files and flags. */
function cliNames(files: { config: string; export: string; prefixLists?: string }, cloud: 'aws' | 'azure'): AuditNames {
  return {
    config: `${files.config}: `,
    export: `${files.export}: `,
    prefixLists: `${files.prefixLists ?? ''}: `,
    option: (role, what) => (what === 'groups' ? `--${stemOf(role)}`
      : what === 'asgs' ? `--${stemOf(role)}-asg`
        : what === 'nicNsg' ? `--${stemOf(role)}-nic-nsg`
          : cloud === 'azure' && !GATEWAY_ROLES.includes(role) ? '--cluster-nsg' : `--${stemOf(role)}-nsg`),
    vnet: '--vnet',
  };
}

const list = (value: string | undefined) => value?.split(',').map(s => s.trim()).filter(s => s.length > 0);

/** The inputs of `audit aws`, from its flags; `read` reads a JSON file. */
export function runAuditAws(flags: Map<string, string>, read: (file: string, what: string) => unknown): AuditReport {
  const required = (flag: string) => {
    const v = flags.get(flag);
    if (v === undefined) throw new SeguraValidationError(flag, 'is required (see \'segura-firewall audit aws --help\')');
    return v;
  };
  const [config, sgs] = [required('--config'), required('--security-groups')];
  const pl = flags.get('--prefix-lists');
  const groups = Object.fromEntries(PROTECTED_ROLES.filter(r => flags.has(`--${stemOf(r)}`)).map(r => [ROLES[r].property, list(flags.get(`--${stemOf(r)}`))]));
  return auditAws({
    config: read(config, 'config file'),
    securityGroups: read(sgs, 'security groups file'),
    prefixLists: pl === undefined ? undefined : read(pl, 'prefix lists file'),
    groups,
  }, cliNames({ config, export: sgs, prefixLists: pl }, 'aws'));
}

/** The inputs of `audit azure`, from its flags. */
export function runAuditAzure(flags: Map<string, string>, read: (file: string, what: string) => unknown): AuditReport {
  const required = (flag: string) => {
    const v = flags.get(flag);
    if (v === undefined) throw new SeguraValidationError(flag, 'is required (see \'segura-firewall audit azure --help\')');
    return v;
  };
  const [config, nsgs, vnet] = [required('--config'), required('--nsgs'), required('--vnet')];
  const byRole = (roles: readonly Role[], suffix: string, value: (flag: string) => unknown) =>
    Object.fromEntries(roles.filter(r => flags.has(`--${stemOf(r)}${suffix}`)).map(r => [ROLES[r].property, value(`--${stemOf(r)}${suffix}`)]));
  return auditAzure({
    config: read(config, 'config file'),
    networkSecurityGroups: read(nsgs, 'NSG file'),
    clusterNsg: flags.get('--cluster-nsg'),
    gatewayNsgs: byRole(GATEWAY_ROLES, '-nsg', f => flags.get(f)),
    nicNsgs: byRole(PROTECTED_ROLES, '-nic-nsg', f => list(flags.get(f))),
    applicationSecurityGroups: byRole(PROTECTED_ROLES, '-asg', f => list(flags.get(f))),
    virtualNetworkPrefixes: list(vnet),
  }, cliNames({ config, export: nsgs }, 'azure'));
}

const portsOf = (f: AuditFinding) => (f.fromPort < 0 ? '-' : f.fromPort === f.toPort ? String(f.fromPort) : `${f.fromPort}-${f.toPort}`);

/** A column: its header, its cell, the narrowest it wraps to (wrapping columns only). */
interface Column<T> {
  readonly header: string;
  readonly get: (row: T) => string;
  readonly wrapTo?: number;
}

const col = <T>(header: string, get: (row: T) => string, wrapTo?: number): Column<T> => ({ header, get, wrapTo });

const MISSING_COLUMNS: Array<Column<AuditFinding>> = [
  col('Row', f => f.rowId ?? ''), col('Source', f => f.source), col('Source address', f => f.sourceAddress ?? ''), col('Destination', f => f.destination),
  col('Destination address', f => f.destinationAddress ?? ''), col('Protocol', f => f.protocol), col('Port', portsOf), col('Why', f => f.reason, 30),
];
const EXTRA_COLUMNS: Array<Column<AuditFinding>> = [
  col('Rule', f => f.rule ?? '', 20), col('Source', f => f.source, 12), col('Destination', f => f.destination, 12), col('Protocol', f => f.protocol),
  col('Ports', portsOf), col('Why', f => f.reason, 30),
];
const UNRESOLVED_COLUMNS: Array<Column<{ rule: string; reason: string }>> = [col('Rule', u => u.rule, 20), col('Why', u => u.reason, 30)];

/** When the terminal is too narrow, the columns that go first (the rest say the same: a row ID names the protocol and port). */
const DROP_ORDER = ['Protocol', 'Port', 'Source', 'Destination', 'Ports'];

function sections(report: AuditReport) {
  return [
    { title: `Missing: ${report.missing.length} planned flow${report.missing.length === 1 ? '' : 's'} the rules do not allow`, rows: report.missing, columns: MISSING_COLUMNS },
    { title: `Extra: ${report.extra.length} rule part${report.extra.length === 1 ? '' : 's'} that nothing in the plan needs`, rows: report.extra, columns: EXTRA_COLUMNS },
    { title: `Unresolved: ${report.unresolved.length} rule${report.unresolved.length === 1 ? '' : 's'} the audit could not judge`, rows: report.unresolved, columns: UNRESOLVED_COLUMNS },
  ] as Array<{ title: string; rows: any[]; columns: Array<Column<any>> }>;
}

const summary = (r: AuditReport) => (r.missing.length + r.extra.length + r.unresolved.length === 0
  ? 'No findings: the rules allow exactly the plan.\n'
  : `Findings: ${r.missing.length} missing, ${r.extra.length} extra, ${r.unresolved.length} unresolved.\n`);

/** A text in lines of at most `width`, broken at spaces (a longer word is cut). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (let word of text.split(' ')) {
    while (word.length > width) {
      if (line) {
        lines.push(line);
        line = '';
      }
      lines.push(word.slice(0, width));
      word = word.slice(width);
    }
    if (!line) {
      line = word;
    } else if (line.length + 1 + word.length <= width) {
      line += ` ${word}`;
    } else {
      lines.push(line);
      line = word;
    }
  }
  lines.push(line);
  return lines;
}

/** The columns and widths that fit `width`: wrapping columns narrow first, then columns go in DROP_ORDER. */
function fit<T>(columns: Array<Column<T>>, cells: string[][], width: number | undefined): Array<{ column: Column<T>; index: number; width: number }> {
  let shown = columns.map((column, index) => ({ column, index, width: cells.reduce((w, c) => Math.max(w, c[index].length), column.header.length) }));
  if (width === undefined) return shown;
  const total = (cols: typeof shown) => cols.reduce((n, c) => n + c.width, 0) + 2 * (cols.length - 1);
  for (let drop = 0; ; drop++) {
    // Narrow the wrapping columns, widest first, down to their floor.
    const narrowed = shown.map(c => ({ ...c }));
    let excess = total(narrowed) - width;
    while (excess > 0) {
      const widest = narrowed.filter(c => c.column.wrapTo !== undefined && c.width > Math.max(c.column.wrapTo, c.column.header.length))
        .sort((a, b) => b.width - a.width)[0];
      if (!widest) break;
      const floor = Math.max(widest.column.wrapTo!, widest.column.header.length);
      const by = Math.min(excess, widest.width - floor);
      widest.width -= by;
      excess -= by;
    }
    if (excess <= 0 || drop >= DROP_ORDER.length) return narrowed;
    shown = shown.filter(c => c.column.header !== DROP_ORDER[drop]);
  }
}

/** Aligned text, a section per kind of finding (empty ones left out); within `width`, long cells wrap and the least useful columns go. */
export function* auditTable(report: AuditReport, options: RenderOptions = {}): Iterable<string> {
  for (const s of sections(report)) {
    if (s.rows.length === 0) continue;
    const cells = s.rows.map(row => s.columns.map(c => c.get(row)));
    const shown = fit(s.columns, cells, options.width);
    const line = (values: string[]) => `${values.map((v, i) => (i === values.length - 1 ? v : v.padEnd(shown[i].width))).join('  ').trimEnd()}\n`;
    yield `${s.title}\n`;
    yield line(shown.map(c => c.column.header));
    yield line(shown.map(c => '-'.repeat(c.width)));
    for (const row of cells) {
      const wrapped = shown.map(c => wrap(row[c.index], c.width));
      const height = Math.max(...wrapped.map(w => w.length));
      for (let k = 0; k < height; k++) yield line(wrapped.map(w => w[k] ?? ''));
    }
    yield '\n';
  }
  yield summary(report);
}

/** GitHub Markdown. */
export function* auditMarkdown(report: AuditReport): Iterable<string> {
  const esc = (v: string) => v.replace(/\|/g, '\\|');
  for (const s of sections(report)) {
    if (s.rows.length === 0) continue;
    yield `### ${s.title}\n\n| ${s.columns.map(c => c.header).join(' | ')} |\n| ${s.columns.map(() => '---').join(' | ')} |\n`;
    for (const row of s.rows) yield `| ${s.columns.map(c => esc(c.get(row))).join(' | ')} |\n`;
    yield '\n';
  }
  yield summary(report);
}

/** One JSON object: `{ "missing": [...], "extra": [...], "unresolved": [...] }`. */
export function* auditJson(report: AuditReport): Iterable<string> {
  yield `${JSON.stringify({ missing: report.missing, extra: report.extra, unresolved: report.unresolved }, null, 2)}\n`;
}

export const AUDIT_FORMATS: Record<string, (r: AuditReport, options?: RenderOptions) => Iterable<string>> = {
  table: auditTable, markdown: auditMarkdown, json: auditJson,
};
