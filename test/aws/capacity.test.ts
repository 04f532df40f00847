/**
 * Real estate sizes on AWS: aggregation, overflow groups at AWS's default quotas,
 * honest errors past them, and the helper that puts every group on an instance.
 */
import '../support/fast-synth';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { build, cidr, FULL } from './helpers';
import { DomumGateway, SeguraCluster } from '../../lib/aws';
import { Role } from '../../lib/core';
import { SeguraValidationError } from '../../lib/errors';
import { atoms, expectedAtoms, minus, ruleFacts, rulesPerGroup, synthTemplates } from '../support/aws-evaluator';
import { planOf } from '../support/config-reader';

// Each test synthesizes whole CDK apps, some with thousands of peers.
jest.setTimeout(60_000);

/** n device /24s no aggregation can merge: 10.100.0.0/24, 10.100.2.0/24, ... */
const nonAdjacent = (n: number) => Array.from({ length: n }, (_, i) => `10.${100 + Math.floor(i / 128)}.${(i % 128) * 2}.0/24`);
const errorOf = (run: () => void): Error | undefined => { try { run(); } catch (e) { return e as Error; } return undefined; };

describe('AWS at default quotas (60 rules per direction and group, 4 groups per role)', () => {
  // Every integration (FULL): beside the devices' 11 outbound rules each, the Primary has 31 others: 10 toward the
  // members, room kept for a Domum Gateway (2) and an Arbitrator (5: 3306, 4444, 4567-4568, 9300/tcp, 4567/udp),
  // 13 management, 1 mirror; the members 10 more, toward the Primary: 41. The count bound: 41 + 18 x 11 = 239 <= 240;
  // 41 + 19 x 11 = 250.
  test('every integration and 18 device networks, the count bound: synthesizes within every limit, and allows exactly the plan', () => {
    const options = { ...FULL, devices: nonAdjacent(18).map(cidr) };
    const b = build(options, 'other');
    const facts = ruleFacts(synthTemplates(b.app));
    expect(b.cluster.memberSecurityGroups).toHaveLength(4);
    for (const [role, groups] of b.groups) expect({ role, groups: groups.length <= 4 }).toEqual({ role, groups: true });
    const outbound = (id: string) => [...rulesPerGroup(facts)].filter(([key]) => key.includes(id) && key.endsWith('|egress|ipv4')).map(([, n]) => n).sort();
    // The members: 198 device rules fill the three overflow groups, the last 18 go to the first group's spare room
    // (41 + 18 = 59 counted, 54 written: the 5 kept for an Arbitrator are not, none being attached).
    expect(outbound('MemberSecurityGroup')).toEqual([54, 60, 60, 60]);
    for (const [key, n] of rulesPerGroup(facts)) expect({ key, n: Math.min(n, 61) }).toEqual({ key, n: Math.min(n, 60) });
    const actual = atoms(facts, b.wearers);
    const expected = expectedAtoms(planOf(options, [Role.DOMUM]), new Set(b.groups.keys()), b.peers);
    expect(minus(actual, expected)).toEqual([]);
    expect(minus(expected, actual)).toEqual([]);
  });

  test('19 device networks: an error with the numbers and the ways out that work', () => {
    const e = errorOf(() => build({ ...FULL, devices: nonAdjacent(19).map(cidr) }));
    expect(e).toBeInstanceOf(SeguraValidationError);
    expect(e!.message).toBe('devices: the MBR instances (Cluster/Segura/MemberSecurityGroup (MBR)) need 250 outbound ipv4 rules, '
      + 'but 4 security groups (maxSecurityGroups) of 60 rules (ruleQuota) hold at most 240. devices: 19 peers need 11 outbound rules each; '
      + 'the first 18 fit beside the other rules. Ways out: aggregate devices into fewer, wider prefixes; or raise the rules-per-group quota '
      + 'with AWS and set ruleQuota (ruleQuota × maxSecurityGroups may reach 1000); or let the library use all of AWS\'s default 5 groups '
      + 'per interface when the instances wear no group of your own (maxSecurityGroups: 5; up to 16 at ruleQuota 60 after a quota increase).');
  });

  test('5,000 device networks fail before any rule is created, with the same numbers', () => {
    const e = errorOf(() => build({ ...FULL, devices: nonAdjacent(5000).map(cidr) }));
    expect(e!.message).toMatch(/^devices: the PRD instances \(Cluster\/Segura\/PrimarySecurityGroup \(PRD\)\) need 55031 outbound ipv4 rules, but 4 security groups .* hold at most 240\. devices: 5000 peers need 11 outbound rules each; the first 18 fit/);
  });

  test('raising the quota or the groups per interface makes room; AWS\'s cap on their product is checked', () => {
    // 209 device rules: 60 + 60 + 60 + 29 in the overflow groups (the first group's spare room is used last); 200 + 9.
    expect(build({ ...FULL, devices: nonAdjacent(19).map(cidr), maxSecurityGroups: 5 }).cluster.memberSecurityGroups).toHaveLength(5);
    expect(build({ ...FULL, devices: nonAdjacent(19).map(cidr), ruleQuota: 200 }).cluster.memberSecurityGroups).toHaveLength(3);
    // All of AWS's default 5 groups per interface: 41 + 23 x 11 = 294 <= 300; 24 do not fit.
    expect(build({ ...FULL, devices: nonAdjacent(23).map(cidr), maxSecurityGroups: 5 }).cluster.memberSecurityGroups).toHaveLength(5);
    expect(errorOf(() => build({ ...FULL, devices: nonAdjacent(24).map(cidr), maxSecurityGroups: 5 }))!.message)
      .toMatch(/need 305 outbound ipv4 rules, but 5 security groups \(maxSecurityGroups\) of 60 rules \(ruleQuota\) hold at most 300\. devices: 24 peers need 11 outbound rules each; the first 23 fit/);
    expect(errorOf(() => build({ ruleQuota: 200, maxSecurityGroups: 6 }))!.message)
      .toBe('maxSecurityGroups: 6 groups of ruleQuota 200 rules make 1200 rules per network interface; AWS allows at most 1000 (rules per group × groups per interface)');
  });

  test('a small quota: the references to the nodes spill beyond the first group too', () => {
    // The members' inbound references: 10 from the Primary, 10 from the members, 2 Domum, 5 Arbitrator = 27 > 20.
    const b = build({ ruleQuota: 20 });
    expect(b.cluster.memberSecurityGroups).toHaveLength(2);
    const facts = ruleFacts(synthTemplates(b.app));
    for (const [key, n] of rulesPerGroup(facts)) expect({ key, n: Math.min(n, 21) }).toEqual({ key, n: Math.min(n, 20) });
    expect(minus(atoms(facts, b.wearers), expectedAtoms(b.cluster.flows, new Set(b.groups.keys()), b.peers))).toEqual([]);
    expect(minus(expectedAtoms(b.cluster.flows, new Set(b.groups.keys()), b.peers), atoms(facts, b.wearers))).toEqual([]);
  });
});

