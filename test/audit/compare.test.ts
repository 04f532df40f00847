/**
 * The audit's comparison (lib/audit/compare.ts) on states written here, without a
 * cloud's export: traffic between instances of one role (members reaching members).
 */
import { AddressSet } from '../../lib/audit/address-set';
import { compare, Endpoints } from '../../lib/audit/compare';
import { Region } from '../../lib/audit/region';
import { decide, placeHint, Policy, PolicyRule, ProtectedInstance } from '../../lib/audit/state';
import { Flow } from '../../lib/core';

const set = (...cidrs: string[]) => AddressSet.ofCidrs(cidrs);
const [A, B] = ['10.0.1.4/32', '10.0.1.5/32'];
/** Member to member on 3306/tcp: the only flow. */
const flows = [{ rowId: 'M2M-DB', source: 'MBR', destination: 'MBR', protocol: 'tcp', port: 3306 }] as unknown as Flow[];
const endpoints: Endpoints = new Map([['MBR', [{ address: A, set: set(A) }, { address: B, set: set(B) }]]]);

const allow = (name: string, cidr: string): PolicyRule => ({
  name, peer: cidr, other: set(cidr), allow: true, allProtocols: false, allTraffic: false, region: Region.of(['tcp'], [[3306, 3306]], set(cidr)), isDefault: false,
});
const policy = (name: string, ...rules: PolicyRule[]): Policy => ({ name, order: 'any', rules, maybe: [] });
/** A member whose groups allow 3306 with the given addresses, both ways. */
const member = (address: string, ...cidrs: string[]): ProtectedInstance => ({
  role: 'MBR',
  address,
  ingress: [policy(`sg-in-${address}`, ...cidrs.map(c => allow(`in from ${c}`, c)))],
  egress: [policy(`sg-out-${address}`, ...cidrs.map(c => allow(`out to ${c}`, c)))],
});

describe('compare: members reaching members', () => {
  test('each member reaching the other is the whole need: an instance\'s traffic with itself is neither missing nor extra', () => {
    const report = compare(flows, endpoints, { instances: [member(A, B), member(B, A)], unresolved: [] });
    expect(report).toEqual({ missing: [], extra: [], unresolved: [] });
  });

  test('a rule that also names the instance itself is no extra traffic', () => {
    const report = compare(flows, endpoints, { instances: [member(A, A, B), member(B, A, B)], unresolved: [] });
    expect(report).toEqual({ missing: [], extra: [], unresolved: [] });
  });

  test('an address given to two roles (a member that is also the DNS server): its traffic with itself is not needed', () => {
    // DNS from the members to the DNS server, which the configuration places at A, a member's own address.
    const dns = [{ rowId: 'MGT-DNS', source: 'MBR', destination: 'DNS', protocol: 'udp', port: 53 }] as unknown as Flow[];
    const withDns: Endpoints = new Map([...endpoints, ['DNS', [{ address: A, set: set(A) }]]]);
    const closed = (address: string): ProtectedInstance => ({ ...member(address), egress: [policy(`sg-out-${address}`)] });
    // Neither member lets DNS out: B's need is missing; A's traffic with itself is not.
    expect(compare(dns, withDns, { instances: [closed(A), closed(B)], unresolved: [] }).missing.map(f => `${f.sourceAddress}>${f.destinationAddress} | ${f.reason}`))
      .toEqual([`${B}>${A} | MBR egress (sg-out-${B}): no rule allows it`]);
  });

  test('a member that does not let the other in: one missing finding, that pair only', () => {
    const report = compare(flows, endpoints, { instances: [member(A, B), { ...member(B, A), ingress: [policy(`sg-in-${B}`)] }], unresolved: [] });
    expect(report.missing.map(f => `${f.sourceAddress}>${f.destinationAddress} ${f.protocol}/${f.fromPort} | ${f.reason}`)).toEqual([
      `${A}>${B} tcp/3306 | MBR ingress (sg-in-${B}): no rule allows it`,
    ]);
  });

  test('a member that does not let itself out: the finding names its egress', () => {
    const report = compare(flows, endpoints, { instances: [{ ...member(A, B), egress: [policy(`sg-out-${A}`)] }, member(B, A)], unresolved: [] });
    expect(report.missing.map(f => `${f.sourceAddress}>${f.destinationAddress} | ${f.reason}`)).toEqual([`${A}>${B} | MBR egress (sg-out-${A}): no rule allows it`]);
  });

  test('a rule wider than the need: what is not needed is listed when it is four prefixes or fewer; a role without addresses names nothing', () => {
    // B's address is also a load balancer's (a role the flows do not use); the users have no address.
    const withUsers: Endpoints = new Map([...endpoints, ['USERW', []], ['LB', [{ address: B, set: set(B) }]]]);
    const wide = (cidr: string) => compare(flows, withUsers, { instances: [member(A, cidr), member(B, A)], unresolved: [] }).extra.map(f => `${f.rule} | ${f.reason}`);
    // 10.0.1.0/27 less A itself and B: four prefixes.
    expect(wide('10.0.1.0/27')).toEqual([
      'in from 10.0.1.0/27 | wider than the plan: tcp 3306 from 10.0.1.0/27, where the plan needs only LB (not needed: 10.0.1.0/30, 10.0.1.6/31, 10.0.1.8/29, 10.0.1.16/28)',
      'out to 10.0.1.0/27 | wider than the plan: tcp 3306 to 10.0.1.0/27, where the plan needs only LB (not needed: 10.0.1.0/30, 10.0.1.6/31, 10.0.1.8/29, 10.0.1.16/28)',
    ]);
    // 10.0.1.0/26: five.
    expect(wide('10.0.1.0/26')).toEqual([
      'in from 10.0.1.0/26 | wider than the plan: tcp 3306 from 10.0.1.0/26, where the plan needs only LB',
      'out to 10.0.1.0/26 | wider than the plan: tcp 3306 to 10.0.1.0/26, where the plan needs only LB',
    ]);
  });
});

