/**
 * `segura-firewall audit aws|azure`: an existing firewall, exported by the cloud's
 * CLI, against the plan of a config. Exit 0: nothing found; 1: findings; 2: bad input.
 */
import { AuditNames, auditAws, auditAzure, PROTECTED_ROLES } from '../audit/run';
import { AuditFinding, AuditReport } from '../audit/types';
import { SeguraValidationError } from '../core/errors';
import { GATEWAY_ROLES, Role, ROLES } from '../core/roles';

/** A role's flag stem: `primary`, `member`, `domum`, `arbitrator` (its config key, singular). */
const stemOf = (role: Role) => ROLES[role].property.replace(/s$/, '');

export const AUDIT_AWS_FLAGS: readonly string[] = Object.freeze(['--config', '--security-groups', '--prefix-lists', '--format',
  ...PROTECTED_ROLES.map(r => `--${stemOf(r)}`)]);
export const AUDIT_AZURE_FLAGS: readonly string[] = Object.freeze(['--config', '--nsgs', '--cluster-nsg', '--vnet', '--format',
  ...GATEWAY_ROLES.map(r => `--${stemOf(r)}-nsg`), ...PROTECTED_ROLES.map(r => `--${stemOf(r)}-asg`)]);

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
  --security-groups FILE  the output of 'aws ec2 describe-security-groups --output json'
  ${roleFlags('', PROTECTED_ROLES)}
                          the group IDs (comma-separated) each role's instances wear;
                          --primary is required, --member when the config has members
  --prefix-lists FILE     prefix-list entries by ID: { "pl-0abc": <output of 'aws ec2
                          get-managed-prefix-list-entries --prefix-list-id pl-0abc'>, ... };
                          without it, rules referencing prefix lists are unresolved
  --format FORMAT         table (default), markdown or json
  -h, --help              show this help

Exit status: 0 nothing found, 1 findings, 2 bad input.
`;

export const AUDIT_AZURE_HELP = `Usage: segura-firewall audit azure --config FILE --nsgs FILE --cluster-nsg NAME|ID --vnet CIDR[,CIDR...]
         [--domum-nsg NAME|ID] [--arbitrator-nsg NAME|ID] [--primary-asg ID,...] [--member-asg ID,...]
         [--domum-asg ID,...] [--arbitrator-asg ID,...] [--format table|markdown|json]

  az network nsg list -o json > nsgs.json
  segura-firewall audit azure --config site.json --nsgs nsgs.json --cluster-nsg segura-nsg --vnet 10.0.0.0/16

Options:
  --config FILE          the site (as for 'matrix'); "primary" is required
  --nsgs FILE            the output of 'az network nsg list -o json' or 'az network nsg show -o json'
  --cluster-nsg NAME|ID  the NSG on the Primary's and the members' subnet or NICs
  ${roleFlags('-nsg', GATEWAY_ROLES)}
                         the NSG of each gateway, when it has one in the export
  ${roleFlags('-asg', PROTECTED_ROLES)}
                         the ASG resource IDs (comma-separated) each role's NICs are in
  --vnet CIDR,...        the address spaces the VirtualNetwork tag stands for (the VNet's,
                         peered VNets', on-premises ones)
  --format FORMAT        table (default), markdown or json
  -h, --help             show this help

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
        : cloud === 'azure' && !GATEWAY_ROLES.includes(role) ? '--cluster-nsg' : `--${stemOf(role)}-nsg`),
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
  const [config, nsgs, clusterNsg, vnet] = [required('--config'), required('--nsgs'), required('--cluster-nsg'), required('--vnet')];
  const names = cliNames({ config, export: nsgs }, 'azure');
  try {
    return auditAzure({
      config: read(config, 'config file'),
      networkSecurityGroups: read(nsgs, 'NSG file'),
      clusterNsg,
      gatewayNsgs: Object.fromEntries(GATEWAY_ROLES.filter(r => flags.has(`--${stemOf(r)}-nsg`)).map(r => [ROLES[r].property, flags.get(`--${stemOf(r)}-nsg`)])),
      applicationSecurityGroups: Object.fromEntries(PROTECTED_ROLES.filter(r => flags.has(`--${stemOf(r)}-asg`))
        .map(r => [ROLES[r].property, list(flags.get(`--${stemOf(r)}-asg`))])),
      virtualNetworkPrefixes: list(vnet),
    }, names);
  } catch (e) {
    // The library's option names, as the flags that gave them.
    if (e instanceof SeguraValidationError && /^virtualNetworkPrefixes/.test(e.property)) {
      throw new SeguraValidationError(e.property.replace(/^virtualNetworkPrefixes/, '--vnet'), e.message.slice(e.property.length + 2));
    }
    throw e;
  }
}

