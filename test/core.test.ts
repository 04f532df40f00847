/* eslint-disable no-bitwise */ // address arithmetic is bit arithmetic
import * as fc from 'fast-check';
import { mergeRules } from '../lib/aws/merge';
import { ClusterTraffic, FirewallMatrix, FirewallPlan, Flow, Role, Section } from '../lib/core';
import { aggregate, aggregateCidrs, contains, formatPrefix, parseCidr, validateCidr } from '../lib/core/cidr';
import { planFlows } from '../lib/core/plan';
import { formatRange, mergePorts } from '../lib/core/ports';
import { describeRule, sidesOf } from '../lib/core/rules';
import { SeguraValidationError } from '../lib/errors';
import { interval, union } from './support/aws-evaluator';

const MGMT = [Role.NTP_SERVER, Role.DNS_SERVER, Role.MAIL_SERVER, Role.LDAP_SERVER, Role.RADIUS_SERVER,
  Role.TACACS_SERVER, Role.LOG_SERVER, Role.BACKUP_SERVER];
const key = (f: Flow) => `${f.source}>${f.destination} ${f.protocol}/${f.port} ${f.rowId}`;

describe('mergePorts (pure)', () => {
  test('joins adjacent ports, never wider', () => {
    expect(mergePorts([445, 22, 23, 80, 443]).map(formatRange)).toEqual(['22-23', '80', '443', '445']);
    expect(mergePorts([4567, 4568, 4444, 4567]).map(formatRange)).toEqual(['4444', '4567-4568']);
    expect(mergePorts([]).map(formatRange)).toEqual([]);
  });
  test('keeps unresolved values apart', () => {
    const token = -1e289;
    expect(mergePorts([22, token, 23], n => n === token)).toEqual([{ from: 22, to: 23 }, { from: token, to: token }]);
  });
});

describe('CIDRs (pure): parsing, canonical spelling, errors', () => {
  test.each([
    ['10.0.0.0/16', 'ipv4', '10.0.0.0/16'], ['0.0.0.0/0', 'ipv4', '0.0.0.0/0'], ['192.168.1.7/32', 'ipv4', '192.168.1.7/32'],
    ['2001:db8::/32', 'ipv6', '2001:db8::/32'], ['2001:0db8::/32', 'ipv6', '2001:db8::/32'], ['2001:0DB8:0000::/32', 'ipv6', '2001:db8::/32'],
    ['::/0', 'ipv6', '::/0'], ['0::/0', 'ipv6', '::/0'], ['0:0:0:0:0:0:0:0/0', 'ipv6', '::/0'],
    ['2001:db8:0:0:1:0:0:0/96', 'ipv6', '2001:db8:0:0:1::/96'], ['fe80::1/128', 'ipv6', 'fe80::1/128'],
  ])('%s is %s, written %s', (cidr, family, canonical) => {
    expect(validateCidr('p', cidr)).toBe(family);
    expect(formatPrefix(parseCidr('p', cidr))).toBe(canonical);
  });
  test.each([
    ['10.0.0.0/33', 'is not a valid IPv4 CIDR (the mask must be 0-32)'],
    ['10.0.0.256/32', 'is not a valid IPv4 CIDR (an octet is above 255)'],
    ['10.0.0.1/16', 'has host bits set. Did you mean "10.0.0.0/16" (or "10.0.0.1/32")?'],
    ['10.0.0.0/0', 'has host bits set. Did you mean "10.0.0.0/32"?'],
    ['010.0.0.0/8', 'has leading zeros (read as octal by some tools). Did you mean "10.0.0.0/8"?'],
    ['10.0.0.0/08', 'has leading zeros (read as octal by some tools). Did you mean "10.0.0.0/8"?'],
    ['10.0.0.1', 'has no prefix length. Did you mean "10.0.0.1/32"?'],
    ['ten.zero/8', 'is not a valid IPv4 or IPv6 CIDR (expected e.g. "10.0.0.0/16")'],
    ['2001:db8::1/32', 'has host bits set. Did you mean "2001:db8::/32" (or "2001:db8::1/128")?'],
    ['2001:db8::1/0', 'has host bits set. Did you mean "2001:db8::1/128"?'],
    ['2001:db8::/032', 'has a zero-padded prefix length. Did you mean "2001:db8::/32"?'],
    ['2001:db8:::/32', 'is not a valid IPv6 CIDR'],
    ['fe80::1', 'has no prefix length. Did you mean "fe80::1/128"?'],
  ])('rejects %s', (cidr, why) => {
    expect(() => validateCidr('users[0]', cidr)).toThrow(SeguraValidationError);
    expect(() => validateCidr('users[0]', cidr)).toThrow(`users[0]: "${cidr}" ${why}`);
  });
});

