/**
 * The clouds' documented semantics, case by case (issue 16's minimal cases), each with
 * the exact findings decided from the documents:
 * - Azure, "Network security groups overview": the five-tuple matched field by field;
 *   Any encompasses TCP, UDP and ICMP; the six default rules after the NSG's own, not
 *   removable; no two rules of one direction and priority.
 * - Azure, "How network security groups filter network traffic": inbound the subnet's
 *   NSG then the NIC's, outbound the NIC's then the subnet's, both must allow.
 * - Azure, "Azure service tags overview": VirtualNetwork, Internet, AzureLoadBalancer
 *   (and their classic spellings); names compare without case.
 * - AWS, VPC User Guide "Security group rules" and EC2 API "IpPermission": allow rules
 *   only, aggregated over the groups an instance wears; `-1` is every port.
 */
import { AuditReport, FirewallAudit } from '../../lib/audit';
import { SeguraValidationError } from '../../lib/errors';

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network';
const asgId = (name: string) => `${SUB}/applicationSecurityGroups/${name}`;

interface RuleSpec {
  name: string;
  priority: number;
  direction: 'Inbound' | 'Outbound' | string;
  access: 'Allow' | 'Deny' | string;
  protocol: string;
  source?: string | string[];
  destination?: string | string[];
  ports?: string | string[];
  sourceAsgs?: string[];
  destinationAsgs?: string[];
}

/** One rule as `az network nsg show` prints it. */
const rule = (r: RuleSpec) => ({
  name: r.name,
  priority: r.priority,
  direction: r.direction,
  access: r.access,
  protocol: r.protocol,
  sourcePortRange: '*',
  ...(Array.isArray(r.ports) ? { destinationPortRanges: r.ports } : { destinationPortRange: r.ports ?? '*' }),
  ...(Array.isArray(r.source) ? { sourceAddressPrefixes: r.source } : r.source !== undefined ? { sourceAddressPrefix: r.source } : {}),
  ...(Array.isArray(r.destination) ? { destinationAddressPrefixes: r.destination }
    : r.destination !== undefined ? { destinationAddressPrefix: r.destination } : {}),
  ...(r.sourceAsgs ? { sourceApplicationSecurityGroups: r.sourceAsgs.map(a => ({ id: asgId(a) })) } : {}),
  ...(r.destinationAsgs ? { destinationApplicationSecurityGroups: r.destinationAsgs.map(a => ({ id: asgId(a) })) } : {}),
});

/** An NSG as `az network nsg show` prints it, without its default rules (the audit adds Azure's six). */
const nsg = (name: string, rules: RuleSpec[], extra: object = {}) => ({ name, id: `${SUB}/networkSecurityGroups/${name}`, securityRules: rules.map(rule), ...extra });

const line = (f: { rule?: string; source: string; destination: string; protocol: string; fromPort: number; toPort: number; reason: string }) =>
  `${f.rule} | ${f.source}>${f.destination} ${f.protocol} ${f.fromPort < 0 ? '-' : `${f.fromPort}-${f.toPort}`} | ${f.reason}`;
const missingLine = (f: { rowId?: string; source: string; destination: string; protocol: string; fromPort: number; reason: string }) =>
  `${f.rowId} ${f.source}>${f.destination} ${f.protocol}/${f.fromPort} | ${f.reason}`;

const PRD = '10.0.1.4/32';
const error = (run: () => unknown): string => {
  try { run(); } catch (e) { if (e instanceof SeguraValidationError) return e.message; throw e; }
  throw new Error('no error');
};