describe('AWS: lossless aggregation', () => {
  test('64 adjacent device /24s become one /18: the same addresses, 11 rules instead of 704', () => {
    const devices = Array.from({ length: 64 }, (_, i) => `10.1.${i}.0/24`);
    const options = { devices: devices.map(cidr) };
    const b = build(options);
    const facts = ruleFacts(synthTemplates(b.app));
    expect(new Set(facts.filter(f => f.description!.startsWith('DVC-')).map(f => f.peer))).toEqual(new Set(['cidr:10.1.0.0/18']));
    expect(facts.filter(f => f.description!.startsWith('DVC-') && f.group.includes('Primary'))).toHaveLength(11);
    // The evaluator compares addresses: the /24s the test configured, the /18 the template holds.
    const expected = expectedAtoms(planOf(options), new Set(b.groups.keys()), b.peers);
    expect(minus(atoms(facts, b.wearers), expected)).toEqual([]);
    expect(minus(expected, atoms(facts, b.wearers))).toEqual([]);
    const info = Annotations.fromStack(b.stack).findInfo('/Cluster/Segura', Match.stringLikeRegexp('devices: 64 merged into 1'));
    expect(info.map(i => i.entry.data)).toEqual(['devices: 64 merged into 1 (10.1.0.0/18); the same addresses, fewer rules']);
  });

  test('contained and duplicate prefixes are dropped; IPv6 spellings are one prefix', () => {
    const b = build({ users: [cidr('10.0.0.0/8'), cidr('10.1.0.0/16'), cidr('10.1.0.0/16'), ec2.Peer.ipv6('2001:0db8:0000::/32'), ec2.Peer.ipv6('2001:db8::/32')] });
    const peers = new Set(ruleFacts(synthTemplates(b.app)).filter(f => f.description!.startsWith('USR-')).map(f => f.peer));
    expect(peers).toEqual(new Set(['cidr:10.0.0.0/8', 'cidr6:2001:db8::/32']));
  });
});

