/**
 * `segura-firewall audit aws|azure|cloudformation|terraform`: an existing firewall,
 * exported by the cloud's CLI, or what a template or a plan will deploy, against the plan
 * of a config. Exit 0: nothing found; 1: findings; 2: bad input.
 */
import { RenderOptions } from './formats';
import { auditSarif, SarifContext } from './sarif';
import { AuditNames, auditAws, auditAzure, GROUP_PEER_ROLES, PROTECTED_ROLES } from '../audit/run';
import { auditPlanAws, auditPlanAzure, auditTemplates } from '../audit/sources';
import { parsePlanText, parseTemplateText } from '../audit/template-text';
import { AuditFinding, AuditReport } from '../audit/types';
import { SeguraValidationError } from '../core/errors';
import { GATEWAY_ROLES, Role, ROLES } from '../core/roles';

/** A role's flag stem: `primary`, `member`, `domum`, `arbitrator`, `load-balancer` (its config key, singular, in kebab case). */
const stemOf = (role: Role) => ROLES[role].property.replace(/s$/, '').replace(/[A-Z]/g, c => `-${c.toLowerCase()}`);

/** The roles an AWS audit places by their groups: the protected ones, and peers such as the load balancers. */
const AWS_GROUP_ROLES = [...PROTECTED_ROLES, ...GROUP_PEER_ROLES];

export const AUDIT_AWS_FLAGS: readonly string[] = Object.freeze(['--config', '--security-groups', '--prefix-lists', '--format',
  ...AWS_GROUP_ROLES.map(r => `--${stemOf(r)}`)]);
export const AUDIT_AZURE_FLAGS: readonly string[] = Object.freeze(['--config', '--nsgs', '--cluster-nsg', '--vnet', '--format',
  ...GATEWAY_ROLES.map(r => `--${stemOf(r)}-nsg`), ...PROTECTED_ROLES.map(r => `--${stemOf(r)}-nic-nsg`), ...PROTECTED_ROLES.map(r => `--${stemOf(r)}-asg`)]);

const roleFlags = (suffix: string, roles: readonly Role[]) => roles.map(r => `--${stemOf(r)}${suffix}`).join(', ');

/** The flags of `audit terraform`: the AWS placement's, or the Azure placement's. */
const TERRAFORM_AWS_FLAGS = ['--prefix-lists', ...AWS_GROUP_ROLES.map(r => `--${stemOf(r)}`)];
const TERRAFORM_AZURE_FLAGS = AUDIT_AZURE_FLAGS.filter(f => !['--config', '--nsgs', '--format'].includes(f));
export const AUDIT_CLOUDFORMATION_FLAGS: readonly string[] = Object.freeze(['--config', '--template', '--prefix-lists', '--format',
  ...AWS_GROUP_ROLES.map(r => `--${stemOf(r)}`)]);
export const AUDIT_TERRAFORM_FLAGS: readonly string[] = Object.freeze(['--config', '--plan', '--format', ...TERRAFORM_AWS_FLAGS, ...TERRAFORM_AZURE_FLAGS]);

export const AUDIT_HELP = `Usage: segura-firewall audit aws|azure|cloudformation|terraform [options]

Audit a firewall, exported or about to be deployed, against the plan of a config: what the plan needs that the
rules block (missing), what the rules allow that nothing needs (extra, per rule), and
rules that could not be judged (unresolved).

  aws              the groups, exported: aws ec2 describe-security-groups
  azure            the NSGs, exported: az network nsg list
  cloudformation   CloudFormation templates (cdk.out's, or yours), before deploying
  terraform        a Terraform plan (terraform show -json PLANFILE), before applying

Exit status: 0 nothing found, 1 findings, 2 bad input.
Run 'segura-firewall audit <source> --help' for its options. Every audit writes
--format table (default), markdown, json or sarif (SARIF 2.1.0, for code scanning).

Options:
  -h, --help   show this help
`;

