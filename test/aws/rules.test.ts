/**
 * The AWS renderer (lib/aws/rules.ts) without synthesis: `checkQuotas` on its own,
 * `layoutAllOrFail` on layout units written here (each error's text exact), and the
 * groups `createGroups` makes. test/aws/capacity.test.ts checks the same errors through
 * synthesis, on estates of realistic size.
 */
import { App, CfnParameter, Fn, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import '../support/fast-synth';
import { build } from './helpers';
import { DomumGateway, SeguraCluster } from '../../lib/aws';
import { Layout, LayoutUnit } from '../../lib/aws/layout';
import {
  acceptsMoves, checkQuotas, checkVpc, createGroups, fileKeys, holderRules, HolderRules, layoutAllOrFail, movedMessage, ruleIdOf, withCovers,
} from '../../lib/aws/rules';
import { FirewallPlan, Role } from '../../lib/core';
import { renderContext } from '../../lib/core/render-context';
import { SeguraValidationError } from '../../lib/errors';
import { awsStack } from '../support/aws-cluster';
import { ruleFacts, synthTemplates } from '../support/aws-evaluator';

/** A peer of `role` with `egress` outbound rules (and none inbound). */
const unit = (key: string, role: Role, rank: number, egress: number, extra: Partial<LayoutUnit> = {}): LayoutUnit => ({
  key, role, order: 0, rank, pinned: false, family: 'ipv4', weight: 1, rules: { ingress: 0, egress }, ...extra,
});
const holder = (units: LayoutUnit[], role: Role = Role.PRD): { rules: HolderRules; where: string } =>
  ({ rules: { holder: role, units, rules: new Map() }, where: 'here' });
const devices = (n: number, egress: number) => Array.from({ length: n }, (_, i) => unit(`d${i}`, Role.DVC, i, egress));

function errorOf(f: () => unknown): SeguraValidationError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SeguraValidationError);
    return e as SeguraValidationError;
  }
  throw new Error('no error');
}

describe('checkQuotas', () => {
  test('defaults: 60 rules, and as many groups as AWS\'s 1,000 rules per interface allow, at most 4', () => {
    expect(checkQuotas(undefined, undefined)).toEqual({ quota: 60, maxGroups: 4 });
    expect(checkQuotas(250, undefined)).toEqual({ quota: 250, maxGroups: 4 });
    expect(checkQuotas(300, undefined)).toEqual({ quota: 300, maxGroups: 3 });
    expect(checkQuotas(1000, undefined)).toEqual({ quota: 1000, maxGroups: 1 });
    expect(checkQuotas(100, 10)).toEqual({ quota: 100, maxGroups: 10 });
  });

  test('their product over 1,000 is refused, naming maxSecurityGroups', () => {
    expect(errorOf(() => checkQuotas(100, 11)).message).toBe('maxSecurityGroups: 11 groups of ruleQuota 100 rules make 1100 rules per network interface; '
      + 'AWS allows at most 1000 (rules per group × groups per interface)');
    expect(errorOf(() => checkQuotas(0, undefined)).message).toBe('ruleQuota: 0 is not a rule quota; expected an integer within 1-1000');
    expect(errorOf(() => checkQuotas(60, 17)).message).toBe('maxSecurityGroups: 17 is not a number of security groups; expected an integer within 1-16');
  });

  test('a deploy-time quota: laid out for the default, 4 groups, and said so on the scope', () => {
    const stack = new Stack(new App(), 'S');
    const infos = () => stack.node.metadata.filter(m => m.type === 'aws:cdk:info').map(m => String(m.data));
    expect(checkQuotas(Token.asNumber({ Ref: 'Quota' }), undefined, stack)).toEqual({ quota: 60, maxGroups: 4 });
    expect(checkQuotas(Token.asNumber({ Ref: 'Quota' }), 16)).toEqual({ quota: 60, maxGroups: 16 });
    expect(infos()).toEqual(['ruleQuota is a deploy-time value (a token): the groups are laid out for AWS\'s default of 60 rules per group, direction and '
      + 'address family, and not checked against your quota at synth. Give ruleQuota as a number to lay them out for it.']);
    expect(checkQuotas(60, undefined, stack)).toEqual({ quota: 60, maxGroups: 4 });
    expect(infos()).toHaveLength(1);
  });
});