describe('aggregation (pure): lossless, never wider', () => {
  test('siblings merge into their parent, repeatedly; contained and duplicate prefixes go', () => {
    expect(aggregateCidrs(Array.from({ length: 64 }, (_, i) => `10.1.${i}.0/24`))).toEqual({ cidrs: ['10.1.0.0/18'], summary: '64 merged into 1 (10.1.0.0/18)' });
    expect(aggregateCidrs(['10.1.1.0/24', '10.1.2.0/24']).cidrs).toEqual(['10.1.1.0/24', '10.1.2.0/24']); // adjacent, not siblings
    expect(aggregateCidrs(['10.0.0.0/8', '10.1.0.0/16', '10.0.0.0/8'])).toEqual({ cidrs: ['10.0.0.0/8'], summary: '1 duplicates dropped; 1 contained in another dropped' });
    expect(aggregateCidrs(['2001:0db8::/33', '2001:db8:8000::/33']).cidrs).toEqual(['2001:db8::/32']);
    expect(aggregateCidrs(['10.0.0.0/24', '2001:db8::/32']).summary).toBeUndefined();
  });

  /** Random prefixes (host bits cleared), clustered so that siblings and containment happen often. */
  const prefix = (family: 'ipv4' | 'ipv6', base: bigint, bits: number) => fc.tuple(fc.bigInt({ min: 0n, max: (1n << 12n) - 1n }), fc.integer({ min: 0, max: 12 }))
    .map(([offset, shorter]) => {
      const length = bits - shorter;
      const total = family === 'ipv4' ? 32 : 128;
      const host = (1n << BigInt(total - length)) - 1n;
      return formatPrefix({ family, network: (base + (offset << BigInt(total - bits))) & ~host, length });
    });
  const v4 = prefix('ipv4', 10n << 24n, 24);
  const v6 = prefix('ipv6', 0x20010db8n << 96n, 48);
  const addresses = (cidrs: string[]) => JSON.stringify(union(cidrs.map(interval)).map(([a, b]) => `${a}-${b}`));

  test('property: the set of addresses is exactly the same, and nothing is left to merge', () => {
    let shrunk = 0;
    fc.assert(fc.property(fc.array(fc.oneof(v4, v4, v6), { maxLength: 60 }), cidrs => {
      const out = aggregateCidrs(cidrs).cidrs;
      if (out.length < new Set(cidrs).size) shrunk++;
      const split = (list: string[], six: boolean) => list.filter(c => c.includes(':') === six);
      for (const six of [false, true]) expect(addresses(split(out, six))).toBe(addresses(split(cidrs, six)));
      // Minimal: no output prefix contains another, and no two are siblings.
      const parsed = out.map(c => parseCidr('', c));
      for (const p of parsed) for (const q of parsed) if (p !== q) expect(contains(p, q)).toBe(false);
      expect(aggregate(parsed).length).toBe(parsed.length);
      expect(out.length).toBeLessThanOrEqual(new Set(cidrs).size);
    }), { numRuns: 500 });
    // The random sets did exercise merging and containment.
    expect(shrunk).toBeGreaterThan(100);
  });
});