describe('Azure: protocol * on given ports is every protocol on those ports, no more', () => {
  test('an Allow of * on port 80: users reach port 80 only; 443, 22 and 3389 fall to DenyAllInBound', () => {
    const report = FirewallAudit.azure({
      config: { primary: [PRD], users: ['10.10.0.0/16'] },
      networkSecurityGroups: [nsg('web', [{ name: 'allow-80', priority: 100, direction: 'Inbound', access: 'Allow', protocol: '*', source: '*', destination: '*', ports: '80' }])],
      clusterNsg: 'web',
      virtualNetworkPrefixes: ['10.0.0.0/16'],
    });
    expect(report.missing.map(missingLine)).toEqual(['USR-HTTPS', 'USR-SSH', 'USR-RDP'].map((row, i) =>
      `${row} USERW>PRD tcp/${[443, 22, 3389][i]} | PRD ingress (NSG web): denied by DenyAllInBound`));
    expect(report.extra.map(line)).toEqual([
      // tcp and udp on 80, from anywhere: the plan needs tcp 80 from the users only, and no udp.
      'allow-80 | *>PRD all 80-80 | no row needs udp 80 from *; wider than the plan: tcp 80 from *, where the plan needs only USERW',
      'AllowVnetInBound | VirtualNetwork>PRD all - | Azure\'s default rule AllowVnetInBound is in force: every protocol and port from VirtualNetwork, and the plan needs none of it',
      'AllowVnetOutBound | PRD>VirtualNetwork all - | Azure\'s default rule AllowVnetOutBound is in force: every protocol and port to VirtualNetwork, and the plan needs none of it',
      'AllowInternetOutBound | PRD>Internet all - | Azure\'s default rule AllowInternetOutBound is in force: every protocol and port to Internet, and the plan needs none of it',
    ]);
    expect(report.unresolved).toEqual([]);
  });

  test('a Deny of Any on port 8080 to Internet leaves the mirror\'s 443 to AllowInternetOutBound', () => {
    const report = FirewallAudit.azure({
      config: { primary: [PRD], packageMirrors: ['203.0.113.10/32'] },
      networkSecurityGroups: [nsg('web', [{ name: 'deny-8080', priority: 100, direction: 'Outbound', access: 'Deny', protocol: 'Any', source: '*', destination: 'Internet', ports: '8080' }])],
      clusterNsg: 'web',
      virtualNetworkPrefixes: ['10.0.0.0/16'],
    });
    expect(report.missing).toEqual([]);
    expect(report.extra.map(e => `${e.rule} | ${e.reason}`)).toEqual([
      'AllowVnetInBound | Azure\'s default rule AllowVnetInBound is in force: every protocol and port from VirtualNetwork, and the plan needs none of it',
      'AllowVnetOutBound | Azure\'s default rule AllowVnetOutBound is in force: every protocol and port to VirtualNetwork, and the plan needs none of it',
      'AllowInternetOutBound | Azure\'s default rule AllowInternetOutBound is in force: every protocol and port to Internet, where the plan needs only tcp 443',
    ]);
  });

  test('a rule of * on every port (0-65535) covers ICMP too; on a port range, only TCP and UDP', () => {
    const audit = (ports: string) => FirewallAudit.azure({
      config: { primary: [PRD], users: ['10.10.0.0/16'] },
      networkSecurityGroups: [nsg('n', [{ name: 'r', priority: 100, direction: 'Inbound', access: 'Allow', protocol: '*', source: '10.10.0.0/16', destination: '*', ports }])],
      clusterNsg: 'n',
      virtualNetworkPrefixes: ['10.0.0.0/16'],
    }).extra.filter(e => e.rule === 'r').map(line);
    expect(audit('0-65535')).toEqual(['r | USERW>PRD all - | every protocol and port from 10.10.0.0/16, where the plan needs only tcp 22, 80, 443, 3389']);
    expect(audit('1-1000')).toEqual(['r | USERW>PRD all 1-1000 | no row needs tcp 1-21, 23-79, 81-442, 444-1000; udp 1-1000 from 10.10.0.0/16']);
  });
});