export const AUDIT_AWS_HELP = `Usage: segura-firewall audit aws --config FILE --security-groups FILE --primary SG[,SG...]
         [--member SG,...] [--domum SG,...] [--arbitrator SG,...] [--load-balancer SG,...] [--prefix-lists FILE]
         [--format table|markdown|json|sarif]

  aws ec2 describe-security-groups --output json > sgs.json
  segura-firewall audit aws --config site.json --security-groups sgs.json --primary sg-0a1 --member sg-0b2

Options:
  --config FILE           the site (as for 'matrix'); "primary" is required, and "members" with --member
  --security-groups FILE  the output of 'aws ec2 describe-security-groups --output json', or its
                          bare list ('--query SecurityGroups', boto3's response['SecurityGroups'])
  ${roleFlags('', PROTECTED_ROLES)}
                          the group IDs (comma-separated) each role's instances wear;
                          --primary is required, --member when the config has members
  ${roleFlags('', GROUP_PEER_ROLES)}
                          the groups the load balancers wear: a rule naming one stands for the
                          config's "loadBalancers" addresses (their own rules are not audited)
  --prefix-lists FILE     prefix-list entries by ID: { "pl-0abc": <output of 'aws ec2
                          get-managed-prefix-list-entries --prefix-list-id pl-0abc'>, ... };
                          without it, rules referencing prefix lists are unresolved
  --format FORMAT         table (default; fits the terminal), markdown, json or sarif
  -h, --help              show this help

Exit status: 0 nothing found, 1 findings, 2 bad input.
`;

export const AUDIT_AZURE_HELP = `Usage: segura-firewall audit azure --config FILE --nsgs FILE --vnet CIDR[,CIDR...]
         [--cluster-nsg NAME|ID] [--domum-nsg NAME|ID] [--arbitrator-nsg NAME|ID]
         [--primary-nic-nsg NSG] [--member-nic-nsg NSG,...] [--domum-nic-nsg NSG] [--arbitrator-nic-nsg NSG]
         [--primary-asg ID,...] [--member-asg ID,...] [--domum-asg ID,...] [--arbitrator-asg ID,...]
         [--format table|markdown|json|sarif]

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
  --format FORMAT        table (default; fits the terminal), markdown, json or sarif
  -h, --help             show this help

Each node role needs an NSG: --cluster-nsg, or its --*-nic-nsg. Names, IDs and service
tags compare without case; Azure's six default rules apply after each NSG's own.
Exit status: 0 nothing found, 1 findings, 2 bad input.
`;

export const AUDIT_CLOUDFORMATION_HELP = `Usage: segura-firewall audit cloudformation --config FILE --template FILE [--template FILE...]
         --primary REF[,REF...] [--member REF,...] [--domum REF,...] [--arbitrator REF,...]
         [--load-balancer REF,...] [--prefix-lists FILE] [--format table|markdown|json|sarif]

  npx cdk synth
  segura-firewall audit cloudformation --config site.json --template cdk.out/Network.template.json \\
    --primary SeguraPrimarySecurityGroupE5843423 --member SeguraMemberSecurityGroup9C9F338D

Options:
  --config FILE        the site (as for 'matrix'); "primary" is required, and "members" with --member
  --template FILE      a template, JSON or YAML (short tags such as !Ref and !GetAtt read); repeat
                       it for every stack whose exports the others import (cdk.out's cross-stack references)
  ${roleFlags('', PROTECTED_ROLES)}
                       the groups (comma-separated) each role's instances wear: the logical ID of an
                       AWS::EC2::SecurityGroup of the templates, or an existing group's sg- ID they add rules to
  ${roleFlags('', GROUP_PEER_ROLES)}
                       the load balancers' groups, the same way: a rule naming one stands for the
                       config's "loadBalancers" addresses (their own rules are not audited)
  --prefix-lists FILE  prefix-list entries by ID (as for 'audit aws')
  --format FORMAT      table (default; fits the terminal), markdown, json or sarif
  -h, --help           show this help

Rules come from inline SecurityGroupIngress/SecurityGroupEgress and from separate
AWS::EC2::SecurityGroupIngress/Egress resources. Values known only at deploy time
(parameters, conditions, imports no given template exports) make a rule unresolved.
Exit status: 0 nothing found, 1 findings, 2 bad input.
`;