describe('the plan', () => {
  test('with nothing configured: the cluster table both ways, and the same ports member to member (vendor guide)', () => {
    const flows = FirewallPlan.flows({ peerRoles: [] });
    const between = FirewallMatrix.ALL_ROWS.filter(r => r.section === Section.CLUSTER || r.section === Section.MEMBERS);
    expect(flows.map(f => f.rowId)).toEqual(between.map(r => r.id));
    expect(flows.filter(f => f.source === Role.PRD && f.destination === Role.MBR)).toHaveLength(11);
    expect(flows.filter(f => f.source === Role.MBR && f.destination === Role.PRD)).toHaveLength(11);
    const m2m = flows.filter(f => f.source === Role.MBR && f.destination === Role.MBR);
    expect(m2m.map(f => `${f.protocol}/${f.port}`)).toEqual(flows.filter(f => f.source === Role.PRD).map(f => `${f.protocol}/${f.port}`));
    expect(m2m.every(f => f.viaVendorGuide && !f.viaClusterNote)).toBe(true);
    expect(flows.filter(f => !(f.source === Role.MBR && f.destination === Role.MBR)).every(f => !f.viaVendorGuide)).toBe(true);
  });

  test('peerRoles left out (a JavaScript caller) is read as no peer role', () => {
    const between = FirewallMatrix.ALL_ROWS.filter(r => r.section === Section.CLUSTER || r.section === Section.MEMBERS);
    expect(FirewallPlan.flows({} as any).map(f => f.rowId)).toEqual(between.map(r => r.id));
  });

  test('only a row between the Primary and a host gets the members\' copy: a row of the members\' own does not', () => {
    // Rows the matrix does not have (today every row with a host has the Primary at its other end): members to a DNS
    // server, and a DNS server to the members, shaped as MGT-DNS (udp 53).
    const dns = FirewallMatrix.ALL_ROWS.find(r => r.id === 'MGT-DNS')!;
    const rows = [...FirewallMatrix.ALL_ROWS, { ...dns, id: 'X-M2DNS', source: Role.MBR }, { ...dns, id: 'X-DNS2M', source: Role.DNS_SERVER, destination: Role.MBR }];
    const flows = planFlows({ peerRoles: [Role.DNS_SERVER] }, undefined, rows).filter(f => f.rowId === 'MGT-DNS' || f.rowId.startsWith('X-'));
    expect(flows.map(f => `${f.id} ${f.source}>${f.destination} ${f.protocol}/${f.port}`)).toEqual([
      'MGT-DNS PRD>DNS SERVER udp/53', 'MGT-DNS@MBR MBR>DNS SERVER udp/53', 'X-M2DNS MBR>DNS SERVER udp/53', 'X-DNS2M DNS SERVER>MBR udp/53',
    ]);
  });

  test('the document read literally: Primary and members only, nothing member to member', () => {
    const flows = FirewallPlan.flows({ peerRoles: [], clusterTraffic: ClusterTraffic.PRIMARY_AND_MEMBERS_ONLY });
    expect(flows.map(f => f.rowId)).toEqual(FirewallMatrix.TABLE_ROWS.filter(r => r.section === Section.CLUSTER).map(r => r.id));
    expect(() => FirewallPlan.flows({ peerRoles: [], clusterTraffic: ClusterTraffic.PRIMARY_AND_MEMBERS_ONLY, disabledRules: ['CLU-M2M-SSH'] }))
      .toThrow('disabledRules[0]: "CLU-M2M-SSH" does not apply (clusterTraffic is PRIMARY_AND_MEMBERS_ONLY), so disabling it would be silently ignored');
    expect(() => FirewallPlan.flows({ peerRoles: [], clusterTraffic: 'ALL' as any }))
      .toThrow('clusterTraffic: "ALL" is not a cluster traffic. Expected one of ALL_INSTANCES, PRIMARY_AND_MEMBERS_ONLY');
  });

  test('member to member follows the cluster table\'s ports and opt-outs, never its own', () => {
    const m2m = (options: object) => FirewallPlan.flows({ peerRoles: [], ...options }).filter(f => f.rowId === 'CLU-M2M-SSH').map(f => `${f.id} ${f.port}`);
    expect(m2m({})).toEqual(['CLU-M2M-SSH 22']);
    expect(m2m({ portOverrides: { 'CLU-P2M-SSH': 2222, 'CLU-M2P-SSH': 2222 } })).toEqual(['CLU-M2M-SSH 2222']);
    // Asymmetric: the members listen on 2222, the Primary on 22; a promoted member needs both.
    expect(m2m({ portOverrides: { 'CLU-P2M-SSH': 2222 } })).toEqual(['CLU-M2M-SSH 2222', 'CLU-M2M-SSH#22 22']);
    expect(m2m({ disabledRules: ['CLU-P2M-SSH'] })).toEqual(['CLU-M2M-SSH 22']);
    expect(m2m({ disabledRules: ['CLU-P2M-SSH', 'CLU-M2P-SSH'] })).toEqual([]);
    expect(() => m2m({ portOverrides: { 'CLU-M2M-SSH': 2222 } })).toThrow('portOverrides["CLU-M2M-SSH"]: "CLU-M2M-SSH" follows CLU-P2M-SSH and CLU-M2P-SSH '
      + '(member to member on the cluster table\'s ports): override or disable those, or set clusterTraffic to PRIMARY_AND_MEMBERS_ONLY');
    expect(() => m2m({ disabledRules: ['CLU-M2M-SSH'] })).toThrow('disabledRules[0]: "CLU-M2M-SSH" follows CLU-P2M-SSH and CLU-M2P-SSH');
  });

  test('the load balancers: to the Primary and every member on 443, 80, 22 and 3389 (vendor guide); nothing else', () => {
    const lb = (options: object = {}) => FirewallPlan.flows({ peerRoles: [Role.LOAD_BALANCER], ...options })
      .filter(f => f.source === Role.LOAD_BALANCER || f.destination === Role.LOAD_BALANCER);
    expect(lb().map(f => `${f.id} ${f.destination} ${f.protocol}/${f.port}`)).toEqual([
      'LB-HTTPS PRD tcp/443', 'LB-HTTPS@MBR MBR tcp/443', 'LB-HTTP PRD tcp/80', 'LB-HTTP@MBR MBR tcp/80',
      'LB-SSH PRD tcp/22', 'LB-SSH@MBR MBR tcp/22', 'LB-RDP PRD tcp/3389', 'LB-RDP@MBR MBR tcp/3389',
    ]);
    expect(lb().every(f => f.viaVendorGuide && !f.viaClusterNote && f.section === Section.LOAD_BALANCERS)).toBe(true);
    expect(lb().every(f => f.source === Role.LOAD_BALANCER)).toBe(true);
    // A standalone Primary: the Primary only.
    expect(lb({ clusterMembers: false }).map(f => f.id)).toEqual(['LB-HTTPS', 'LB-HTTP', 'LB-SSH', 'LB-RDP']);
    // Not configured: nothing, and its rows do not apply.
    expect(FirewallPlan.flows({ peerRoles: [] }).filter(f => f.rowId.startsWith('LB-'))).toEqual([]);
    expect(() => FirewallPlan.flows({ peerRoles: [], disabledRules: ['LB-SSH'] }))
      .toThrow('disabledRules[0]: "LB-SSH" does not apply (loadBalancers is not configured), so disabling it would be silently ignored');
  });

  test('the load balancers take the users\' ports, overrides included, but open and close on their own', () => {
    const ports = (options: object, peerRoles = [Role.USERW, Role.LOAD_BALANCER]) => FirewallPlan.flows({ peerRoles, ...options })
      .filter(f => f.destination === Role.PRD && (f.source === Role.USERW || f.source === Role.LOAD_BALANCER)).map(f => `${f.rowId} ${f.port}`);
    // The users' HTTPS on 8443: the balancers reach the nodes there too.
    expect(ports({ portOverrides: { 'USR-HTTPS': 8443 } })).toEqual(['USR-HTTPS 8443', 'USR-HTTP 80', 'USR-SSH 22', 'USR-RDP 3389',
      'LB-HTTPS 8443', 'LB-HTTP 80', 'LB-SSH 22', 'LB-RDP 3389']);
    // Their own override wins.
    expect(ports({ portOverrides: { 'USR-HTTPS': 8443, 'LB-HTTPS': 9443 } })).toContain('LB-HTTPS 9443');
    // Behind an ALB: the users' rows left out, the balancers' stay (and take their documented ports).
    const users = ['USR-HTTPS', 'USR-HTTP', 'USR-SSH', 'USR-RDP'];
    expect(ports({ disabledRules: users })).toEqual(['LB-HTTPS 443', 'LB-HTTP 80', 'LB-SSH 22', 'LB-RDP 3389']);
    // No users at all: the balancers alone, overridden on their own rows.
    expect(ports({ portOverrides: { 'LB-SSH': 2222 } }, [Role.LOAD_BALANCER])).toEqual(['LB-HTTPS 443', 'LB-HTTP 80', 'LB-SSH 2222', 'LB-RDP 3389']);
    // A balancer's row disabled: the users' stays.
    expect(ports({ disabledRules: ['LB-RDP'] })).toEqual(['USR-HTTPS 443', 'USR-HTTP 80', 'USR-SSH 22', 'USR-RDP 3389', 'LB-HTTPS 443', 'LB-HTTP 80', 'LB-SSH 22']);
    // The users' row overridden while the users are not configured is an error, as for any row that does not apply.
    expect(() => ports({ portOverrides: { 'USR-HTTPS': 8443 } }, [Role.LOAD_BALANCER]))
      .toThrow('portOverrides["USR-HTTPS"]: "USR-HTTPS" does not apply (users is not configured), so the override would be silently ignored');
  });

  test('the Arbitrator: its ports with the Primary and every member, both ways (vendor guide); nothing else', () => {
    const flows = FirewallPlan.flows({ peerRoles: [Role.ARB] }).filter(f => f.source === Role.ARB || f.destination === Role.ARB);
    const ports = ['tcp/9300', 'tcp/3306', 'tcp/4567', 'tcp/4568', 'tcp/4444', 'udp/4567'];
    for (const [source, destination] of [[Role.PRD, Role.ARB], [Role.MBR, Role.ARB], [Role.ARB, Role.PRD], [Role.ARB, Role.MBR]]) {
      expect(flows.filter(f => f.source === source && f.destination === destination).map(f => `${f.protocol}/${f.port}`)).toEqual(ports);
    }
    expect(flows).toHaveLength(24);
    expect(flows.every(f => f.viaVendorGuide && !f.viaClusterNote && f.section === Section.ARBITRATOR)).toBe(true);
  });

  test('a standalone Primary (no members) gets no cluster rows and no MBR copies', () => {
    const flows = FirewallPlan.flows({ peerRoles: [Role.USERW], clusterMembers: false });
    expect(flows.map(key)).toEqual(['USERW>PRD tcp/443 USR-HTTPS', 'USERW>PRD tcp/80 USR-HTTP', 'USERW>PRD tcp/22 USR-SSH', 'USERW>PRD tcp/3389 USR-RDP']);
  });

  test('a role that is not configured gets no rules', () => {
    for (const role of [...MGMT, Role.USERW, Role.DVC, Role.DOMUM]) {
      const others = [...MGMT, Role.USERW, Role.DVC, Role.DOMUM].filter(r => r !== role);
      const flows = FirewallPlan.flows({ peerRoles: others });
      expect(flows.filter(f => f.source === role || f.destination === role)).toEqual([]);
      expect(flows.length).toBeGreaterThan(0);
    }
  });

  test('the cluster note: every Primary row of the document outside the cluster table holds for the members too', () => {
    const flows = FirewallPlan.flows({ peerRoles: [...MGMT, Role.USERW, Role.DVC, Role.DOMUM, Role.PACKAGE_MIRROR] });
    const prd = flows.filter(f => f.section !== Section.CLUSTER && !f.viaClusterNote && !f.viaVendorGuide);
    const mbr = flows.filter(f => f.viaClusterNote);
    expect(prd).toHaveLength(58 - 22 + 1);
    expect(mbr.map(f => f.rowId)).toEqual(prd.map(f => f.rowId));
    for (const f of mbr) {
      expect(f.source === Role.MBR || f.destination === Role.MBR).toBe(true);
      expect(f.source === Role.PRD || f.destination === Role.PRD).toBe(false);
    }
  });

  test('the members\' copies are exactly the Primary\'s rows with a host that is not an instance; none of the cluster table\'s', () => {
    const flows = FirewallPlan.flows({ peerRoles: [Role.USERW, Role.DOMUM, Role.ARB] });
    const instances: string[] = [Role.PRD, Role.MBR];
    const withHost = flows.filter(f => !f.id.endsWith('@MBR')
      && ((f.source === Role.PRD && !instances.includes(f.destination)) || (f.destination === Role.PRD && !instances.includes(f.source))));
    expect(flows.filter(f => f.id.endsWith('@MBR')).map(f => f.id)).toEqual(withHost.map(f => `${f.id}@MBR`));
    expect(flows.filter(f => f.id.endsWith('@MBR') && f.rowId.startsWith('CLU-'))).toEqual([]);
  });

  test('Domum rows in both directions, for the Primary and the members', () => {
    const flows = FirewallPlan.flows({ peerRoles: [Role.DOMUM] }).filter(f => f.section === Section.DOMUM);
    expect(flows.map(key)).toEqual([
      'PRD>DOMUM tcp/51445 DOM-P2D-WEBSOCKET', 'MBR>DOMUM tcp/51445 DOM-P2D-WEBSOCKET',
      'PRD>DOMUM tcp/443 DOM-P2D-WSS', 'MBR>DOMUM tcp/443 DOM-P2D-WSS',
      'DOMUM>PRD tcp/51445 DOM-D2P-WEBSOCKET', 'DOMUM>MBR tcp/51445 DOM-D2P-WEBSOCKET',
      'DOMUM>PRD tcp/443 DOM-D2P-WSS', 'DOMUM>MBR tcp/443 DOM-D2P-WSS',
    ]);
  });

  test('package mirrors on 443/tcp, or the APT proxy on its port instead', () => {
    const mirrors = FirewallPlan.flows({ peerRoles: [Role.PACKAGE_MIRROR], clusterMembers: false });
    expect(mirrors.map(key)).toEqual(['PRD>PACKAGE MIRROR tcp/443 UPD-MIRROR']);
    const proxy = FirewallPlan.flows({ peerRoles: [Role.APT_PROXY], clusterMembers: false, aptProxyPort: 8080 });
    expect(proxy.map(key)).toEqual(['PRD>APT PROXY tcp/8080 UPD-APT-PROXY']);
    const defaultPort = FirewallPlan.flows({ peerRoles: [Role.APT_PROXY], clusterMembers: false });
    expect(defaultPort.map(key)).toEqual(['PRD>APT PROXY tcp/3142 UPD-APT-PROXY']);
    expect(() => FirewallPlan.flows({ peerRoles: [Role.APT_PROXY, Role.PACKAGE_MIRROR] })).toThrow(/either packageMirrors .* or aptProxy/);
  });

  test('port overrides and opt-outs; everything else follows the document', () => {
    const base = FirewallPlan.flows({ peerRoles: [Role.MAIL_SERVER, Role.DVC] });
    const changed = FirewallPlan.flows({ peerRoles: [Role.MAIL_SERVER, Role.DVC], portOverrides: { 'MGT-SMTP': 587 }, disabledRules: ['DVC-TELNET'] });
    expect(changed.filter(f => f.rowId === 'MGT-SMTP').map(f => [f.port, f.documentedPort])).toEqual([[587, 420], [587, 420]]);
    expect(changed.filter(f => f.rowId === 'DVC-TELNET')).toEqual([]);
    const untouched = (fs: Flow[]) => fs.filter(f => f.rowId !== 'MGT-SMTP' && f.rowId !== 'DVC-TELNET').map(key);
    expect(untouched(changed)).toEqual(untouched(base));
  });

  test.each([
    [{ peerRoles: [Role.MAIL_SERVER], portOverrides: { 'MGT-SMPT': 587 } }, 'portOverrides["MGT-SMPT"]: "MGT-SMPT" is not a row ID of the Segura firewall matrix. Did you mean "MGT-SMTP"?'],
    [{ peerRoles: [Role.MAIL_SERVER], portOverrides: { 'MGT-SMTP': 70000 } }, 'portOverrides["MGT-SMTP"]: 70000 is not a port; expected an integer within 1-65535'],
    [{ peerRoles: [Role.MAIL_SERVER], portOverrides: { 'MGT-SMTP': 0 } }, 'portOverrides["MGT-SMTP"]: 0 is not a port'],
    [{ peerRoles: [Role.MAIL_SERVER], portOverrides: { 'MGT-SMTP': 58.5 } }, 'portOverrides["MGT-SMTP"]: 58.5 is not a port'],
    [{ peerRoles: [], portOverrides: { 'MGT-SMTP': 587 } }, 'portOverrides["MGT-SMTP"]: "MGT-SMTP" does not apply (management.mail is not configured)'],
    [{ peerRoles: [Role.DVC], disabledRules: ['DVC-TELNT'] }, 'disabledRules[0]: "DVC-TELNT" is not a row ID of the Segura firewall matrix. Did you mean "DVC-TELNET"?'],
    [{ peerRoles: [], disabledRules: ['DVC-TELNET'] }, 'disabledRules[0]: "DVC-TELNET" does not apply (devices is not configured)'],
    [{ peerRoles: [Role.DVC], disabledRules: ['DVC-SSH'], portOverrides: { 'DVC-SSH': 2222 } }, 'portOverrides["DVC-SSH"]: "DVC-SSH" is also in disabledRules'],
    [{ peerRoles: [], aptProxyPort: 3128 }, 'aptProxy.port: 3128 is set but aptProxy.peers is not configured'],
    [{ peerRoles: [Role.PRD] }, 'peerRoles[0]: "PRD" is not a peer role'],
    [{ peerRoles: [], clusterMembers: false, disabledRules: ['CLU-P2M-SSH'] }, 'disabledRules[0]: "CLU-P2M-SSH" does not apply (the deployment has no cluster members)'],
    [{ peerRoles: [Role.DVC], disabledRules: [22] }, 'disabledRules[0]: expected a row ID (a string), got 22'],
    // The APT proxy's port: its own property, once; an error in it names that property, one in any other row the row's.
    [{ peerRoles: [Role.APT_PROXY], aptProxyPort: 3128, portOverrides: { 'UPD-APT-PROXY': 3129 } },
      'portOverrides["UPD-APT-PROXY"]: the APT proxy port is set twice (aptProxy.port and portOverrides); keep one'],
    [{ peerRoles: [Role.APT_PROXY], aptProxyPort: 0 }, 'aptProxy.port: 0 is not a port'],
    [{ peerRoles: [Role.APT_PROXY], portOverrides: { 'UPD-APT-PROXY': 0 } }, 'portOverrides["UPD-APT-PROXY"]: 0 is not a port'],
    [{ peerRoles: [Role.APT_PROXY, Role.MAIL_SERVER], aptProxyPort: 3128, portOverrides: { 'MGT-SMTP': 0 } }, 'portOverrides["MGT-SMTP"]: 0 is not a port'],
    // Two bad overrides: the first by row ID is named, whatever the order the keys were written in.
    [{ peerRoles: [Role.MAIL_SERVER, Role.DVC], portOverrides: { 'MGT-SMTP': 0, 'DVC-SSH': 0 } }, 'portOverrides["DVC-SSH"]: 0 is not a port'],
  ])('bad options fail with a message naming the property and value (%#)', (options, message) => {
    expect(() => FirewallPlan.flows(options as any)).toThrow(SeguraValidationError);
    expect(() => FirewallPlan.flows(options as any)).toThrow(message);
  });

  test('a port override that is not a number is refused even where deploy-time values are allowed (a string token is no port)', () => {
    const anyUnresolved = () => true;
    expect(() => planFlows({ peerRoles: [Role.MAIL_SERVER], portOverrides: { 'MGT-SMTP': '587' as any } }, anyUnresolved))
      .toThrow('portOverrides["MGT-SMTP"]: "587" is not a port; expected an integer within 1-65535');
    // A number the renderer calls unresolved (a CDK token is a number) is taken as it is.
    expect(planFlows({ peerRoles: [Role.MAIL_SERVER], clusterMembers: false, portOverrides: { 'MGT-SMTP': -1.8881545897087968e+289 } }, anyUnresolved)
      .filter(f => f.rowId === 'MGT-SMTP').map(f => f.port)).toEqual([-1.8881545897087968e+289]);
  });
});