const portsOf = (f: AuditFinding) => (f.fromPort < 0 ? '-' : f.fromPort === f.toPort ? String(f.fromPort) : `${f.fromPort}-${f.toPort}`);

const MISSING_COLUMNS: Array<[string, (f: AuditFinding) => string]> = [
  ['Row', f => f.rowId ?? ''], ['Source', f => f.source], ['Source address', f => f.sourceAddress ?? ''], ['Destination', f => f.destination],
  ['Destination address', f => f.destinationAddress ?? ''], ['Protocol', f => f.protocol], ['Port', portsOf], ['Why', f => f.reason],
];
const EXTRA_COLUMNS: Array<[string, (f: AuditFinding) => string]> = [
  ['Rule', f => f.rule ?? ''], ['Source', f => f.source], ['Destination', f => f.destination], ['Protocol', f => f.protocol],
  ['Ports', portsOf], ['Why', f => f.reason],
];
const UNRESOLVED_COLUMNS: Array<[string, (u: { rule: string; reason: string }) => string]> = [['Rule', u => u.rule], ['Why', u => u.reason]];

function sections(report: AuditReport) {
  return [
    { title: `Missing: ${report.missing.length} planned flow${report.missing.length === 1 ? '' : 's'} the rules do not allow`, rows: report.missing, columns: MISSING_COLUMNS },
    { title: `Extra: ${report.extra.length} rule part${report.extra.length === 1 ? '' : 's'} that nothing in the plan needs`, rows: report.extra, columns: EXTRA_COLUMNS },
    { title: `Unresolved: ${report.unresolved.length} rule${report.unresolved.length === 1 ? '' : 's'} the audit could not judge`, rows: report.unresolved, columns: UNRESOLVED_COLUMNS },
  ] as Array<{ title: string; rows: any[]; columns: Array<[string, (x: any) => string]> }>;
}

const summary = (r: AuditReport) => (r.missing.length + r.extra.length + r.unresolved.length === 0
  ? 'No findings: the rules allow exactly the plan.\n'
  : `Findings: ${r.missing.length} missing, ${r.extra.length} extra, ${r.unresolved.length} unresolved.\n`);

/** Aligned text, a section per kind of finding (empty ones left out). */
export function* auditTable(report: AuditReport): Iterable<string> {
  for (const s of sections(report)) {
    if (s.rows.length === 0) continue;
    const cells = s.rows.map(row => s.columns.map(([, get]) => get(row)));
    const widths = s.columns.map(([h], i) => cells.reduce((w, c) => Math.max(w, c[i].length), h.length));
    const line = (values: string[]) => `${values.map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]))).join('  ')}\n`;
    yield `${s.title}\n`;
    yield line(s.columns.map(([h]) => h));
    yield line(widths.map(w => '-'.repeat(w)));
    for (const c of cells) yield line(c);
    yield '\n';
  }
  yield summary(report);
}

/** GitHub Markdown. */
export function* auditMarkdown(report: AuditReport): Iterable<string> {
  const esc = (v: string) => v.replace(/\|/g, '\\|');
  for (const s of sections(report)) {
    if (s.rows.length === 0) continue;
    yield `### ${s.title}\n\n| ${s.columns.map(([h]) => h).join(' | ')} |\n| ${s.columns.map(() => '---').join(' | ')} |\n`;
    for (const row of s.rows) yield `| ${s.columns.map(([, get]) => esc(get(row))).join(' | ')} |\n`;
    yield '\n';
  }
  yield summary(report);
}

/** One JSON object: `{ "missing": [...], "extra": [...], "unresolved": [...] }`. */
export function* auditJson(report: AuditReport): Iterable<string> {
  yield `${JSON.stringify({ missing: report.missing, extra: report.extra, unresolved: report.unresolved }, null, 2)}\n`;
}

export const AUDIT_FORMATS: Record<string, (r: AuditReport) => Iterable<string>> = { table: auditTable, markdown: auditMarkdown, json: auditJson };