describe('Azure: service tags, names and IDs compare without case', () => {
  test('an outbound Deny to "internet" above the Allow stops the mirror flow', () => {
    const report = FirewallAudit.azure({
      config: { primary: [PRD], packageMirrors: ['203.0.113.10/32'] },
      networkSecurityGroups: [nsg('web', [
        { name: 'deny-internet', priority: 100, direction: 'Outbound', access: 'Deny', protocol: '*', source: '*', destination: 'internet' },
        { name: 'allow-mirror', priority: 200, direction: 'Outbound', access: 'Allow', protocol: 'Tcp', source: '*', destination: '203.0.113.10', ports: '443' },
      ])],
      clusterNsg: 'web',
      virtualNetworkPrefixes: ['10.0.0.0/16'],
    });
    expect(report.missing.map(missingLine)).toEqual(['UPD-MIRROR PRD>PACKAGE MIRROR tcp/443 | PRD egress (NSG web): denied by deny-internet']);
    expect(report.extra.map(e => e.rule)).toEqual(['AllowVnetInBound', 'AllowVnetOutBound']);
  });

  test('an inbound Allow from "INTERNET" on 3389 is the Internet tag: users outside the VNet reach RDP', () => {
    const report = FirewallAudit.azure({
      config: { primary: [PRD], users: ['198.51.100.0/24'] },
      networkSecurityGroups: [nsg('web', [{ name: 'rdp', priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'TCP', source: 'INTERNET', destination: '*', ports: '3389' }])],
      clusterNsg: 'WEB',
      virtualNetworkPrefixes: ['10.0.0.0/16'],
    });
    expect(report.missing.map(m => m.rowId)).toEqual(['USR-HTTPS', 'USR-HTTP', 'USR-SSH']);
    expect(report.extra.filter(e => e.rule === 'rdp').map(line)).toEqual(['rdp | INTERNET>PRD tcp 3389-3389 | wider than the plan: tcp 3389 from INTERNET, where the plan needs only USERW']);
    expect(report.unresolved).toEqual([]);
  });

  test('every letter case of tags, enums, NSG names and ASG IDs gives the same report (classic spellings too)', () => {
    const rules = (shout: (s: string) => string): RuleSpec[] => [
      { name: 'users', priority: 100, direction: shout('Inbound'), access: shout('Allow'), protocol: shout('Tcp'), source: '10.10.0.0/16', destinationAsgs: ['prd-asg'], ports: ['443', '22'] },
      { name: 'lb', priority: 110, direction: shout('Inbound'), access: shout('Allow'), protocol: shout('Tcp'), source: shout('AzureLoadBalancer'), destination: '*', ports: '8080' },
      { name: 'vnet-deny', priority: 120, direction: shout('Inbound'), access: shout('Deny'), protocol: shout('*'), source: shout('VirtualNetwork'), destination: '*' },
      { name: 'storage', priority: 100, direction: shout('Outbound'), access: shout('Allow'), protocol: shout('Tcp'), source: '*', destination: shout('Storage.WestEurope'), ports: '443' },
      { name: 'deny-out', priority: 200, direction: shout('Outbound'), access: shout('Deny'), protocol: shout('Any'), source: '*', destination: shout('Internet') },
    ];
    type Shout = (s: string) => string;
    const audit = (shout: Shout, asgCase: Shout, tags: Record<string, string> = {}): AuditReport => FirewallAudit.azure({
      config: { primary: [PRD], users: ['10.10.0.0/16'], packageMirrors: ['203.0.113.10/32'] },
      networkSecurityGroups: [nsg('Web-NSG', rules(s => tags[s] ?? shout(s)))],
      clusterNsg: shout('Web-NSG'),
      applicationSecurityGroups: { primary: [asgCase(asgId('prd-asg'))] },
      virtualNetworkPrefixes: ['10.0.0.0/16'],
    });
    const canonical = audit(s => s, s => s);
    const lower = JSON.stringify(canonical).toLowerCase();
    expect(JSON.stringify(audit(s => s.toLowerCase(), s => s.toUpperCase())).toLowerCase()).toBe(lower);
    expect(JSON.stringify(audit(s => s.toUpperCase(), s => s.toLowerCase())).toLowerCase()).toBe(lower);
    // The classic deployment model's spellings of the three tags (service tags overview).
    const classic = audit(s => s, s => s, { VirtualNetwork: 'VIRTUAL_NETWORK', AzureLoadBalancer: 'AZURE_LOADBALANCER', Internet: 'INTERNET' });
    expect(JSON.stringify(classic).toLowerCase().replace(/virtual_network/g, 'virtualnetwork').replace(/azure_loadbalancer/g, 'azureloadbalancer')).toBe(lower);
    // The findings themselves, decided from the rules.
    expect(canonical.missing.map(missingLine)).toEqual([
      'USR-HTTP USERW>PRD tcp/80 | PRD ingress (NSG Web-NSG): denied by DenyAllInBound',
      'USR-RDP USERW>PRD tcp/3389 | PRD ingress (NSG Web-NSG): denied by DenyAllInBound',
      'UPD-MIRROR PRD>PACKAGE MIRROR tcp/443 | PRD egress (NSG Web-NSG): denied by deny-out',
    ]);
    expect(canonical.extra.map(line)).toEqual([
      'lb | AzureLoadBalancer>PRD tcp 8080-8080 | no row needs tcp 8080 from AzureLoadBalancer',
      'storage | PRD>Storage.WestEurope tcp 443-443 | no row needs tcp 443 to Storage.WestEurope',
      'AllowVnetOutBound | PRD>VirtualNetwork all - | Azure\'s default rule AllowVnetOutBound is in force: every protocol and port to VirtualNetwork, and the plan needs none of it',
    ]);
  });
});