describe('AWS: prefix lists count their max entries', () => {
  const withList = (maxEntries: number, entries: number) => () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const list = new ec2.PrefixList(stack, 'Devices', { maxEntries, entries: Array.from({ length: entries }, (_, i) => ({ cidr: `10.${i}.0.0/16` })) });
    const cluster = new SeguraCluster(stack, 'Segura', { vpc, devices: [list] });
    return { cluster, facts: ruleFacts(synthTemplates(app)) };
  };

  test('5 entries x 11 rules spill into a group of their own, within the quota', () => {
    const { cluster, facts } = withList(5, 5)();
    expect(cluster.primarySecurityGroups).toHaveLength(2);
    for (const [key, n] of rulesPerGroup(facts)) {
      const weighted = facts.filter(f => key.startsWith(`${f.group}|${f.direction}|`) && f.peer.startsWith('pl:')).length * 4 + n;
      expect({ key, fits: weighted <= 60 }).toEqual({ key, fits: true });
    }
  });

  /** Every integration, and the users' offices as a prefix list of `maxEntries` max entries (35 entries used). */
  const offices = (maxEntries: number, maxSecurityGroups?: number) => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const list = new ec2.PrefixList(stack, 'Offices', { maxEntries, entries: Array.from({ length: 35 }, (_, i) => ({ cidr: `10.${i}.0.0/16` })) });
    const cluster = new SeguraCluster(stack, 'Segura', { vpc, ...FULL, users: [...FULL.users!, list], maxSecurityGroups });
    return { app, cluster };
  };

  test('a list of 35 max entries: each group holds one of its 4 inbound rules beside the others', () => {
    // Inbound on the Primary: 17 references (7 of them kept for gateways not attached here), 3 backup, 4 toward
    // 10.10.0.0/16 and 4 x 35 toward the list: 164 of 240, 157 written.
    const { app, cluster } = offices(35);
    expect(cluster.primarySecurityGroups).toHaveLength(4);
    const facts = ruleFacts(synthTemplates(app));
    const inbound = new Map<string, number>();
    for (const f of facts.filter(x => x.direction === 'ingress' && x.group.includes('Primary'))) {
      inbound.set(f.group, (inbound.get(f.group) ?? 0) + (f.peer.startsWith('pl:') ? 35 : 1));
    }
    expect([...inbound.values()].every(n => n <= 60)).toBe(true);
    expect([...inbound.values()].reduce((a, b) => a + b, 0)).toBe(157);
  });

  test('rules that count within the capacity but do not pack: the error says so', () => {
    const e = errorOf(() => offices(35, 3));
    expect(e).toBeInstanceOf(SeguraValidationError);
    expect(e!.message).toBe('users: the PRD instances (S/Segura/PrimarySecurityGroup (PRD)) need 164 inbound ipv4 rules (a rule toward a prefix list counts '
      + 'its max entries), within the 180 that 3 security groups (maxSecurityGroups) of 60 rules (ruleQuota) hold, but they do not pack into them: '
      + 'placed largest first (rules of up to 35), each into the first group with room, some rule finds none. users: 2 peers need up to 140 inbound '
      + 'rules each; only the first fits beside the other rules. Ways out: aggregate users into fewer, wider prefixes; or raise the rules-per-group '
      + 'quota with AWS and set ruleQuota (ruleQuota × maxSecurityGroups may reach 1000); or let the library use all of AWS\'s default 5 groups per '
      + 'interface when the instances wear no group of your own (maxSecurityGroups: 5; up to 16 at ruleQuota 60 after a quota increase).');
  });

  test('a list whose max entries exceed its entries: the error suggests lowering them; a full one does not, nor an empty one (AWS\'s least is 1)', () => {
    expect(errorOf(withList(100, 3))!.message).toContain('lower the maxEntries of prefix list S/Devices from 100 to 3');
    expect(errorOf(withList(30, 30))!.message).not.toContain('lower the maxEntries');
    const empty = errorOf(withList(100, 0));
    expect(empty).toBeInstanceOf(SeguraValidationError);
    expect(empty!.message).not.toContain('lower the maxEntries');
  });
});