describe('layoutAllOrFail: the numbers and the ways out', () => {
  const noPeers = new Map<Role, never[]>();

  test('too many rules for the count: how many of the largest role\'s peers fit, and the ways out that work', () => {
    // 3 devices of 2 outbound rules in 1 group of 4: 6 rules, 4 fit; the first 2 devices fit.
    expect(errorOf(() => layoutAllOrFail([holder(devices(3, 2))], 4, 1, noPeers)).message).toBe(
      'devices: the PRD instances (here) need 6 outbound ipv4 rules, but 1 security group (maxSecurityGroups) of 4 rules (ruleQuota) hold at most 4. '
      + 'devices: 3 peers need 2 outbound rules each; the first 2 fit beside the other rules. '
      + 'Ways out: aggregate devices into fewer, wider prefixes; or raise the rules-per-group quota with AWS and set ruleQuota '
      + '(ruleQuota × maxSecurityGroups may reach 1000); or let the library use all of AWS\'s default 5 groups per interface when the instances '
      + 'wear no group of your own (maxSecurityGroups: 5; up to 16 at ruleQuota 4 after a quota increase).');
  });

  test('one peer, or only the first, or none fits; groups in the plural; more groups suggested past AWS\'s default', () => {
    // 2 devices of 3 rules in 2 groups of 2: each device's 3 rules fit 4 alone, not 6 together.
    expect(errorOf(() => layoutAllOrFail([holder(devices(2, 3))], 2, 2, noPeers)).message).toBe(
      'devices: the PRD instances (here) need 6 outbound ipv4 rules, but 2 security groups (maxSecurityGroups) of 2 rules (ruleQuota) hold at most 4. '
      + 'devices: 2 peers need 3 outbound rules each; only the first fits beside the other rules. '
      + 'Ways out: aggregate devices into fewer, wider prefixes; or raise the rules-per-group quota with AWS and set ruleQuota '
      + '(ruleQuota × maxSecurityGroups may reach 1000); or let the library use all of AWS\'s default 5 groups per interface when the instances '
      + 'wear no group of your own (maxSecurityGroups: 5; up to 16 at ruleQuota 2 after a quota increase).');
    // One device of 5 rules beside a mail server's 2, in 6 groups of 1: none fits; 6 groups, fewer than the 16 AWS allows at quota 1.
    expect(errorOf(() => layoutAllOrFail([holder([...devices(1, 5), unit('m', Role.MAIL_SERVER, 0, 2)])], 1, 6, noPeers)).message).toBe(
      'devices: the PRD instances (here) need 7 outbound ipv4 rules, but 6 security groups (maxSecurityGroups) of 1 rules (ruleQuota) hold at most 6. '
      + 'devices: its one peer needs 5 outbound rules, which do not fit beside the other rules. '
      + 'Ways out: aggregate devices into fewer, wider prefixes; or raise the rules-per-group quota with AWS and set ruleQuota '
      + '(ruleQuota × maxSecurityGroups may reach 1000); or allow more groups per interface (maxSecurityGroups, up to 16 at ruleQuota 1; AWS\'s default is 5).');
    // At 16 groups of 62 (992 rules): neither more groups nor the fifth default group is suggested.
    expect(errorOf(() => layoutAllOrFail([holder(devices(2, 500))], 62, 16, noPeers)).message).toBe(
      'devices: the PRD instances (here) need 1000 outbound ipv4 rules, but 16 security groups (maxSecurityGroups) of 62 rules (ruleQuota) hold at most 992. '
      + 'devices: 2 peers need 500 outbound rules each; only the first fits beside the other rules. '
      + 'Ways out: aggregate devices into fewer, wider prefixes; or raise the rules-per-group quota with AWS and set ruleQuota '
      + '(ruleQuota × maxSecurityGroups may reach 1000).');
    // At 1000 rules per interface nothing more can be raised.
    expect(errorOf(() => layoutAllOrFail([holder(devices(2, 600))], 1000, 1, noPeers)).message).toBe(
      'devices: the PRD instances (here) need 1200 outbound ipv4 rules, but 1 security group (maxSecurityGroups) of 1000 rules (ruleQuota) hold at most 1000. '
      + 'devices: 2 peers need 600 outbound rules each; only the first fits beside the other rules. '
      + 'Ways out: aggregate devices into fewer, wider prefixes.');
  });

  test('prefix lists: a rule counts its max entries; one larger than a group, and weights that do not pack', () => {
    const list = (key: string, weight: number, egress: number, rank = 0) => unit(key, Role.DVC, rank, egress, { weight });
    expect(errorOf(() => layoutAllOrFail([holder([list('pl', 70, 1)])], 60, 4, noPeers)).message).toBe(
      'devices: the PRD instances (here) need an outbound rule toward a prefix list of 70 max entries, which counts 70 ipv4 rules, '
      + 'but a security group holds at most 60 (ruleQuota). devices: its one peer needs up to 70 outbound rules, which do not fit beside the other rules. '
      + 'Ways out: aggregate devices into fewer, wider prefixes; or raise the rules-per-group quota with AWS and set ruleQuota '
      + '(ruleQuota × maxSecurityGroups may reach 1000); or let the library use all of AWS\'s default 5 groups per interface when the instances '
      + 'wear no group of your own (maxSecurityGroups: 5; up to 16 at ruleQuota 60 after a quota increase).');
    // Three rules of 40 in 2 groups of 60: 120 within the capacity, but no two share a group.
    expect(errorOf(() => layoutAllOrFail([holder([list('pl', 40, 3)])], 60, 2, noPeers)).message).toBe(
      'devices: the PRD instances (here) need 120 outbound ipv4 rules (a rule toward a prefix list counts its max entries), within the 120 that '
      + '2 security groups (maxSecurityGroups) of 60 rules (ruleQuota) hold, but they do not pack into them: placed largest first (rules of up to 40), '
      + 'each into the first group with room, some rule finds none. devices: its one peer needs up to 120 outbound rules, which do not fit beside the other rules. '
      + 'Ways out: aggregate devices into fewer, wider prefixes; or raise the rules-per-group quota with AWS and set ruleQuota '
      + '(ruleQuota × maxSecurityGroups may reach 1000); or let the library use all of AWS\'s default 5 groups per interface when the instances '
      + 'wear no group of your own (maxSecurityGroups: 5; up to 16 at ruleQuota 60 after a quota increase).');
  });

  test('the ways out that work, by quota and groups', () => {
    // Two devices of 600 outbound rules each overflow every setting below; only the ways out differ.
    const waysOut = (quota: number, maxGroups: number) =>
      errorOf(() => layoutAllOrFail([holder(devices(2, 600))], quota, maxGroups, noPeers)).message.split(' Ways out: ')[1];
    const AGGREGATE = 'aggregate devices into fewer, wider prefixes';
    const RAISE = 'raise the rules-per-group quota with AWS and set ruleQuota (ruleQuota × maxSecurityGroups may reach 1000)';
    // 100 x 10 is the 1,000 AWS allows: nothing to raise.
    expect(waysOut(100, 10)).toBe(`${AGGREGATE}.`);
    // 100 x 4: the fifth group, and up to 10 of 100 after a quota increase.
    expect(waysOut(100, 4)).toBe(`${AGGREGATE}; or ${RAISE}; or let the library use all of AWS's default 5 groups per interface when the instances `
      + 'wear no group of your own (maxSecurityGroups: 5; up to 10 at ruleQuota 100 after a quota increase).');
    // 200 x 4: five groups of 200 are exactly 1,000.
    expect(waysOut(200, 4)).toBe(`${AGGREGATE}; or ${RAISE}; or let the library use all of AWS's default 5 groups per interface when the instances `
      + 'wear no group of your own (maxSecurityGroups: 5; up to 5 at ruleQuota 200 after a quota increase).');
    // 250 x 3: five groups of 250 are too many; four are the most.
    expect(waysOut(250, 3)).toBe(`${AGGREGATE}; or ${RAISE}; or allow more groups per interface (maxSecurityGroups, up to 4 at ruleQuota 250; AWS's default is 5).`);
    // 250 x 4: the most already.
    expect(waysOut(250, 4)).toBe(`${AGGREGATE}.`);
    // 60 x 5: AWS's default already; more groups after a quota increase.
    expect(waysOut(60, 5)).toBe(`${AGGREGATE}; or ${RAISE}; or allow more groups per interface (maxSecurityGroups, up to 16 at ruleQuota 60; AWS's default is 5).`);
  });

  test('inbound, none of several peers fits; a prefix list as large as a group that still does not pack; a prefix list to shrink', () => {
    const inbound = [0, 1].map(i => unit(`u${i}`, Role.USERW, i, 0, { rules: { ingress: 5, egress: 0 } }));
    expect(errorOf(() => layoutAllOrFail([holder(inbound)], 4, 1, noPeers)).message).toMatch(
      /^users: the PRD instances \(here\) need 10 inbound ipv4 rules, .* users: 2 peers need 5 inbound rules each; none fits beside the other rules\./);
    // Rules of 60, 40, 40 and 40 in 3 groups of 60: 180 of 180, but the last 40 finds no group.
    const lists = [unit('a', Role.DVC, 0, 1, { family: 'both', weight: 60 }), unit('b', Role.DVC, 1, 3, { family: 'both', weight: 40 })];
    expect(errorOf(() => layoutAllOrFail([holder(lists)], 60, 3, noPeers)).message).toMatch(
      /^devices: the PRD instances \(here\) need 180 outbound ipv4 rules \(a rule toward a prefix list counts its max entries\), within the 180 that .* do not pack/);
    // A prefix list of 10 max entries holding 2: lowering them is a way out; a full one is not.
    const stack = new Stack(new App(), 'S');
    const roomy = new ec2.PrefixList(stack, 'Roomy', { maxEntries: 10, entries: [{ cidr: '10.1.0.0/16' }, { cidr: '10.2.0.0/16' }] });
    const full = new ec2.PrefixList(stack, 'Full', { maxEntries: 2, entries: [{ cidr: '10.3.0.0/16' }, { cidr: '10.4.0.0/16' }] });
    // Beside them, peers that offer no such way out: a CIDR (no construct), an imported list (no resource here), an empty
    // list (given entries later), lists whose size or entries are deploy-time values.
    const size = new CfnParameter(stack, 'Size', { type: 'Number' });
    const later = new ec2.PrefixList(stack, 'Later', { maxEntries: 10 });
    const sized = new ec2.PrefixList(stack, 'Sized', { maxEntries: size.valueAsNumber, entries: [{ cidr: '10.5.0.0/16' }] });
    const listed = new ec2.PrefixList(stack, 'Listed', { maxEntries: 10 });
    (listed.node.defaultChild as ec2.CfnPrefixList).entries = Lazy.any({ produce: () => [{ cidr: '10.6.0.0/16' }] });
    const withLists = [unit('pl', Role.DVC, 0, 7, { family: 'both', weight: 10 })];
    const byRole = new Map([[Role.DVC, [ec2.Peer.ipv4('10.0.0.0/16'), ec2.PrefixList.fromPrefixListId(stack, 'Imported', 'pl-1234'),
      roomy, full, later, sized, listed] as unknown as ec2.IPeer[]]]);
    const message = errorOf(() => layoutAllOrFail([holder(withLists)], 60, 1, byRole)).message;
    expect(message).toContain('aggregate devices into fewer, wider prefixes; or lower the maxEntries of prefix list S/Roomy from 10 to 2; or raise');
    expect(message.match(/lower the maxEntries/g)).toHaveLength(1);
  });

  test('two holders, neither with a largest role (references only): the error names ruleQuota', () => {
    const refs = [0, 1, 2].map(i => unit(`role:${i}`, Role.MBR, 0, 1, { pinned: true, family: 'both' }));
    expect(errorOf(() => layoutAllOrFail([holder(refs), holder(refs, Role.MBR)], 1, 2, noPeers)).message).toMatch(/^ruleQuota: the PRD instances/);
  });

  test('references to the nodes only: the error names ruleQuota and no role', () => {
    const refs = [0, 1, 2].map(i => unit(`role:${i}`, Role.MBR, 0, 1, { pinned: true, family: 'both' }));
    expect(errorOf(() => layoutAllOrFail([holder(refs)], 1, 2, noPeers))).toMatchObject({
      message: 'ruleQuota: the PRD instances (here) need 3 outbound ipv4 rules, but 2 security groups (maxSecurityGroups) of 1 rules (ruleQuota) hold at most 2. '
        + 'Ways out: raise the rules-per-group quota with AWS and set ruleQuota (ruleQuota × maxSecurityGroups may reach 1000); '
        + 'or let the library use all of AWS\'s default 5 groups per interface when the instances wear no group of your own '
        + '(maxSecurityGroups: 5; up to 16 at ruleQuota 1 after a quota increase).',
    });
  });

  test('two holders: the first that does not fit is named, and the peers that fit are counted on both', () => {
    // The members: 3 devices of 2 outbound rules in a group of 4 (alone, the first 2 fit). The Primary: the same
    // devices with 1, 4 and 1 rules (alone, only the first fits). Both overflow; the members come first.
    const mbr = holder(devices(3, 2), Role.MBR);
    const prd = holder([unit('d0', Role.DVC, 0, 1), unit('d1', Role.DVC, 1, 4), unit('d2', Role.DVC, 2, 1)], Role.PRD);
    const head = 'devices: the MBR instances (here) need 6 outbound ipv4 rules, but 1 security group (maxSecurityGroups) of 4 rules (ruleQuota) hold at most 4. '
      + 'devices: 3 peers need 2 outbound rules each; ';
    expect(errorOf(() => layoutAllOrFail([mbr], 4, 1, noPeers)).message).toMatch(`${head}the first 2 fit beside the other rules.`);
    expect(errorOf(() => layoutAllOrFail([mbr, prd], 4, 1, noPeers)).message).toMatch(`${head}only the first fits beside the other rules.`);
    expect(layoutAllOrFail([holder(devices(3, 1))], 4, 1, noPeers).map(l => l.groups)).toEqual([1]);
  });
});