describe('Azure: the six default rules always apply after the NSG\'s own', () => {
  const options = (defaults: unknown) => ({
    config: { primary: [PRD], members: ['10.0.1.5/32'] },
    networkSecurityGroups: [nsg('c', [], defaults === undefined ? {} : { defaultSecurityRules: defaults })],
    clusterNsg: 'c',
    virtualNetworkPrefixes: ['10.0.0.0/16'],
  });
  const az = (name: string, direction: string, access: string, source: string, destination: string, priority: number) =>
    ({ name, priority, direction, access, protocol: '*', sourcePortRange: '*', destinationPortRange: '*', sourceAddressPrefix: source, destinationAddressPrefix: destination });
  const INBOUND = [
    az('AllowVnetInBound', 'Inbound', 'Allow', 'VirtualNetwork', 'VirtualNetwork', 65000),
    az('AllowAzureLoadBalancerInBound', 'Inbound', 'Allow', 'AzureLoadBalancer', '*', 65001),
    az('DenyAllInBound', 'Inbound', 'Deny', '*', '*', 65500),
  ];

  test('an export that lists none, an empty list, or only the inbound three: the same report, the VNet rules in force', () => {
    const none = FirewallAudit.azure(options(undefined));
    // Inside the VNet, AllowVnetInBound and AllowVnetOutBound let the cluster's flows through.
    expect(none.missing).toEqual([]);
    expect(FirewallAudit.azure(options([]))).toEqual(none);
    expect(FirewallAudit.azure(options(INBOUND))).toEqual(none);
    expect(none.extra.map(e => `${e.rule} ${e.source}>${e.destination}`)).toEqual([
      'AllowVnetInBound VirtualNetwork>PRD', 'AllowVnetOutBound PRD>VirtualNetwork', 'AllowInternetOutBound PRD>Internet',
      'AllowVnetInBound VirtualNetwork>MBR', 'AllowVnetOutBound MBR>VirtualNetwork', 'AllowInternetOutBound MBR>Internet',
    ]);
    expect(none.extra[0].reason).toBe('Azure\'s default rule AllowVnetInBound is in force: every protocol and port from VirtualNetwork, '
      + 'where the plan needs only tcp 22, 80, 443, 3306, 4248, 4444, 4567-4568, 9300, 59022; udp 4567');
  });

  test('an export that contradicts them is an error naming the rule and the field', () => {
    expect(error(() => FirewallAudit.azure(options([{ ...INBOUND[2], access: 'Allow' }])))).toBe('networkSecurityGroups[0].defaultSecurityRules[0]: '
      + 'contradicts Azure\'s default rule DenyAllInBound (access Allow, where Azure\'s is Deny): Azure applies its six default rules, unchanged, '
      + 'after every NSG\'s own; is this export edited?');
    expect(error(() => FirewallAudit.azure(options([az('AllowAllInBound', 'Inbound', 'Allow', '*', '*', 65000)])))).toBe(
      'networkSecurityGroups[0].defaultSecurityRules[0].name: "AllowAllInBound" is not one of Azure\'s six default rules (AllowVnetInBound, '
      + 'AllowAzureLoadBalancerInBound, DenyAllInBound, AllowVnetOutBound, AllowInternetOutBound, DenyAllOutBound)');
  });
});

describe('Azure: rules Azure refuses are errors', () => {
  test('two rules of one direction at one priority: an error naming both', () => {
    expect(error(() => FirewallAudit.azure({
      config: { primary: [PRD] },
      networkSecurityGroups: [nsg('c', [
        { name: 'a', priority: 300, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source: '*', destination: '*', ports: '443' },
        { name: 'b', priority: 300, direction: 'Outbound', access: 'Allow', protocol: 'Tcp', source: '*', destination: '*', ports: '443' },
        { name: 'c', priority: 300, direction: 'inbound', access: 'Deny', protocol: 'Tcp', source: '*', destination: '*', ports: '443' },
      ])],
      clusterNsg: 'c',
      virtualNetworkPrefixes: ['10.0.0.0/16'],
    }))).toBe('networkSecurityGroups[0].securityRules[2]: "c" and "a" (networkSecurityGroups[0].securityRules[0]) are both Inbound at priority 300: '
      + 'Azure refuses two rules of one direction at one priority, so this export cannot be what Azure applies');
  });

  test('an NSG ID repeated in a merged export: an error naming it', () => {
    const one = nsg('c', []);
    expect(error(() => FirewallAudit.azure({
      config: { primary: [PRD] }, networkSecurityGroups: [one, nsg('d', []), { ...one, id: one.id.toUpperCase() }], clusterNsg: 'd', virtualNetworkPrefixes: ['10.0.0.0/16'],
    }))).toBe(`networkSecurityGroups[2].id: "${one.id.toUpperCase()}" is also networkSecurityGroups[0]: a merged export repeats it; keep one copy of each NSG`);
  });
});