export const AUDIT_TERRAFORM_HELP = `Usage: segura-firewall audit terraform --config FILE --plan FILE
         AWS:   --primary ADDR[,ADDR...] [--member ADDR,...] [--domum ADDR,...] [--arbitrator ADDR,...] [--load-balancer ADDR,...]
                [--prefix-lists FILE]
         Azure: --vnet CIDR[,CIDR...] [--cluster-nsg ADDR] [--domum-nsg ADDR] [--arbitrator-nsg ADDR]
                [--primary-nic-nsg ADDR] [--member-nic-nsg ADDR,...] [--primary-asg ADDR,...] [--member-asg ADDR,...] ...
         [--format table|markdown|json|sarif]

  terraform plan -out=tfplan && terraform show -json tfplan > plan.json
  segura-firewall audit terraform --config site.json --plan plan.json --primary module.segura.aws_security_group.primary

Options:
  --config FILE   the site (as for 'matrix')
  --plan FILE     the output of 'terraform show -json PLANFILE' (not a state file, nor show -json without a plan)
  AWS             ${roleFlags('', AWS_GROUP_ROLES)}: the groups each role's instances (and the load
                  balancers) wear, by resource address (aws_security_group.primary,
                  module.segura.aws_security_group.primary) or sg- ID
  Azure           as for 'audit azure', NSGs and ASGs named by resource address or by name
                  (azurerm_network_security_group.cluster, segura-nsg)
  --format FORMAT table (default; fits the terminal), markdown, json or sarif
  -h, --help      show this help

Reads aws_security_group (inline ingress/egress), aws_security_group_rule,
aws_vpc_security_group_ingress_rule/_egress_rule, azurerm_network_security_group
(inline security_rule), azurerm_network_security_rule, azurerm_application_security_group.
IDs the plan does not know yet are found through the configuration's references
(modules included); values known only after apply make a rule unresolved.
Exit status: 0 nothing found, 1 findings, 2 bad input.
`;

/** How a run reads its files: JSON, or text (templates and plans, whose places SARIF names). */
export interface AuditReaders {
  readonly json: (file: string, what: string) => unknown;
  readonly text: (file: string, what: string) => string;
}

/** What an audit command returns: the report, and the files it audited (SARIF's fallback location). */
export interface AuditRun {
  readonly report: AuditReport;
  readonly inputs: readonly string[];
}

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

/** A flag's value, or an error naming the command's help. */
const requiredIn = (flags: Map<string, string>, command: string) => (flag: string) => {
  const v = flags.get(flag);
  if (v === undefined) throw new SeguraValidationError(flag, `is required (see 'segura-firewall audit ${command} --help')`);
  return v;
};

/** The AWS placement and prefix lists of a run, from its flags. */
function awsPlacement(flags: Map<string, string>, readers: AuditReaders, config: string) {
  const pl = flags.get('--prefix-lists');
  return {
    config: readers.json(config, 'config file'),
    prefixLists: pl === undefined ? undefined : readers.json(pl, 'prefix lists file'),
    groups: Object.fromEntries(AWS_GROUP_ROLES.filter(r => flags.has(`--${stemOf(r)}`)).map(r => [ROLES[r].property, list(flags.get(`--${stemOf(r)}`))])),
  };
}

/** The Azure placement of a run, from its flags. */
function azurePlacement(flags: Map<string, string>, readers: AuditReaders, config: string, vnet: string) {
  const byRole = (roles: readonly Role[], suffix: string, value: (flag: string) => unknown) =>
    Object.fromEntries(roles.filter(r => flags.has(`--${stemOf(r)}${suffix}`)).map(r => [ROLES[r].property, value(`--${stemOf(r)}${suffix}`)]));
  return {
    config: readers.json(config, 'config file'),
    clusterNsg: flags.get('--cluster-nsg'),
    gatewayNsgs: byRole(GATEWAY_ROLES, '-nsg', f => flags.get(f)),
    nicNsgs: byRole(PROTECTED_ROLES, '-nic-nsg', f => list(flags.get(f))),
    applicationSecurityGroups: byRole(PROTECTED_ROLES, '-asg', f => list(flags.get(f))),
    virtualNetworkPrefixes: list(vnet),
  };
}

/** The inputs of `audit aws`, from its flags. */
export function runAuditAws(flags: Map<string, string>, readers: AuditReaders): AuditRun {
  const required = requiredIn(flags, 'aws');
  const [config, sgs] = [required('--config'), required('--security-groups')];
  const placement = awsPlacement(flags, readers, config);
  const names = cliNames({ config, export: sgs, prefixLists: flags.get('--prefix-lists') }, 'aws');
  return { report: auditAws({ ...placement, securityGroups: readers.json(sgs, 'security groups file') }, names), inputs: [sgs] };
}

