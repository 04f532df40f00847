/**
 * The README's options table (between `<!-- options -->` and `<!-- /options -->`),
 * generated (`npx projen generate`; test/generated.test.ts fails when it is stale): a
 * row per peer property of the role table with the rows it opens, a row per rule option
 * of the options schema, the gateway constructs; and the props each cloud takes of its
 * own, written once here.
 */
import { RULE_OPTIONS, RuleOptions } from '../../lib/core/config';
import { FirewallMatrix, MatrixRow } from '../../lib/core/matrix';
import { peerRoleOf } from '../../lib/core/plan';
import { ALL_ROLES, isNode, Role, ROLES } from '../../lib/core/roles';

/** What each cloud's cluster takes of its own: option, what it does, default. */
const BACKEND_ROWS: ReadonlyArray<readonly [string, string, string]> = [
  ['`ruleQuota` (AWS)', 'rules per group and direction (AWS\'s quota)', '60'],
  ['`maxSecurityGroups` (AWS)', 'groups a role\'s instances may wear (AWS allows 5 per interface: `5` when they wear no group of your own)',
    '4, or fewer when `ruleQuota` × 4 > 1,000'],
  ['`layoutFile` (AWS)', 'a JSON file recording which group each rule went to, read and rewritten at synth (commit it): appends and toggles then move no rule, '
    + 'unless a warning says which and why (see [Stability contract](#stability-contract))', 'no file: the stateless layout'],
  ['`resourceGroupName`, `location` (Azure)', 'where the NSGs and ASGs go (checked; tokens skipped)', 'required'],
  ['`namePrefix` (Azure)', 'prefix of resource names',
    'from the construct path: `Segura` → `segura`, `Prod/Cluster` → `prod-cluster`; a gateway: its cluster\'s prefix and `-domum` / `-arbitrator`'],
  ['`keepAzureDefaultRules` (Azure)', 'keep Azure\'s permissive defaults instead of deny-all (weaker)', '`false`'],
  ['`tags` (Azure)', 'tags on the NSGs and ASGs', 'none'],
];

const START = '<!-- options -->';
const END = '<!-- /options -->';

/** "MGT-BACKUP-SSH 22/tcp, ..." */
const listed = (rows: readonly MatrixRow[]) => rows.map(r => `${r.id} ${r.port}/${r.protocol}`).join(', ');

/** The rows a role opens, toward it and from it (the Primary's rows hold for the members too). */
function opens(role: Role): string {
  const rows = FirewallMatrix.ALL_ROWS.filter(r => peerRoleOf(r) === role);
  const toward = rows.filter(r => r.destination === role);
  const from = rows.filter(r => r.source === role);
  return [toward.length ? `toward them: ${listed(toward)}` : '', from.length ? `from them: ${listed(from)}` : ''].filter(Boolean).join('; ');
}

/** The table's rows. */
function tableRows(): string[] {
  const rows: string[] = [];
  for (const role of ALL_ROLES.filter(r => ROLES[r].peerListInConstructs)) {
    const facts = ROLES[role];
    rows.push(`| \`${facts.property}\` | ${facts.title}: ${opens(role)} | no rules for these peers |`);
    if (facts.port) {
      const [what, fallback] = facts.port.title.split('; default ');
      rows.push(`| \`${facts.port.property}\` | ${what} | ${fallback} |`);
    }
  }
  for (const [key, spec] of Object.entries(RULE_OPTIONS)) {
    const users = spec.usedBy.includes('constructs') ? '' : ` (${spec.usedBy.filter(u => u !== 'plan').join(', ')} only)`;
    rows.push(`| \`${key}\`${users} | ${RULE_OPTIONS[key as keyof RuleOptions].readme.does} | ${spec.readme.default} |`);
  }
  for (const [option, does, fallback] of BACKEND_ROWS) rows.push(`| ${option} | ${does} | ${fallback} |`);
  for (const role of ALL_ROLES.filter(r => ROLES[r].gateway && !isNode(r))) {
    const { construct, name } = ROLES[role].gateway!;
    rows.push(`| \`${construct}\` (a construct) | ${opens(role)} | no ${name} rules |`);
  }
  return rows;
}

/** The table, as the README holds it between its markers. */
export function optionsTable(): string {
  return ['| Option | What it opens or does | Default |', '| --- | --- | --- |', ...tableRows()].join('\n');
}

/** The README with its options table regenerated. */
export function readmeSource(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md: the options table's markers (${START} ... ${END}) are missing`);
  return `${readme.slice(0, start + START.length)}\n${optionsTable()}\n${readme.slice(end)}`;
}