/** A rule of the given region, as a matcher writes it (allow unless said, not on every protocol, no location). */
const rule = (name: string, peer: string, region: Region, more: Partial<PolicyRule> = {}): PolicyRule => ({
  name, peer, other: more.other ?? set(peer), allow: true, allProtocols: false, allTraffic: false, region, isDefault: false, ...more,
});
const tcp = (lo: number, hi: number, cidr: string) => Region.of(['tcp'], [[lo, hi]], set(cidr));
/** A member whose filters are the given ones (none: nothing on that path). */
const placed = (address: string, ingress: Policy[], egress: Policy[] = []): ProtectedInstance => ({ role: 'MBR', address, ingress, egress });
const nsg = (name: string, ...rules: PolicyRule[]): Policy => ({ name, order: 'first-match', rules, maybe: [] });

describe('compare: what findings say and where', () => {
  const L1 = { file: 'sgs.json', resource: 'sg-a', line: 3 };
  const L2 = { file: 'sgs.json', resource: 'sg-b', line: 9 };

  test('a missing finding names the locations of the filters that block it, each once; with none known, it has no locations', () => {
    // A's egress blocks A>B (its groups are written at L1, L2, L1 again); B's egress blocks B>A and has no location.
    const report = compare(flows, endpoints, {
      instances: [
        placed(A, [policy('in-A', allow('in from B', B))], [{ ...policy('out-A'), locations: [L1, L2, L1] }]),
        placed(B, [policy('in-B', allow('in from A', A))], [policy('out-B')]),
      ],
      unresolved: [],
    });
    const finding = { source: 'MBR', destination: 'MBR', protocol: 'tcp', fromPort: 3306, toPort: 3306, rowId: 'M2M-DB' };
    expect(report.missing).toEqual([
      { ...finding, sourceAddress: A, destinationAddress: B, reason: 'MBR egress (out-A): no rule allows it', locations: [L1, L2] },
      { ...finding, sourceAddress: B, destinationAddress: A, reason: 'MBR egress (out-B): no rule allows it' },
    ]);
    expect(Object.keys(report.missing[1])).not.toContain('locations');
  });

  test('a missing flow names the rules the audit cannot place that might allow it: allow rules that match its protocol and port', () => {
    // A's NSG: rules toward an ASG no role is in (unknown addresses: named sets), and rules it cannot place at all (maybe).
    const asg = (name: string, allowIt: boolean, lo: number) => rule(name, 'asg-x', Region.of(['tcp'], [[lo, lo]], AddressSet.named('asg-x')),
      { other: AddressSet.named('asg-x'), allow: allowIt, unknown: 'ASG asg-x: no role is placed in it' });
    const maybe = (name: string, allowIt: boolean, lo: number) => ({ name, allow: allowIt, region: Region.of(['tcp'], [[lo, lo]], AddressSet.ALL), why: 'its prefix list is not given' });
    const ingressA: Policy = {
      name: 'NSG a',
      order: 'first-match',
      rules: [
        asg('DenyAsg3306', false, 3306), asg('AllowAsg22', true, 22), asg('AllowAsg3306', true, 3306),
        rule('AllowOther3306', '10.0.9.0/24', tcp(3306, 3306, '10.0.9.0/24')),
      ],
      maybe: [maybe('MaybeDeny3306', false, 3306), maybe('MaybeAllow22', true, 22), maybe('MaybeAllow3306', true, 3306)],
    };
    const report = compare(flows, endpoints, { instances: [placed(A, [ingressA]), placed(B, [policy('in-B', allow('in from A', A))])], unresolved: [] });
    // Only B>A is blocked (no egress filters; B lets A in). Named: the two allow rules on tcp 3306 that the audit cannot place.
    expect(report.missing.map(f => `${f.sourceAddress}>${f.destinationAddress} | ${f.reason}`)).toEqual([
      `${B}>${A} | MBR ingress (NSG a): no rule allows it; might be allowed by AllowAsg3306 (ASG asg-x: no role is placed in it), MaybeAllow3306 (its prefix list is not given)`,
    ]);
  });

  test('a flow with a role the config gives no address for: nothing to check, nothing needed', () => {
    // The users reach the members on 443, the members a DNS server on 53/udp: neither role has an address here.
    const more = [
      ...flows,
      { rowId: 'USR-HTTPS', source: 'USERW', destination: 'MBR', protocol: 'tcp', port: 443 },
      { rowId: 'MGT-DNS', source: 'MBR', destination: 'DNS', protocol: 'udp', port: 53 },
    ] as unknown as Flow[];
    const report = compare(more, endpoints, { instances: [member(A, B), member(B, A)], unresolved: [] });
    expect(report).toEqual({ missing: [], extra: [], unresolved: [] });
  });

  test('an extra finding names the rule\'s location; without one, it has no locations', () => {
    const report = compare(flows, endpoints, {
      instances: [placed(A, [policy('sg-a', rule('from 10.0.9.0/24', '10.0.9.0/24', tcp(3306, 3306, '10.0.9.0/24'), { location: L1 }),
        rule('from 10.0.8.0/24', '10.0.8.0/24', tcp(3306, 3306, '10.0.8.0/24')))])],
      unresolved: [],
    });
    const finding = { destination: 'MBR', protocol: 'tcp', fromPort: 3306, toPort: 3306 };
    expect(report.extra).toEqual([
      { ...finding, source: '10.0.9.0/24', rule: 'from 10.0.9.0/24', reason: 'no row needs tcp 3306 from 10.0.9.0/24', locations: [L1] },
      { ...finding, source: '10.0.8.0/24', rule: 'from 10.0.8.0/24', reason: 'no row needs tcp 3306 from 10.0.8.0/24' },
    ]);
    expect(Object.keys(report.extra[1])).not.toContain('locations');
  });

  test('a rule on every protocol and port: protocol all, ports -1, and what the plan needs of it', () => {
    const everything = rule('all from 10.0.1.0/24', '10.0.1.0/24', Region.of('all', [[0, 65535]], set('10.0.1.0/24')), { allProtocols: true, allTraffic: true });
    const report = compare(flows, endpoints, { instances: [placed(A, [policy('sg-a', everything)])], unresolved: [] });
    // The /24 holds both members (so no role names it exactly); of it, A needs tcp 3306 from B only.
    expect(report.extra).toEqual([{
      source: '10.0.1.0/24',
      destination: 'MBR',
      rule: 'all from 10.0.1.0/24',
      protocol: 'all',
      fromPort: -1,
      toPort: -1,
      reason: 'every protocol and port from 10.0.1.0/24, where the plan needs only tcp 3306',
    }]);
  });

  test('a rule without ports (icmp): ports -1', () => {
    const ping = rule('icmp from 10.0.9.0/24', '10.0.9.0/24', Region.of(['icmp'], [], set('10.0.9.0/24')));
    const report = compare(flows, endpoints, { instances: [placed(A, [policy('sg-a', ping)])], unresolved: [] });
    expect(report.extra).toEqual([{
      source: '10.0.9.0/24',
      destination: 'MBR',
      rule: 'icmp from 10.0.9.0/24',
      protocol: 'icmp',
      fromPort: -1,
      toPort: -1,
      reason: 'no row needs icmp from 10.0.9.0/24',
    }]);
  });

  test('a rule on two protocols is reported as protocol all, its ports from the lowest to the highest', () => {
    const both = rule('tcp+udp from 10.0.9.0/24', '10.0.9.0/24', Region.of(['tcp', 'udp'], [[3306, 3307]], set('10.0.9.0/24')));
    const report = compare(flows, endpoints, { instances: [placed(A, [policy('sg-a', both)])], unresolved: [] });
    expect(report.extra).toEqual([{
      source: '10.0.9.0/24',
      destination: 'MBR',
      rule: 'tcp+udp from 10.0.9.0/24',
      protocol: 'all',
      fromPort: 3306,
      toPort: 3307,
      reason: 'no row needs tcp 3306-3307; udp 3306-3307 from 10.0.9.0/24',
    }]);
  });
});