describe('Azure: every argument checked', () => {
  const base = {
    config: { primary: [PRD], members: ['10.0.1.5/32'], users: ['10.10.0.0/16'] },
    networkSecurityGroups: [nsg('c', [
      { name: 'users', priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source: '10.10.0.0/16', destinationAsgs: ['segura-prd-asg', 'segura-mbr-asg'], ports: ['443', '80', '22', '3389'] },
      { name: 'deny-web', priority: 200, direction: 'Inbound', access: 'Deny', protocol: 'Tcp', sourceAsgs: ['web-asg'], destination: '*', ports: '22' },
    ])],
    clusterNsg: 'c',
    virtualNetworkPrefixes: ['10.0.0.0/16'],
  };

  test.each([
    ['an empty NSG', { clusterNsg: ' ' }, 'clusterNsg: is empty: give the name or resource ID of an NSG'],
    ['an empty ASG', { applicationSecurityGroups: { primary: [''] } }, 'applicationSecurityGroups.primary[0]: is empty: give ASG resource IDs'],
    ['an ASG name for its ID', { applicationSecurityGroups: { primary: ['Segura-PRD-ASG'] } },
      `applicationSecurityGroups.primary[0]: "Segura-PRD-ASG" is an ASG's name: give its resource ID, "${asgId('segura-prd-asg')}" `
      + '(az network asg show -g RESOURCE_GROUP -n Segura-PRD-ASG --query id -o tsv)'],
    ['an unknown ASG ID', { applicationSecurityGroups: { primary: [asgId('segura-prd-asq')] } },
      `applicationSecurityGroups.primary[0]: "${asgId('segura-prd-asq')}" is not an ASG that a rule of the export names (3 ASGs). Did you mean "${asgId('segura-prd-asg')}"?`],
    ['a VNet without the instances', { virtualNetworkPrefixes: ['10.1.0.0/16'] },
      'virtualNetworkPrefixes: does not contain primary[0] 10.0.1.4/32 of the config: the VirtualNetwork tag holds the instances\' own VNet; '
      + 'give its address spaces (az network vnet show -g RESOURCE_GROUP -n VNET --query addressSpace.addressPrefixes), and those of peered and on-premises networks'],
    ['NIC NSGs not one per instance', { config: { ...base.config, members: ['10.0.1.5/32', '10.0.1.6/32', '10.0.1.7/32'] }, nicNsgs: { members: ['c', 'c'] } },
      'nicNsgs.members: 2 NSGs for the 3 instances of members: give one NSG for every instance, or one per instance in the config\'s order'],
    ['no NSG for the nodes', { clusterNsg: undefined },
      'clusterNsg: is required: the NSG on the subnet of the Primary (or give the NSGs on their NICs with nicNsgs.primary)'],
  ] as Array<[string, object, string]>)('%s', (_what, over, message) => {
    expect(error(() => FirewallAudit.azure({ ...base, ...over } as any))).toBe(message);
  });

  test('a Deny naming an ASG no role is in is unresolved, not ignored; an Allow for an unplaced ASG is named where a flow is missing', () => {
    const report = FirewallAudit.azure(base as any);
    expect(report.unresolved).toEqual([{
      rule: 'deny-web',
      reason: 'in c: a Deny naming ASG web-asg, which no role is placed in: the audit cannot tell whose traffic it stops; '
        + 'if the Primary\'s or the members\' NICs are in it, give applicationSecurityGroups.primary or applicationSecurityGroups.members',
    }]);
    expect(report.missing.filter(m => m.rowId === 'USR-HTTPS' && m.destination === 'PRD').map(m => m.reason)).toEqual([
      'PRD ingress (NSG c): denied by DenyAllInBound; might be allowed by users (it applies to ASG segura-prd-asg, ASG segura-mbr-asg, which no role is placed in; '
      + 'if the Primary\'s or the members\' NICs are in it, give applicationSecurityGroups.primary or applicationSecurityGroups.members)',
    ]);
    const placed = FirewallAudit.azure({ ...base, applicationSecurityGroups: { primary: [asgId('segura-prd-asg')], members: [asgId('segura-mbr-asg')] } } as any);
    expect(placed.missing.filter(m => m.source === 'USERW')).toEqual([]);
  });
});