/** The inputs of `audit azure`, from its flags. */
export function runAuditAzure(flags: Map<string, string>, readers: AuditReaders): AuditRun {
  const required = requiredIn(flags, 'azure');
  const [config, nsgs, vnet] = [required('--config'), required('--nsgs'), required('--vnet')];
  const placement = azurePlacement(flags, readers, config, vnet);
  return { report: auditAzure({ ...placement, networkSecurityGroups: readers.json(nsgs, 'NSG file') }, cliNames({ config, export: nsgs }, 'azure')), inputs: [nsgs] };
}

/** Repeated flags come joined by this (parseFlags). */
export const REPEAT_SEPARATOR = '\n';

/** The inputs of `audit cloudformation`, from its flags. */
export function runAuditCloudFormation(flags: Map<string, string>, readers: AuditReaders): AuditRun {
  const required = requiredIn(flags, 'cloudformation');
  const [config, files] = [required('--config'), required('--template').split(REPEAT_SEPARATOR)];
  const placement = awsPlacement(flags, readers, config);
  const templates = files.map(file => ({ name: file, ...parseTemplateText(file, readers.text(file, 'template')) }));
  const names = cliNames({ config, export: '', prefixLists: flags.get('--prefix-lists') }, 'aws');
  return { report: auditTemplates(placement, names, templates), inputs: files };
}

/** The inputs of `audit terraform`, from its flags: the AWS placement's or the Azure placement's, not both. */
export function runAuditTerraform(flags: Map<string, string>, readers: AuditReaders): AuditRun {
  const required = requiredIn(flags, 'terraform');
  const [config, file] = [required('--config'), required('--plan')];
  const aws = TERRAFORM_AWS_FLAGS.filter(f => flags.has(f));
  const azure = TERRAFORM_AZURE_FLAGS.filter(f => flags.has(f));
  if (aws.length > 0 && azure.length > 0) {
    throw new SeguraValidationError(azure[0], `is an Azure option, and ${aws[0]} an AWS one: audit the AWS groups and the Azure NSGs of a plan in two runs`);
  }
  if (aws.length + azure.length === 0) {
    throw new SeguraValidationError('--plan', 'which groups? Give the AWS groups each role wears (--primary, --member, ...) or the Azure NSGs (--cluster-nsg, --vnet, ...)');
  }
  const plan = { file, ...parsePlanText(file, readers.text(file, 'plan')) };
  const names = cliNames({ config, export: file, prefixLists: flags.get('--prefix-lists') }, aws.length > 0 ? 'aws' : 'azure');
  const report = aws.length > 0 ? auditPlanAws(awsPlacement(flags, readers, config), names, plan)
    : auditPlanAzure(azurePlacement(flags, readers, config, required('--vnet')), names, plan);
  return { report, inputs: [file] };
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

/** How an audit's report is written: the terminal's width (the table), and what SARIF names. */
export interface AuditRenderOptions extends RenderOptions {
  readonly sarif: SarifContext;
}

export const AUDIT_FORMATS: Record<string, (r: AuditReport, options: AuditRenderOptions) => Iterable<string>> = {
  table: auditTable, markdown: auditMarkdown, json: auditJson, sarif: (r, options) => auditSarif(r, options.sarif),
};

/** The audit commands: each one's help, flags (those that may repeat) and run. */
export interface AuditCommand {
  readonly help: string;
  readonly flags: readonly string[];
  /** Flags that may be given more than once. */
  readonly repeatable?: readonly string[];
  readonly run: (flags: Map<string, string>, readers: AuditReaders) => AuditRun;
}

export const AUDIT_COMMANDS: Record<string, AuditCommand> = {
  aws: { help: AUDIT_AWS_HELP, flags: AUDIT_AWS_FLAGS, run: runAuditAws },
  azure: { help: AUDIT_AZURE_HELP, flags: AUDIT_AZURE_FLAGS, run: runAuditAzure },
  cloudformation: { help: AUDIT_CLOUDFORMATION_HELP, flags: AUDIT_CLOUDFORMATION_FLAGS, repeatable: ['--template'], run: runAuditCloudFormation },
  terraform: { help: AUDIT_TERRAFORM_HELP, flags: AUDIT_TERRAFORM_FLAGS, run: runAuditTerraform },
};
