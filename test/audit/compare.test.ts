/**
 * The audit's comparison (lib/audit/compare.ts) on states written here, without a
 * cloud's export: traffic between instances of one role (members reaching members).
 */
import { AddressSet } from '../../lib/audit/address-set';
import { compare, Endpoints } from '../../lib/audit/compare';
import { Region } from '../../lib/audit/region';
import { Policy, PolicyRule, ProtectedInstance } from '../../lib/audit/state';
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
