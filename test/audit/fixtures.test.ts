/**
 * The audit's readers on hand-written exports in the clouds' documented shapes
 * (test/fixtures/audit): every field variant is read, the findings are exact, and
 * malformed exports, unknown IDs and configs that do not match are clear errors.
 */
import * as fs from 'fs';
import * as path from 'path';
import { AuditFinding, AuditReport, FirewallAudit } from '../../lib/audit';
import { AZURE_DEFAULT_RULES } from '../../lib/audit/azure-export';
import { FirewallPlan, Role } from '../../lib/core';
import { SeguraValidationError } from '../../lib/errors';
import { AZURE_DEFAULT_RULES_DOCUMENTED } from '../support/azure-defaults';
import { configFileKeys } from '../support/keys';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'audit');
const fixture = (name: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8'));
const line = (f: AuditFinding) => `${f.rule} | ${f.source}>${f.destination} ${f.protocol} ${f.fromPort < 0 ? '-' : `${f.fromPort}-${f.toPort}`} | ${f.reason}`;
const missingLine = (f: AuditFinding) => `${f.rowId} ${f.source} ${f.sourceAddress}>${f.destination} ${f.destinationAddress} ${f.protocol}/${f.fromPort} | ${f.reason}`;

/** The tcp port ranges between the cluster table's ports (the test's own reading of the plan). */
function gapsBetweenClusterPorts(): Array<[number, number]> {
  const ports = [...new Set(FirewallPlan.flows({ peerRoles: [] }).filter(f => f.source === Role.MBR && f.destination === Role.PRD && f.protocol === 'tcp').map(f => f.port))]
    .sort((a, b) => a - b);
  const gaps: Array<[number, number]> = [];
  let next = 0;
  for (const p of ports) { if (p > next) gaps.push([next, p - 1]); next = p + 1; }
  if (next <= 65535) gaps.push([next, 65535]);
  return gaps;
}

describe('audit aws: describe-security-groups as exported', () => {
  const groups = { primary: ['sg-0aaa0000000000000', 'sg-0ccc0000000000000'], members: ['sg-0bbb0000000000000', 'sg-0ccc0000000000000'] };
  const audit = (extra: object = {}): AuditReport => FirewallAudit.aws({
    config: fixture('aws-site.json'), securityGroups: fixture('aws-describe-security-groups.json'), groups, ...extra,
  });
  const [PRD, MBR, CLU, BASTION] = ['sg-0aaa0000000000000', 'sg-0bbb0000000000000', 'sg-0ccc0000000000000', 'sg-0ddd0000000000000'];
  const gaps = gapsBetweenClusterPorts();

  test('every finding, exactly: names and numbers of protocols, ranges, IPv6, group pairs, a peered group, ICMP, all traffic', () => {
    const report = audit({ prefixLists: fixture('aws-prefix-list-entries.json') });
    expect(report.missing.map(missingLine)).toEqual([
      // The members' group has nothing on 3389 (the Primary's has it through the prefix list).
      `USR-RDP USERW 10.10.0.0/16>MBR 10.0.1.5/32 tcp/3389 | MBR ingress (${MBR}, ${CLU}): no rule allows it`,
    ]);
    // One finding per rule and role: the ports no row needs, summarised.
    const cluster = (holder: string, direction: 'ingress' | 'egress', group: string, other: string) => {
      const toward = direction === 'ingress' ? 'from' : 'to';
      const ends = direction === 'ingress' ? `${other}>${holder}` : `${holder}>${other}`;
      const ports = gaps.map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(', ');
      return [`${group} ${direction} tcp 0-65535 ${toward} ${CLU} | ${ends} tcp 0-65535 | no row needs tcp ${ports} ${toward} ${CLU}`];
    };
    expect(report.extra.map(line)).toEqual([
      `${PRD} ingress tcp 22-23 from 10.10.0.0/16 | USERW>PRD tcp 23-23 | no row needs tcp 23 from 10.10.0.0/16`,
      `${PRD} ingress tcp 22-23 from ${BASTION} | ${BASTION}>PRD tcp 22-23 | no row needs tcp 22-23 from ${BASTION}`,
      `${PRD} ingress tcp 80 from 0.0.0.0/0 | 0.0.0.0/0>PRD tcp 80-80 | wider than the plan: tcp 80 from 0.0.0.0/0, where the plan needs only MBR, USERW`,
      `${PRD} ingress icmp from 10.0.0.0/8 | 10.0.0.0/8>PRD icmp - | no row needs icmp from 10.0.0.0/8`,
      ...cluster('PRD', 'ingress', CLU, 'PRD, MBR'),
      `${PRD} egress all traffic to 0.0.0.0/0 | PRD>0.0.0.0/0 all - | every protocol and port to 0.0.0.0/0, `
        + 'where the plan needs only tcp 22, 80, 443, 3306, 4248, 4444, 4567-4568, 9300, 59022; udp 53, 123, 4567',
      `${PRD} egress all traffic to ::/0 | PRD>::/0 all - | every protocol and port to ::/0, and the plan needs none of it`,
      ...cluster('MBR', 'ingress', CLU, 'PRD, MBR'),
      `${MBR} egress udp 53 to 2001:db8::53/128 | MBR>2001:db8::53/128 udp 53-53 | no row needs udp 53 to 2001:db8::53/128`,
      ...cluster('MBR', 'egress', MBR, 'PRD, MBR'),
    ]);
    expect(report.unresolved).toEqual([]);
  });

  test('prefix lists: without their entries, unresolved (and what they would allow is missing); both export shapes read alike', () => {
    const without = audit();
    expect(without.unresolved).toEqual([{
      rule: `${PRD} ingress tcp 3389 from pl-0aaa0000000000000`,
      reason: 'prefix list pl-0aaa0000000000000: its entries are not given (the prefix-list export)',
    }]);
    expect(without.missing.map(m => `${m.rowId}>${m.destination}`)).toEqual(['USR-RDP>PRD', 'USR-RDP>MBR']);
    expect(audit({ prefixLists: fixture('aws-describe-managed-prefix-lists.json') })).toEqual(audit({ prefixLists: fixture('aws-prefix-list-entries.json') }));
    expect(audit({ prefixLists: { 'pl-0fff0000000000000': { Entries: [] } } }).unresolved[0].reason)
      .toBe('prefix list pl-0aaa0000000000000 is not in the prefix lists given');
  });

  test('the bastion and its peered-VPC pair are outside the placement: not audited, only named', () => {
    expect(audit().extra.some(f => f.rule!.startsWith(BASTION))).toBe(false);
  });
});

describe('audit azure: nsg list and show as exported', () => {
  const ASG = '/subscriptions/00000000-0000-0000-0000-000000000000/resourcegroups/rg-segura/providers/microsoft.network/applicationsecuritygroups';
  const options = (nsgs: unknown, extra: object = {}) => ({
    config: fixture('azure-site.json'),
    networkSecurityGroups: nsgs,
    clusterNsg: 'segura-nsg',
    virtualNetworkPrefixes: ['10.0.0.0/16'],
    // IDs in another case than the export's (Azure's compare without case).
    applicationSecurityGroups: { primary: [`${ASG}/segura-prd-asg`, `${ASG}/segura-cluster-asg`], members: [`${ASG}/segura-mbr-asg`, `${ASG}/segura-cluster-asg`] },
    ...extra,
  });

  test('every finding, exactly: ASGs, tags, a bare address, plural ports, source port ranges, Deny rules, ICMP', () => {
    const report = FirewallAudit.azure(options(fixture('azure-nsg-list.json')));
    expect(report.missing.map(missingLine)).toEqual(['PRD', 'MBR'].map((role, i) =>
      `USR-RDP USERW 10.10.0.0/16>${role} 10.0.1.${4 + i}/32 tcp/3389 | ${role} ingress (NSG segura-nsg): denied by Deny-All-In`));
    const each = (f: (role: string) => string[]) => ['PRD', 'MBR'].flatMap(f);
    const needed = 'tcp 22, 80, 443, 3306, 4248, 4444, 4567-4568, 9300, 59022; udp 4567';
    expect(report.extra.map(line)).toEqual(each(role => [
      `Allow-Cluster | PRD, MBR>${role} all - | every protocol and port from segura-cluster-asg, where the plan needs only ${needed}`,
      `Allow-LB-Probe | AzureLoadBalancer>${role} tcp 8080-8080 | no row needs tcp 8080 from AzureLoadBalancer`,
      `Allow-Ping | VirtualNetwork>${role} icmp - | no row needs icmp from VirtualNetwork`,
      `Allow-Cluster-Out | ${role}>PRD, MBR all - | every protocol and port to segura-cluster-asg, where the plan needs only ${needed}`,
      `Allow-Mirrors | ${role}>Internet tcp 443-443 | wider than the plan: tcp 443 to Internet, where the plan needs only PACKAGE MIRROR`,
      `Allow-Storage | ${role}>Storage.BrazilSouth tcp 443-443 | no row needs tcp 443 to Storage.BrazilSouth`,
    ]));
    expect(report.unresolved).toEqual([{
      rule: 'Allow-DNS-Legacy',
      reason: 'in segura-nsg: source ports 53: the audit judges destination ports, with clients on ephemeral ports (1024-65535)',
    }]);
  });

  test('`az network nsg show` in the REST shape (rules under "properties") reads as the list does; by name or by ID', () => {
    const list = FirewallAudit.azure(options(fixture('azure-nsg-list.json')));
    expect(FirewallAudit.azure(options(fixture('azure-nsg-show-rest.json')))).toEqual(list);
    const id = fixture('azure-nsg-list.json')[0].id.toUpperCase();
    expect(FirewallAudit.azure(options(fixture('azure-nsg-list.json'), { clusterNsg: id }))).toEqual(list);
  });

  test('the default rules the audit assumes are the ones Microsoft documents (test/support/azure-defaults.ts), field by field', () => {
    const fields = Object.keys(AZURE_DEFAULT_RULES[0]);
    expect(AZURE_DEFAULT_RULES_DOCUMENTED.map(r => Object.fromEntries(fields.map(k => [k, (r as any)[k]])))).toEqual(AZURE_DEFAULT_RULES);
  });

  test('the default rules the audit assumes are the ones the hand-written exports list, field by field', () => {
    for (const nsg of fixture('azure-nsg-list.json')) {
      const listed = nsg.defaultSecurityRules.map((r: any) => Object.fromEntries(Object.keys(AZURE_DEFAULT_RULES[0]).map(k => [k, r[k]])));
      expect(listed).toEqual(AZURE_DEFAULT_RULES);
    }
  });

  test('without defaultSecurityRules in the export, Azure\'s defaults still apply', () => {
    const nsgs = fixture('azure-nsg-list.json');
    delete nsgs[0].defaultSecurityRules;
    nsgs[0].securityRules = nsgs[0].securityRules.filter((r: any) => !r.name.startsWith('Deny-All'));
    const rules = new Set(FirewallAudit.azure(options(nsgs)).extra.map(e => e.rule));
    // AllowAzureLoadBalancerInBound (65001) decides nothing: the host's virtual IP, 168.63.129.16, is in the
    // VirtualNetwork tag (Azure service tags overview), so AllowVnetInBound (65000) takes its probes first.
    expect(['AllowVnetInBound', 'AllowAzureLoadBalancerInBound', 'AllowVnetOutBound', 'AllowInternetOutBound'].filter(r => rules.has(r)))
      .toEqual(['AllowVnetInBound', 'AllowVnetOutBound', 'AllowInternetOutBound']);
  });
});

describe('audit: bad input is a SeguraValidationError naming the input and the field', () => {
  const awsInput = (over: object = {}) => ({
    config: fixture('aws-site.json'),
    securityGroups: fixture('aws-describe-security-groups.json'),
    groups: { primary: ['sg-0aaa0000000000000'], members: ['sg-0bbb0000000000000'] },
    ...over,
  });
  const azureInput = (over: object = {}) => ({
    config: fixture('azure-site.json'),
    networkSecurityGroups: fixture('azure-nsg-list.json'),
    clusterNsg: 'segura-nsg',
    virtualNetworkPrefixes: ['10.0.0.0/16'],
    ...over,
  });
  const sgs = (mutate: (s: any) => void) => { const s = fixture('aws-describe-security-groups.json'); mutate(s); return s; };
  const nsgs = (mutate: (n: any) => void) => { const n = fixture('azure-nsg-list.json'); mutate(n); return n; };

  test.each([
    ['AWS: an empty export', () => FirewallAudit.aws(awsInput({ securityGroups: [] })), 'securityGroups: holds no security group: export the region and account of the instances'],
    ['AWS: not an export', () => FirewallAudit.aws(awsInput({ securityGroups: { Groups: [] } })),
      'securityGroups.SecurityGroups: expected the output of `aws ec2 describe-security-groups --output json` (an object with a "SecurityGroups" list), or that list itself'],
    ['AWS: another command\'s output', () => FirewallAudit.aws(awsInput({ securityGroups: { Reservations: [] } })),
      'securityGroups: this is the output of `aws ec2 describe-instances`: export the groups with `aws ec2 describe-security-groups --output json`'],
    ['AWS: a port as a string', () => FirewallAudit.aws(awsInput({ securityGroups: sgs(s => { s.SecurityGroups[0].IpPermissions[0].FromPort = '443'; }) })),
      'securityGroups.SecurityGroups[0].IpPermissions[0].FromPort: expected an integer within 0-65535, got "443"'],
    ['AWS: a range upside down', () => FirewallAudit.aws(awsInput({ securityGroups: sgs(s => { s.SecurityGroups[0].IpPermissions[1].ToPort = 21; }) })),
      'securityGroups.SecurityGroups[0].IpPermissions[1].ToPort: expected an integer within 22-65535, got 21'],
    ['AWS: an unknown protocol', () => FirewallAudit.aws(awsInput({ securityGroups: sgs(s => { s.SecurityGroups[0].IpPermissions[0].IpProtocol = 'tcp/udp'; }) })),
      'securityGroups.SecurityGroups[0].IpPermissions[0].IpProtocol: "tcp/udp" is not an IP protocol (expected tcp, udp, icmp, icmpv6, -1 or a protocol number)'],
    ['AWS: a malformed CIDR', () => FirewallAudit.aws(awsInput({ securityGroups: sgs(s => { s.SecurityGroups[0].IpPermissions[0].IpRanges[0].CidrIp = '10.10.0/16'; }) })),
      'securityGroups.SecurityGroups[0].IpPermissions[0].IpRanges[0].CidrIp: "10.10.0/16" is not an IPv4 or IPv6 address or prefix'],
    ['AWS: a group without its ID', () => FirewallAudit.aws(awsInput({ securityGroups: sgs(s => { delete s.SecurityGroups[2].GroupId; }) })),
      'securityGroups.SecurityGroups[2].GroupId: expected a string, got undefined'],
    ['AWS: a group ID the export does not hold', () => FirewallAudit.aws(awsInput({ groups: { primary: ['sg-0aaa0000000000001'], members: ['sg-0bbb0000000000000'] } })),
      'groups.primary[0]: "sg-0aaa0000000000001" is not a security group of the export (4 groups). Did you mean "sg-0aaa0000000000000"?'],
    ['AWS: members in the config, no groups for them', () => FirewallAudit.aws(awsInput({ groups: { primary: ['sg-0aaa0000000000000'] } })),
      'groups.members: is required: the config has members (10.0.1.5/32)'],
    ['AWS: groups for a Domum Gateway the config does not place', () => FirewallAudit.aws(awsInput({ groups: { primary: ['sg-0aaa0000000000000'], members: ['sg-0bbb0000000000000'], domum: ['sg-0ddd0000000000000'] } })),
      'groups.domum: given, but the config has no domum: add their addresses to the config as "domum"'],
    ['AWS: an unknown role', () => FirewallAudit.aws(awsInput({ groups: { primary: ['sg-0aaa0000000000000'], member: ['sg-0bbb0000000000000'] } })),
      'groups.member: unknown role. Did you mean "members"? Known: primary, members, domum, arbitrator, loadBalancers'],
    ['AWS: an empty group list', () => FirewallAudit.aws(awsInput({ groups: { primary: [], members: ['sg-0bbb0000000000000'] } })),
      'groups.primary: is empty: give the IDs of the groups the instances wear'],
    ['config: no Primary', () => FirewallAudit.aws(awsInput({ config: { members: ['10.0.1.5/32'] } })),
      'config.primary: the audit needs the Primary\'s address, to place it'],
    ['config: an instance given as a network', () => FirewallAudit.aws(awsInput({ config: { primary: ['10.0.1.0/24'], members: ['10.0.2.5/32'] } })),
      'config.primary[0]: "10.0.1.0/24" is a network; the audit places each instance by its own address (a /32)'],
    ['config: read as the CLI reads it', () => FirewallAudit.aws(awsInput({ config: { primary: ['10.0.1.4/32'], user: [] } })),
      `config.user: unknown property. Did you mean "users"? Known: ${configFileKeys('audit').join(', ')}`],
    ['config: an option the audit would ignore', () => FirewallAudit.aws(awsInput({ config: { primary: ['10.0.1.4/32'], allowAnyAddress: ['users'] } })),
      'config.allowAnyAddress: the audit would ignore it: it is an option of the constructs and of the matrix and diagram commands; leave it out'],
    ['AWS: prefix lists in neither shape', () => FirewallAudit.aws(awsInput({ prefixLists: { Entries: [] } })),
      'prefixLists.Entries: expected prefix-list IDs (pl-...) as keys, each with the output of `aws ec2 get-managed-prefix-list-entries`, '
      + 'or the output of `aws ec2 describe-managed-prefix-lists` with "Entries" added to each list'],
    ['AWS: describe-managed-prefix-lists without the entries', () => FirewallAudit.aws(awsInput({ prefixLists: { PrefixLists: [{ PrefixListId: 'pl-1' }] } })),
      'prefixLists.PrefixLists[0].Entries: the entries of pl-1 are missing: add the output of `aws ec2 get-managed-prefix-list-entries --prefix-list-id pl-1` as "Entries"'],
    ['Azure: not an export', () => FirewallAudit.azure(azureInput({ networkSecurityGroups: 'segura-nsg' })),
      'networkSecurityGroups: expected the output of `az network nsg list -o json` (a list) or `az network nsg show -o json` (one NSG), got "segura-nsg"'],
    ['Azure: a priority out of range', () => FirewallAudit.azure(azureInput({ networkSecurityGroups: nsgs(n => { n[0].securityRules[0].priority = 99; }) })),
      'networkSecurityGroups[0].securityRules[0].priority: expected an integer within 100-4096 (Azure\'s range for an NSG\'s own rules), got 99'],
    ['Azure: a direction misspelled', () => FirewallAudit.azure(azureInput({ networkSecurityGroups: nsgs(n => { n[0].securityRules[1].direction = 'Ingress'; }) })),
      'networkSecurityGroups[0].securityRules[1].direction: "Ingress" is not Inbound or Outbound'],
    ['Azure: no destination port', () => FirewallAudit.azure(azureInput({ networkSecurityGroups: nsgs(n => { n[0].securityRules[0].destinationPortRanges = []; }) })),
      'networkSecurityGroups[0].securityRules[0]: names no destination port (destinationPortRange or destinationPortRanges)'],
    ['Azure: a port range upside down', () => FirewallAudit.azure(azureInput({ networkSecurityGroups: nsgs(n => { n[0].securityRules[3].destinationPortRange = '200-100'; }) })),
      'networkSecurityGroups[0].securityRules[3].destinationPortRange: "200-100" is not a port range (expected *, 443 or 1024-65535)'],
    ['Azure: a malformed prefix', () => FirewallAudit.azure(azureInput({ networkSecurityGroups: nsgs(n => { n[0].securityRules[0].sourceAddressPrefixes = ['10.10.0.0/16', '10.300.0.0/16']; }) })),
      'networkSecurityGroups[0].securityRules[0].sourceAddressPrefixes[1]: "10.300.0.0/16" is not an IPv4 or IPv6 address or prefix'],
    ['Azure: an unknown protocol', () => FirewallAudit.azure(azureInput({ networkSecurityGroups: nsgs(n => { n[0].securityRules[0].protocol = 'Gre'; }) })),
      'networkSecurityGroups[0].securityRules[0].protocol: "Gre" is not an NSG protocol (expected Tcp, Udp, Icmp, Esp, Ah or *)'],
    ['Azure: an NSG the export does not hold', () => FirewallAudit.azure(azureInput({ clusterNsg: 'segura-nsq' })),
      'clusterNsg: "segura-nsq" is not an NSG of the export (2 NSGs). Did you mean "segura-nsg"?'],
    ['Azure: two NSGs of that name', () => FirewallAudit.azure(azureInput({ networkSecurityGroups: nsgs(n => { n[1].name = 'segura-nsg'; }) })),
      'clusterNsg: 2 NSGs of the export are named "segura-nsg": give the ID (/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-segura/providers/'
      + 'Microsoft.Network/networkSecurityGroups/segura-nsg, /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-web/providers/Microsoft.Network/'
      + 'networkSecurityGroups/web-nsg)'],
    ['Azure: no VNet address space', () => FirewallAudit.azure(azureInput({ virtualNetworkPrefixes: [] })),
      'virtualNetworkPrefixes: is empty: give the address spaces the VirtualNetwork tag stands for (your VNet\'s, peered VNets\', on-premises ones)'],
    ['Azure: a bad VNet prefix', () => FirewallAudit.azure(azureInput({ virtualNetworkPrefixes: ['10.0.0.1/16'] })),
      'virtualNetworkPrefixes[0]: "10.0.0.1/16" has host bits set. Did you mean "10.0.0.0/16" (or "10.0.0.1/32")?'],
    ['Azure: a gateway NSG for a gateway the config does not place', () => FirewallAudit.azure(azureInput({ gatewayNsgs: { domum: 'web-nsg' } })),
      'gatewayNsgs.domum: given, but the config has no domum: add their addresses to the config as "domum"'],
    ['Azure: an NSG for a node as a gateway', () => FirewallAudit.azure(azureInput({ gatewayNsgs: { members: 'web-nsg' } })),
      'gatewayNsgs.members: unknown role. Known: domum, arbitrator'],
  ] as Array<[string, () => unknown, string]>)('%s', (_what, run, message) => {
    let error: unknown;
    try { run(); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(SeguraValidationError);
    expect((error as Error).message).toBe(message);
  });
});