describe('compare: filters in layers, rules over several instances, overlapping rules', () => {
  const lan = '10.0.1.0/24';
  // The subnet's NSG lets tcp 3306 in from the /24; the NIC's a rule on every protocol (`*`) on port 3306 from it.
  const subnet = nsg('NSG subnet', rule('Subnet3306', lan, tcp(3306, 3306, lan)));
  const nic = nsg('NSG nic', rule('NicAny3306', lan, Region.of('all', [[3306, 3306]], set(lan)), { allProtocols: true }));

  test('a rule is reported for what every filter on the path lets through; a rule on every protocol stays protocol all', () => {
    const report = compare(flows, endpoints, { instances: [placed(A, [subnet, nic]), placed(B, [subnet, nic])], unresolved: [] });
    expect(report.missing).toEqual([]);
    // Over both members, each rule lets tcp 3306 in from the whole /24 (the other filter stops udp, icmp and the rest);
    // the plan needs both members of it (MBR), and the rest is seven prefixes: not listed.
    const finding = { source: lan, destination: 'MBR', fromPort: 3306, toPort: 3306, reason: `wider than the plan: tcp 3306 from ${lan}, where the plan needs only MBR` };
    expect(report.extra).toEqual([{ ...finding, rule: 'Subnet3306', protocol: 'tcp' }, { ...finding, rule: 'NicAny3306', protocol: 'all' }]);
  });

  test('a wide rule behind a filter that lets in only what the plan needs is no extra traffic', () => {
    // The subnet lets in A and B only (10.0.1.4/31); the NIC everything from 10.0.0.0/16.
    const narrow = nsg('NSG subnet', rule('SubnetMembers', '10.0.1.4/31', tcp(3306, 3306, '10.0.1.4/31')));
    const wide = nsg('NSG nic', rule('NicAll', '10.0.0.0/16', Region.of('all', [[0, 65535]], set('10.0.0.0/16')), { allProtocols: true, allTraffic: true }));
    const report = compare(flows, endpoints, { instances: [placed(A, [narrow, wide]), placed(B, [narrow, wide])], unresolved: [] });
    expect(report).toEqual({ missing: [], extra: [], unresolved: [] });
  });

  test('one group on both members: one finding per rule, over what it lets through at either', () => {
    // 10.0.1.0/28 holds A (.4) and B (.5): at A it lets in the /28 but A, at B the /28 but B; the plan needs B at A, A at B.
    const shared = policy('sg-members', rule('from 10.0.1.0/28', '10.0.1.0/28', tcp(3306, 3306, '10.0.1.0/28')));
    const report = compare(flows, endpoints, { instances: [placed(A, [shared]), placed(B, [shared])], unresolved: [] });
    // Left over at both: the /28 less A and B = 10.0.1.0/30, 10.0.1.6/31, 10.0.1.8/29; needed over both: A and B, the members.
    expect(report.extra).toEqual([{
      source: '10.0.1.0/28',
      destination: 'MBR',
      rule: 'from 10.0.1.0/28',
      protocol: 'tcp',
      fromPort: 3306,
      toPort: 3306,
      reason: 'wider than the plan: tcp 3306 from 10.0.1.0/28, where the plan needs only MBR (not needed: 10.0.1.0/30, 10.0.1.6/31, 10.0.1.8/29)',
    }]);
  });

  test('findings come in the order of the first instance where the rule lets something through', () => {
    // One group on both members: SSH from A (nothing at A itself, extra at B), and 3306 from a network the plan does not use.
    const shared = policy('sg-members', rule('ssh from A', A, tcp(22, 22, A)), rule('from 10.0.9.0/24', '10.0.9.0/24', tcp(3306, 3306, '10.0.9.0/24')));
    const report = compare(flows, endpoints, { instances: [placed(A, [shared]), placed(B, [shared])], unresolved: [] });
    expect(report.extra.map(f => `${f.rule} | ${f.source} | ${f.protocol} ${f.fromPort}-${f.toPort} | ${f.reason}`)).toEqual([
      'from 10.0.9.0/24 | 10.0.9.0/24 | tcp 3306-3306 | no row needs tcp 3306 from 10.0.9.0/24',
      `ssh from A | ${A} | tcp 22-22 | no row needs tcp 22 from ${A}`,
    ]);
  });

  test('overlapping rules: in a security group each is reported for all it allows; in an NSG for what earlier rules leave it', () => {
    const rules = [rule('3306', '10.0.9.0/24', tcp(3306, 3306, '10.0.9.0/24')), rule('3306-3307', '10.0.9.0/24', tcp(3306, 3307, '10.0.9.0/24'))];
    const extra = (p: Policy) => compare(flows, endpoints, { instances: [placed(A, [p])], unresolved: [] }).extra.map(f => `${f.rule}: ${f.fromPort}-${f.toPort} ${f.reason}`);
    expect(extra(policy('sg-a', ...rules))).toEqual([
      '3306: 3306-3306 no row needs tcp 3306 from 10.0.9.0/24',
      '3306-3307: 3306-3307 no row needs tcp 3306-3307 from 10.0.9.0/24',
    ]);
    expect(extra(nsg('NSG a', ...rules))).toEqual([
      '3306: 3306-3306 no row needs tcp 3306 from 10.0.9.0/24',
      '3306-3307: 3307-3307 no row needs tcp 3307 from 10.0.9.0/24',
    ]);
  });
});