describe('Azure: the subnet\'s NSG and the NIC\'s, in Azure\'s order, both must allow', () => {
  // The subnet lets the users in on 443 and 22; the NIC's NSG (as `az vm create` makes it) only on 22, from anywhere.
  const subnet = nsg('subnet-nsg', [
    { name: 'users', priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source: '10.10.0.0/16', destination: '*', ports: ['443', '22'] },
    { name: 'deny-out', priority: 4000, direction: 'Outbound', access: 'Deny', protocol: '*', source: '*', destination: '*' },
  ]);
  const nic = nsg('vm1NSG', [
    { name: 'default-allow-ssh', priority: 1000, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source: '*', destination: '*', ports: '22' },
    { name: 'deny-ntp', priority: 100, direction: 'Outbound', access: 'Deny', protocol: 'Udp', source: '*', destination: '*', ports: '123' },
  ]);
  const audit = () => FirewallAudit.azure({
    config: { primary: [PRD], users: ['10.10.0.0/16'], management: { ntp: ['10.30.0.1/32'] } },
    networkSecurityGroups: [subnet, nic],
    clusterNsg: 'subnet-nsg',
    nicNsgs: { primary: ['vm1NSG'] },
    virtualNetworkPrefixes: ['10.0.0.0/16'],
  });

  test('missing: each filter that blocks is named, inbound subnet then NIC, outbound NIC then subnet', () => {
    expect(audit().missing.map(missingLine)).toEqual([
      'MGT-NTP PRD>NTP SERVER udp/123 | PRD egress (NSG vm1NSG on the NIC): denied by deny-ntp; PRD egress (NSG subnet-nsg on the subnet): denied by deny-out',
      'USR-HTTPS USERW>PRD tcp/443 | PRD ingress (NSG vm1NSG on the NIC): denied by DenyAllInBound',
      'USR-HTTP USERW>PRD tcp/80 | PRD ingress (NSG subnet-nsg on the subnet): denied by DenyAllInBound; PRD ingress (NSG vm1NSG on the NIC): denied by DenyAllInBound',
      'USR-RDP USERW>PRD tcp/3389 | PRD ingress (NSG subnet-nsg on the subnet): denied by DenyAllInBound; PRD ingress (NSG vm1NSG on the NIC): denied by DenyAllInBound',
    ]);
  });

  test('extra: only what both let through; the NIC\'s SSH from anywhere is bounded by the subnet\'s users rule', () => {
    expect(audit().extra.map(line)).toEqual([
      // From outside the VNet only ssh from the users passes both, and the plan needs it. Inside the VNet, the subnet's
      // AllowVnetInBound passes everything, and the NIC passes ssh by its own rule and the rest by its AllowVnetInBound.
      // Outbound, the subnet denies everything: nothing leaves, nothing is extra.
      'subnet-nsg/AllowVnetInBound | VirtualNetwork>PRD all - | Azure\'s default rule AllowVnetInBound is in force: every protocol and port from VirtualNetwork, and the plan needs none of it',
      'vm1NSG/default-allow-ssh | *>PRD tcp 22-22 | wider than the plan: tcp 22 from *, where the plan needs only USERW',
      'vm1NSG/AllowVnetInBound | VirtualNetwork>PRD all - | Azure\'s default rule AllowVnetInBound is in force: every protocol and port from VirtualNetwork, and the plan needs none of it',
    ]);
  });
});