describe('createGroups', () => {
  test('a holder\'s groups: its ID, then ID2, ID3 (construct IDs are a contract); the overflow groups say so; no outbound rule of their own', () => {
    const stack = new Stack(new App(), 'S');
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['eu-west-1a'] });
    const groups = createGroups(stack, 'PrimarySecurityGroup', 3, vpc, 'Segura PRD');
    expect(groups.map(g => [g.node.id, (g.node.defaultChild as ec2.CfnSecurityGroup).groupDescription, g.allowAllOutbound])).toEqual([
      ['PrimarySecurityGroup', 'Segura PRD', false],
      ['PrimarySecurityGroup2', 'Segura PRD (overflow group 2)', false],
      ['PrimarySecurityGroup3', 'Segura PRD (overflow group 3)', false],
    ]);
  });
});

describe('holderRules', () => {
  test('one unit per peer: its rules per direction; a peer of two roles counts under the first in the role table, at its place in that role\'s list', () => {
    const flows = FirewallPlan.flows({ peerRoles: [Role.USERW, Role.DVC, Role.NTP_SERVER], clusterMembers: false });
    const [p, q, r] = ['10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16'].map(c => ec2.Peer.ipv4(c));
    // q is both a user network and an NTP server (whose row comes first in the document, its role later in the table);
    // p is listed twice among the users.
    const peers = new Map<Role, ec2.IPeer[]>([[Role.USERW, [p, q, p]], [Role.DVC, [r]], [Role.NTP_SERVER, [q]]]);
    const [prd] = holderRules(renderContext(() => false), flows, [Role.PRD], role => peers.get(role) ?? [role]);
    const units = prd.units.filter(u => !u.pinned).sort((a, b) => a.key.localeCompare(b.key))
      .map(u => [u.key, u.role, u.rank, u.family, u.weight, u.rules.ingress, u.rules.egress]);
    // Users: 22, 80, 443 and 3389 in; NTP: 123/udp out; devices: 11 port ranges out (22-23, 80, 135, 139, 443, 445, 1433, 3306, 3389, 5432, 7443).
    expect(units).toEqual([
      ['10.1.0.0/16', Role.USERW, 0, 'ipv4', 1, 4, 0],
      ['10.2.0.0/16', Role.USERW, 1, 'ipv4', 1, 4, 1],
      ['10.3.0.0/16', Role.DVC, 0, 'ipv4', 1, 0, 11],
    ]);
    // Each unit's rules, in the order written: the rule list of every unit holds rules only.
    expect([...prd.rules.values()].every(list => list.every(rule => typeof rule === 'object' && (rule.direction === 'ingress' || rule.direction === 'egress')))).toBe(true);
    expect(prd.rules.get('10.2.0.0/16')!.map(rule => `${rule.direction} ${rule.protocol} ${rule.range.from}`))
      .toEqual(['egress udp 123', 'ingress tcp 22', 'ingress tcp 80', 'ingress tcp 443', 'ingress tcp 3389']);
    // Each rule's identity in the layout file, per direction: its protocol and ports.
    expect(prd.units.find(u => u.key === '10.2.0.0/16')!.ids).toEqual({ ingress: ['tcp:22', 'tcp:80', 'tcp:443', 'tcp:3389'], egress: ['udp:123'] });
  });
});