describe('from flows to rules (pure)', () => {
  const flows = FirewallPlan.flows({ peerRoles: [Role.DVC] });

  test('each flow falls on the groups we own: egress at its source, ingress at its destination', () => {
    const sides = sidesOf(flows, [Role.PRD, Role.MBR]);
    const p2m = flows.filter(f => f.source === Role.PRD && f.destination === Role.MBR);
    const m2m = flows.filter(f => f.source === Role.MBR && f.destination === Role.MBR);
    const dvc = flows.filter(f => f.destination === Role.DVC);
    // Each flow between two owned groups has both sides (P2M and M2P, M2M), each flow toward a device one.
    expect(sides).toHaveLength(p2m.length * 2 * 2 + m2m.length * 2 + dvc.length);
    expect(sides.filter(s => s.peerRole === Role.DVC).every(s => s.direction === 'egress')).toBe(true);
  });

  test('adjacent ports of one peer and protocol merge, and the rule names every row', () => {
    const sides = sidesOf(flows, [Role.PRD]).map(side => ({ side, peerKey: side.peerRole }));
    const rules = mergeRules(sides).filter(r => r.peerKey === Role.DVC);
    expect(rules.map(r => formatRange(r.range))).toEqual(['22-23', '80', '135', '139', '443', '445', '1433', '3306', '3389', '5432', '7443']);
    expect(rules[0].flows.map(f => f.rowId)).toEqual(['DVC-SSH', 'DVC-TELNET']);
    expect(describeRule(rules[0], 255)).toBe('DVC-SSH DVC-TELNET: SSH 22, TELNET 23/tcp PRD to DVC');
    const tram = mergeRules(sidesOf(flows, [Role.MBR]).map(side => ({ side, peerKey: side.peerRole })))
      .find(r => r.direction === 'ingress' && r.range.from === 4567 && r.protocol === 'tcp')!;
    expect(formatRange(tram.range)).toBe('4567-4568');
  });

  test('descriptions are ASCII, without ® or >, and cut to the limit', () => {
    const sides = sidesOf(flows, [Role.PRD, Role.MBR]).map(side => ({ side, peerKey: 'all' }));
    for (const rule of mergeRules(sides)) {
      const d = describeRule(rule, 40);
      expect(d.length).toBeLessThanOrEqual(40);
      expect(d).toMatch(/^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/);
    }
  });
});