describe('AWS: exports as people have them', () => {
  const group = (id: string, ingress: any[], egress: any[] = []) =>
    ({ GroupId: id, GroupName: id, IpPermissions: ingress, IpPermissionsEgress: egress });
  const tcp = (port: number, peer: object) => ({ IpProtocol: 'tcp', FromPort: port, ToPort: port, IpRanges: [], UserIdGroupPairs: [], ...peer });
  const GROUPS = [
    group('sg-prd', [tcp(443, { IpRanges: [{ CidrIp: '10.10.0.0/16' }] }), tcp(443, { UserIdGroupPairs: [{ GroupId: 'sg-dom' }] }), tcp(51445, { UserIdGroupPairs: [{ GroupId: 'sg-dom' }] })],
      [tcp(443, { UserIdGroupPairs: [{ GroupId: 'sg-dom' }] }), tcp(51445, { UserIdGroupPairs: [{ GroupId: 'sg-dom' }] })]),
    group('sg-dom', [tcp(443, { UserIdGroupPairs: [{ GroupId: 'sg-prd' }] }), tcp(51445, { UserIdGroupPairs: [{ GroupId: 'sg-prd' }] })],
      [tcp(443, { UserIdGroupPairs: [{ GroupId: 'sg-prd' }] }), tcp(51445, { UserIdGroupPairs: [{ GroupId: 'sg-prd' }] })]),
  ];
  const config = { primary: [PRD], domum: ['10.0.2.4/32'], users: ['10.10.0.0/16'] };

  test('the bare list (--query SecurityGroups, boto3) reads as the wrapped export; with --domum the site is clean except USR rows', () => {
    const wrapped = FirewallAudit.aws({ config, securityGroups: { SecurityGroups: GROUPS, ResponseMetadata: {} }, groups: { primary: ['sg-prd'], domum: ['sg-dom'] } });
    expect(FirewallAudit.aws({ config, securityGroups: GROUPS, groups: { primary: ['sg-prd'], domum: ['sg-dom'] } })).toEqual(wrapped);
    expect(wrapped.missing.map(m => m.rowId)).toEqual(['USR-HTTP', 'USR-SSH', 'USR-RDP']);
    expect(wrapped.extra).toEqual([]);
  });

  test('a group ID repeated in a merged export: an error naming it', () => {
    expect(error(() => FirewallAudit.aws({ config, securityGroups: [...GROUPS, GROUPS[0]], groups: { primary: ['sg-prd'] } })))
      .toBe('securityGroups[2].GroupId: "sg-prd" is also securityGroups[0]: a merged export repeats it; keep one copy of each group');
  });

  test('a rule naming a group no role wears, with the Domum unplaced: the findings name --domum', () => {
    const report = FirewallAudit.aws({ config, securityGroups: GROUPS, groups: { primary: ['sg-prd'] } });
    const hint = 'sg-dom is worn by no role given; if the Domum Gateway wears it, give groups.domum';
    expect(report.missing.filter(m => m.rowId!.startsWith('DOM-')).map(missingLine)).toEqual([
      `DOM-P2D-WEBSOCKET PRD>DOMUM tcp/51445 | PRD egress (sg-prd): no rule allows it; might be allowed by sg-prd egress tcp 51445 to sg-dom (${hint})`,
      `DOM-P2D-WSS PRD>DOMUM tcp/443 | PRD egress (sg-prd): no rule allows it; might be allowed by sg-prd egress tcp 443 to sg-dom (${hint})`,
      `DOM-D2P-WEBSOCKET DOMUM>PRD tcp/51445 | PRD ingress (sg-prd): no rule allows it; might be allowed by sg-prd ingress tcp 51445 from sg-dom (${hint})`,
      `DOM-D2P-WSS DOMUM>PRD tcp/443 | PRD ingress (sg-prd): no rule allows it; might be allowed by sg-prd ingress tcp 443 from sg-dom (${hint})`,
    ]);
    expect(report.extra.map(line)).toEqual([
      `sg-prd ingress tcp 443 from sg-dom | sg-dom>PRD tcp 443-443 | no row needs tcp 443 from sg-dom; ${hint}`,
      `sg-prd ingress tcp 51445 from sg-dom | sg-dom>PRD tcp 51445-51445 | no row needs tcp 51445 from sg-dom; ${hint}`,
      `sg-prd egress tcp 443 to sg-dom | PRD>sg-dom tcp 443-443 | no row needs tcp 443 to sg-dom; ${hint}`,
      `sg-prd egress tcp 51445 to sg-dom | PRD>sg-dom tcp 51445-51445 | no row needs tcp 51445 to sg-dom; ${hint}`,
    ]);
  });
});