describe('checkVpc', () => {
  test('a vpc is required, and is anything with a vpcId', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => checkVpc(ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['eu-west-1a'] }), 'an ec2.IVpc')).not.toThrow();
    expect(errorOf(() => checkVpc(undefined, 'the VPC of the instances')).message).toBe('vpc: is required (the VPC of the instances)');
    expect(errorOf(() => checkVpc(null, 'the VPC of the instances')).message).toBe('vpc: is required (the VPC of the instances)');
    expect(errorOf(() => checkVpc('vpc-1', 'an ec2.IVpc')).message).toBe('vpc: expected an ec2.IVpc, got "vpc-1"');
    expect(errorOf(() => checkVpc({ vpcId: 1 }, 'an ec2.IVpc')).message).toBe('vpc: expected an ec2.IVpc, got {"vpcId":1}');
    expect(errorOf(() => checkVpc(Object.assign(() => 0, { vpcId: 'vpc-1' }), 'an ec2.IVpc')).message).toBe('vpc: expected an ec2.IVpc, got a function');
  });
});

describe('the rules written', () => {
  test('a deploy-time port keeps its row\'s protocol (NTP on udp)', () => {
    const stack = new Stack(new App(), 'S');
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['eu-west-1a'] });
    const ntpPort = new CfnParameter(stack, 'NtpPort', { type: 'Number', default: 123 }).valueAsNumber;
    const cluster = new SeguraCluster(stack, 'Segura', {
      vpc, management: { ntp: [ec2.Peer.ipv4('10.30.0.1/32')], dns: [ec2.Peer.ipv4('10.30.0.2/32')] }, portOverrides: { 'MGT-NTP': ntpPort },
    });
    const facts = ruleFacts(synthTemplates(stack.node.root as App)).filter(f => f.peer.startsWith('cidr:10.30.'));
    // On the Primary's group and the members' (the cluster note), each once.
    expect(facts.map(f => `${f.direction} ${f.peer} ${f.protocol} ${JSON.stringify(f.fromPort)}-${JSON.stringify(f.toPort)}`).sort()).toEqual([
      'egress cidr:10.30.0.1/32 udp {"Ref":"NtpPort"}-{"Ref":"NtpPort"}',
      'egress cidr:10.30.0.1/32 udp {"Ref":"NtpPort"}-{"Ref":"NtpPort"}',
      'egress cidr:10.30.0.2/32 udp 53-53',
      'egress cidr:10.30.0.2/32 udp 53-53',
    ]);
    expect(new Set(facts.map(f => f.group)).size).toBe(2);
    expect(cluster.primarySecurityGroup).toBeDefined();
  });

  test('adjacent udp ports toward one peer are one udp range (one server for DNS, and NTP moved next to it)', () => {
    const { app, stack, vpc } = awsStack('S');
    const server = ec2.Peer.ipv4('10.30.0.9/32');
    new SeguraCluster(stack, 'Segura', { vpc, management: { dns: [server], ntp: [server] }, portOverrides: { 'MGT-NTP': 54 } });
    const facts = ruleFacts(synthTemplates(app)).filter(f => f.peer === 'cidr:10.30.0.9/32');
    expect([...new Set(facts.map(f => `${f.direction} ${f.protocol} ${f.fromPort}-${f.toPort}`))]).toEqual(['egress udp 53-54']);
  });

  test('spread over groups: each rule written once, in the group the layout gives it', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-1', availabilityZones: ['eu-west-1a'] });
    // Three device networks of 11 outbound rules each, in groups of 20: the Primary needs more groups.
    const networks = ['10.20.0.0/16', '10.22.0.0/16', '10.24.0.0/16'].map(c => ec2.Peer.ipv4(c));
    const cluster = new SeguraCluster(stack, 'Segura', { vpc, devices: networks, ruleQuota: 20, maxSecurityGroups: 4 });
    const groups = cluster.primarySecurityGroups.map(g => `S/${stack.getLogicalId(g.node.defaultChild as ec2.CfnSecurityGroup)}`);
    expect(groups.length).toBeGreaterThan(1);
    const toDevices = ruleFacts(synthTemplates(app)).filter(f => groups.includes(f.group) && f.peer.startsWith('cidr:10.2'));
    const text = (f: { peer: string; protocol: string; fromPort: number; toPort: number }) => `${f.peer} ${f.protocol} ${f.fromPort}-${f.toPort}`;
    // 33 rules, none twice; each peer's 11 in one group or split, 20 at most in a group with the references and the rest.
    expect(toDevices).toHaveLength(33);
    expect(new Set(toDevices.map(text)).size).toBe(33);
    expect(groups.map(g => toDevices.filter(f => f.group === g).length).reduce((a, b) => a + b, 0)).toBe(33);
    expect(toDevices.filter(f => f.group !== groups[0]).length).toBeGreaterThan(0);
  });

  test('rules written apart from their groups (a Domum Gateway in another stack) keep their logical IDs, each named after its port', () => {
    const templates = synthTemplates(build({}, 'other').app);
    const separate = Object.entries<any>(templates.Domum.Resources).filter(([, r]) => /^AWS::EC2::SecurityGroup(Ingress|Egress)$/.test(r.Type)).map(([id]) => id);
    // As released: a logical ID is a contract (a changed one replaces the rule on deployment).
    expect(separate.sort()).toEqual([
      'DomumSecurityGroupClusterSeguraMemberSecurityGroupA489CADB443from4C14A3D0',
      'DomumSecurityGroupClusterSeguraMemberSecurityGroupA489CADB443to169ABC0D',
      'DomumSecurityGroupClusterSeguraMemberSecurityGroupA489CADB51445from8EB54996',
      'DomumSecurityGroupClusterSeguraMemberSecurityGroupA489CADB51445toA3C7A9ED',
      'DomumSecurityGroupClusterSeguraPrimarySecurityGroup7DE696FA443fromF6D82B35',
      'DomumSecurityGroupClusterSeguraPrimarySecurityGroup7DE696FA443to45E688A8',
      'DomumSecurityGroupClusterSeguraPrimarySecurityGroup7DE696FA51445fromDB154049',
      'DomumSecurityGroupClusterSeguraPrimarySecurityGroup7DE696FA51445to24A31538',
      'DomumSecurityGroupfromClusterSeguraMemberSecurityGroupA489CADB4433F101879',
      'DomumSecurityGroupfromClusterSeguraMemberSecurityGroupA489CADB51445FDF2A4AA',
      'DomumSecurityGroupfromClusterSeguraPrimarySecurityGroup7DE696FA44392642FE5',
      'DomumSecurityGroupfromClusterSeguraPrimarySecurityGroup7DE696FA514459F989F54',
      'DomumSecurityGrouptoClusterSeguraMemberSecurityGroupA489CADB443262EC8AC',
      'DomumSecurityGrouptoClusterSeguraMemberSecurityGroupA489CADB51445763641A8',
      'DomumSecurityGrouptoClusterSeguraPrimarySecurityGroup7DE696FA44347E37C5E',
      'DomumSecurityGrouptoClusterSeguraPrimarySecurityGroup7DE696FA51445313E6DB0',
    ]);
  });

  test('rules on deploy-time ports written apart from their groups: one each, however many share a peer and a protocol', () => {
    const { app, stack, vpc } = awsStack('Cluster');
    const port = (id: string, fallback: number) => new CfnParameter(stack, id, { type: 'Number', default: fallback }).valueAsNumber;
    // Both Domum rows from the nodes on ports known at deploy time, toward one group on tcp.
    const cluster = new SeguraCluster(stack, 'Segura', { vpc, portOverrides: { 'DOM-P2D-WSS': port('Wss', 8443), 'DOM-P2D-WEBSOCKET': port('WebSocket', 51446) } });
    new DomumGateway(new Stack(app, 'Domum'), 'Domum', { vpc, cluster });
    const templates = synthTemplates(app);
    const onTokens = Object.values<any>(templates.Domum.Resources)
      .filter(r => /^AWS::EC2::SecurityGroup(Ingress|Egress)$/.test(r.Type) && typeof r.Properties.FromPort === 'object');
    // Each row: the nodes' egress (the Primary's group and the members') and Domum's ingress from each, all written in Domum's stack.
    const imported = (name: string) => `{"Fn::ImportValue":"Cluster:ExportsOutputRef${name}"}`;
    expect(onTokens.map(r => `${r.Type} ${JSON.stringify(r.Properties.FromPort)}`).sort()).toEqual(['Egress', 'Ingress'].flatMap(kind =>
      [imported('WebSocketF8B067D8'), imported('WssFF5DAD70')].flatMap(p => [`AWS::EC2::SecurityGroup${kind} ${p}`, `AWS::EC2::SecurityGroup${kind} ${p}`])));
  });
});