describe('the state\'s helpers (lib/audit/state.ts)', () => {
  test('placeHint: nothing when every role is placed, else each unplaced role and the option that would place it', () => {
    expect(placeHint([], 'wears it')).toBe('');
    expect(placeHint([{ title: 'the Domum Gateway', option: '--domum' }, { title: 'the Arbitrator', option: '--arbitrator' }], 'wears it'))
      .toBe('; if the Domum Gateway or the Arbitrator wears it, give --domum or --arbitrator');
  });

  test('decide: in a policy of order any, traffic passes when any rule allows it (a deny rule takes nothing away); first match: in order', () => {
    // From 10.0.1.4/30 (.4-.7) on tcp 3306: a deny rule on the whole /24, then an allow rule on .4/31.
    const rules = [rule('deny /24', '10.0.1.0/24', tcp(3306, 3306, '10.0.1.0/24'), { allow: false }), rule('allow .4/31', '10.0.1.4/31', tcp(3306, 3306, '10.0.1.4/31'))];
    const of = (order: Policy['order']) => {
      const d = decide({ name: 'p', order, rules, maybe: [] }, set('10.0.1.4/30'), 'tcp', 3306);
      return { allowed: d.allowed.toStrings(), deniedBy: d.deniedBy };
    };
    expect(of('any')).toEqual({ allowed: ['10.0.1.4/31'], deniedBy: [] });
    expect(of('first-match')).toEqual({ allowed: [], deniedBy: ['deny /24'] });
  });
});