describe('AWS: every group of a role on its instances', () => {
  const setup = () => {
    const b = build({ ...FULL, devices: nonAdjacent(8).map(cidr) }, 'same');
    return { ...b, vpc: b.cluster.vpc };
  };
  const idsOf = (groups: readonly ec2.ISecurityGroup[], stack: Stack) => groups.map(g => stack.resolve(g.securityGroupId));

  test('an instance, a launch template and an auto-scaling group wear every group, once', () => {
    const b = setup();
    const machineImage = ec2.MachineImage.latestAmazonLinux2023();
    const instanceType = ec2.InstanceType.of(ec2.InstanceClass.M6I, ec2.InstanceSize.LARGE);
    const instance = new ec2.Instance(b.stack, 'Primary', { vpc: b.vpc, machineImage, instanceType, securityGroup: b.cluster.primarySecurityGroup });
    b.cluster.attachPrimaryGroups(instance);
    const template = new ec2.LaunchTemplate(b.stack, 'Member', { machineImage, instanceType, securityGroup: b.cluster.memberSecurityGroup });
    b.cluster.attachMemberGroups(template);
    const asg = new autoscaling.AutoScalingGroup(b.stack, 'Members', { vpc: b.vpc, machineImage, instanceType });
    b.cluster.attachMemberGroups(asg);
    b.domum!.attachGroups(instance);
    const t = Template.fromStack(b.stack);
    const instanceGroups = Object.values<any>(t.findResources('AWS::EC2::Instance'))[0].Properties.SecurityGroupIds;
    expect(instanceGroups).toEqual([...idsOf(b.cluster.primarySecurityGroups, b.stack), ...idsOf(b.domum!.securityGroups, b.stack)]);
    const ltGroups = Object.values<any>(t.findResources('AWS::EC2::LaunchTemplate')).map(r => r.Properties.LaunchTemplateData.SecurityGroupIds);
    expect(ltGroups).toContainEqual(idsOf(b.cluster.memberSecurityGroups, b.stack));
    expect(b.cluster.memberSecurityGroups.length).toBeGreaterThan(1);
    expect(JSON.stringify(t.toJSON())).toContain(JSON.stringify(b.stack.resolve(b.cluster.memberSecurityGroups[1].securityGroupId)));
  });

  test('a launch template created without a group says what to do', () => {
    const b = setup();
    const template = new ec2.LaunchTemplate(b.stack, 'Bare', { machineImage: ec2.MachineImage.genericLinux({ 'us-east-1': 'ami-0123456789abcdef0' }) });
    const e = errorOf(() => b.cluster.attachPrimaryGroups(template));
    expect(e!.message).toBe('target: takes no security groups: create the LaunchTemplate with a securityGroup (e.g. the first group of the role), then attach the rest');
  });
});

describe('AWS: the quota options are checked on every construct that takes them', () => {
  test.each([
    [{ ruleQuota: 0 }, 'ruleQuota: 0 is not a rule quota; expected an integer within 1-1000'],
    [{ ruleQuota: 60.5 }, 'ruleQuota: 60.5 is not a rule quota; expected an integer within 1-1000'],
    [{ maxSecurityGroups: 0 }, 'maxSecurityGroups: 0 is not a number of security groups; expected an integer within 1-16'],
    [{ maxSecurityGroups: 17 }, 'maxSecurityGroups: 17 is not a number of security groups; expected an integer within 1-16'],
  ])('DomumGateway %j', (props, message) => {
    const b = build({});
    const e = errorOf(() => new DomumGateway(b.stack, 'Domum', { vpc: b.cluster.vpc, cluster: b.cluster, ...props }));
    expect(e).toBeInstanceOf(SeguraValidationError);
    expect(e!.message).toBe(message);
  });
});