describe('the layout file\'s helpers', () => {
  test('ruleIdOf: protocol and port, or port range; a deploy-time port by the IDs of the flows it serves', () => {
    const context = renderContext(Token.isUnresolved);
    const rule = (from: number, to: number, ids: string[], protocol = 'tcp') =>
      ({ protocol, range: { from, to }, flows: ids.map(id => ({ id })) }) as unknown as Parameters<typeof ruleIdOf>[1];
    expect(ruleIdOf(context, rule(443, 443, ['A']))).toBe('tcp:443');
    expect(ruleIdOf(context, rule(22, 23, ['A', 'B']))).toBe('tcp:22-23');
    const port = Token.asNumber({ resolve: () => 123 });
    expect(ruleIdOf(context, rule(port, port, ['MGT-NTP', 'MGT-NTP#124'], 'udp'))).toBe('udp:MGT-NTP,MGT-NTP#124');
  });

  test('acceptsMoves: the context value is true or false, or their strings; absent is false; anything else an error naming it', () => {
    const scope = (value?: unknown) => new Stack(new App(value === undefined ? {} : { context: { 'segura-constructs:acceptLayoutMoves': value } }), 'S');
    expect([undefined, false, 'false', true, 'true'].map(v => acceptsMoves(scope(v)))).toEqual([false, false, false, true, true]);
    const error = errorOf(() => acceptsMoves(scope(1)));
    expect(error.message).toBe('context segura-constructs:acceptLayoutMoves: is 1; expected true or false');
  });

  test('fileKeys: a key made only of CloudFormation expressions by their JSON, unless two keys or an existing key would share it', () => {
    const stack = new Stack(new App(), 'S');
    const [a, b1, b2, c] = [Fn.importValue('A'), Fn.importValue('B'), Fn.importValue('B'), Fn.importValue('C')];
    const mixed = `${Fn.importValue('D')}/${Lazy.string({ produce: () => 'x' })}`;
    const keys = [a, '{"Fn::ImportValue":"A"}', b1, b2, c, mixed, '10.0.0.0/8'];
    const u = (key: string) => unit(key, Role.DVC, 0, 1);
    // a would take the key of the unit given literally; b1 and b2 would share one; mixed holds a Lazy (not resolved early);
    // '10.0.0.0/8' is no token: only c is recorded by its expression.
    expect(fileKeys(stack, keys.map(u))).toEqual(new Map([[c, '{"Fn::ImportValue":"C"}']]));
  });

  test('withCovers: each CIDR unit with the recorded CIDR peers that are gone and that it contains, in the record\'s order', () => {
    const units = ['10.0.0.0/23', 'role:DOMUM', '10.1.0.0/24', '10.1.0.0/16'].map((key, i) => unit(key, Role.DVC, i, 1));
    const previous = {
      ingress: new Map([['10.0.1.0/24 tcp:22', 1], ['role:DOMUM tcp:443', 0], ['10.0.0.0/24 tcp:22', 0], ['10.1.0.0/24 tcp:22', 0]]),
      egress: new Map([['10.0.0.0/24 tcp:80', 0], ['10.2.0.0/24 tcp:80', 1], ['role:ARB tcp:80', 0]]),
    };
    // 10.0.1.0/24 and 10.0.0.0/24 are gone, inside 10.0.0.0/23; 10.2.0.0/24 is gone but inside none; 10.1.0.0/24 is still
    // there (the /16 does not take it); role:ARB is no CIDR.
    expect(withCovers(units, previous)).toStrictEqual([
      { ...units[0], covers: ['10.0.1.0/24', '10.0.0.0/24'] }, units[1], units[2], units[3],
    ]);
    // Nothing gone: the units as they are.
    expect(withCovers(units.slice(2), { ingress: new Map([['10.1.0.0/24 tcp:22', 0]]), egress: new Map() })).toStrictEqual(units.slice(2));
  });

  const layoutOf = (moved: Layout['moved'], fallback: Layout['fallback']): Layout =>
    ({ groups: 3, placement: new Map(), stage: { ingress: 'stable', egress: 'stable' }, spilled: { ingress: [], egress: [] }, moved, fallback });
  const lay = { rules: { holder: Role.PRD, units: [], rules: new Map() }, where: 'S/X (PRD)', file: { key: 'S/X/G', baseId: 'G' } };

  test('movedMessage: one rule, its reason only for the direction where rules moved (not accepted)', () => {
    const layout = layoutOf([{ direction: 'ingress', key: 'a', rule: 'tcp:22', from: 0, to: 1 }], {
      ingress: { reason: 'beyond', group: 4, maxGroups: 3 },
      egress: { reason: 'over', group: 1, family: 'ipv4', count: 61, quota: 60 },
    });
    expect(movedMessage('f.json', lay, layout, false)).toBe('layoutFile f.json: 1 rule of S/X (PRD) moves to another group (1 from G to G2): '
      + 'the recorded placement no longer holds the configuration (inbound: the file puts rules in G5, but maxSecurityGroups is 3), '
      + 'so the groups are laid out afresh. The peers whose rules move (how many rules): a (1). '
      + 'On deploy each of these rules is revoked in one group and authorized in another, in either order: traffic on it may be refused in between. '
      + 'f.json keeps the recorded placement, so every synth lays these groups out afresh and says so, until you accept the moves: '
      + 'synth once with `-c segura-constructs:acceptLayoutMoves=true` (the file then records the new placement; commit it), or undo the change.');
  });

  test('movedMessage: rules moved both ways, each direction\'s reason, the first 10 peers and how many more (accepted)', () => {
    // q: 1 inbound rule from G to G2; p0: 2 outbound from G to G2; p1..p11: 1 outbound each from G2 to G3. 14 rules, 13 peers.
    const moved: Layout['moved'] = [
      { direction: 'ingress', key: 'q', rule: 'tcp:22', from: 0, to: 1 },
      { direction: 'egress', key: 'p0', rule: 'tcp:1', from: 0, to: 1 },
      { direction: 'egress', key: 'p0', rule: 'tcp:2', from: 0, to: 1 },
      ...Array.from({ length: 11 }, (_, i) => ({ direction: 'egress' as const, key: `p${i + 1}`, rule: 'tcp:1', from: 1, to: 2 })),
    ];
    const layout = layoutOf(moved, { ingress: { reason: 'room', rules: 3 }, egress: { reason: 'over', group: 1, family: 'ipv6', count: 61, quota: 60 } });
    expect(movedMessage('f.json', lay, layout, true)).toBe('layoutFile f.json: 14 rules of S/X (PRD) move to another group (3 from G to G2, 11 from G2 to G3): '
      + 'the recorded placement no longer holds the configuration (inbound: the 3 new rules do not fit in the room the recorded rules leave; '
      + 'outbound: the rules it records in G2 count 61 ipv6 rules, over ruleQuota 60 (a lower quota, or a prefix list with more max entries)), '
      + 'so the groups are laid out afresh. The peers whose rules move (how many rules): '
      + 'q (1), p0 (2), p1 (1), p2 (1), p3 (1), p4 (1), p5 (1), p6 (1), p7 (1), p8 (1) and 3 more. '
      + 'On deploy each of these rules is revoked in one group and authorized in another, in either order: traffic on it may be refused in between. '
      + 'f.json now records the new placement (segura-constructs:acceptLayoutMoves is true); commit it.');
  });
});
