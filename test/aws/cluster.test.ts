import '../support/fast-synth';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Template, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { build, cidr, FULL } from './helpers';
import * as aws from '../../lib/aws';
import { FirewallPlan, Role, Section } from '../../lib/core';
import { atoms, expectedAtoms, minus, ruleFacts, synthTemplates, allowedBetween, wearersOf, interval } from '../support/aws-evaluator';
import { planOf } from '../support/config-reader';

// Each test synthesizes whole CDK apps: seconds each on a loaded 2-core machine, the first also loading aws-cdk-lib.
jest.setTimeout(60_000);

/** An IPv4 peer as the evaluator's atoms name it: the interval of addresses it covers. */
const covered = (prefix: string) => `cidr:${interval(prefix).join('-')}`;

describe('AWS: what is synthesized is exactly the plan', () => {
  test.each([
    ['nothing configured', {}, false],
    ['every integration', FULL, false],
    ['every integration with Domum in the same stack', FULL, 'same'],
    ['every integration with Domum in another stack', FULL, 'other'],
    ['overrides, opt-outs and an APT proxy', {
      ...FULL,
      packageMirrors: undefined,
      aptProxy: { peers: [cidr('10.40.0.1/32')], port: 3128 },
      portOverrides: { 'MGT-SMTP': 587, 'DVC-ORACLE': 1521 },
      disabledRules: ['DVC-TELNET', 'USR-HTTP'],
    }, 'other'],
  ] as const)('%s', (_name, options, domum) => {
    const b = build(options as any, domum as any);
    const facts = ruleFacts(synthTemplates(b.app));
    const actual = atoms(facts, b.wearers);
    // The expectation: the plan of the test's own options, never the construct's.
    const expected = expectedAtoms(planOf(options, domum ? [Role.DOMUM] : []), new Set(b.groups.keys()), b.peers);
    expect(minus(actual, expected)).toEqual([]); // nothing more
    expect(minus(expected, actual)).toEqual([]); // nothing less
    // Nothing wide open: no all-protocol rule (atoms() throws on one), no any-address peer.
    expect(facts.filter(f => /0\.0\.0\.0\/0|::\/0/.test(f.peer))).toEqual([]);
  });

  test('opt-outs and overrides: the disabled rows and the overridden ports are absent from the synthesized output', () => {
    const b = build({ ...FULL, portOverrides: { 'MGT-SMTP': 587 }, disabledRules: ['DVC-TELNET', 'USR-HTTP'] });
    const facts = ruleFacts(synthTemplates(b.app));
    const actual = [...atoms(facts, b.wearers)];
    const users = covered('10.10.0.0/16');
    const devices = [covered('10.20.0.0/16'), covered('10.22.0.0/16')];
    const mail = covered('10.30.0.3/32');
    for (const node of [Role.PRD, Role.MBR]) {
      expect(actual).not.toContain(`${node}|ingress|${users}|tcp|80`);
      expect(actual).toContain(`${node}|ingress|${users}|tcp|443`);
      for (const d of devices) {
        expect(actual).not.toContain(`${node}|egress|${d}|tcp|23`);
        expect(actual).toContain(`${node}|egress|${d}|tcp|22`);
      }
      expect(actual).not.toContain(`${node}|egress|${mail}|tcp|420`);
      expect(actual).toContain(`${node}|egress|${mail}|tcp|587`);
    }
    expect(facts.filter(f => /(^| )(USR-HTTP|DVC-TELNET)[ :]/.test(f.description ?? ''))).toEqual([]);
  });

  test('PRD and MBR reach each other through group references on the cluster table\'s ports, both ways', () => {
    const b = build({}, false);
    const facts = ruleFacts(synthTemplates(b.app));
    const ports = FirewallPlan.flows({ peerRoles: [] }).filter(f => f.source === Role.PRD).map(f => `${f.protocol}/${f.port}`).sort();
    expect([...allowedBetween(facts, b.wearers, Role.PRD, Role.MBR)].sort()).toEqual(ports);
    expect([...allowedBetween(facts, b.wearers, Role.MBR, Role.PRD)].sort()).toEqual(ports);
    expect(facts.filter(f => f.peer.startsWith('cidr'))).toEqual([]);
  });

  test('Domum in another stack: no cycle, every Domum rule lives in the Domum stack', () => {
    const b = build(FULL, 'other');
    const templates = synthTemplates(b.app); // a dependency cycle would throw here
    const domumRules = Object.values<any>(templates.Cluster.Resources).filter(r => JSON.stringify(r).includes('DOM-'));
    expect(domumRules).toEqual([]);
    expect(Object.keys(templates.Domum.Outputs ?? {})).toEqual([]);
    expect(b.stack.dependencies).toEqual([]);
    expect(b.domum!.node.scope!.node.id).toBe('Domum');
    expect((b.app.node.findChild('Domum') as any).dependencies).toEqual([b.stack]);
  });

  test('allowAnyAddress: the world, once asked for, opens exactly the rows of that role to it, and nothing else', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-11111111', availabilityZones: ['a'] });
    const options = { users: [ec2.Peer.anyIpv4(), ec2.Peer.ipv6('::/0')], management: { ntp: [ec2.Peer.ipv4('10.30.0.1/32')] }, allowAnyAddress: ['users'] };
    const cluster = new aws.SeguraCluster(stack, 'Segura', { vpc, ...options });
    // aws-cdk-lib's template validation warns of SSH and RDP open to the world; acknowledged (app-wide) as a user would.
    Validations.of(app).acknowledge({ id: 'CloudFormation-Validate::W2508', reason: 'users from anywhere, by decision' });
    const groups = new Map<string, readonly ec2.ISecurityGroup[]>([
      [Role.PRD, cluster.primarySecurityGroups], [Role.MBR, cluster.memberSecurityGroups],
    ]);
    const actual = atoms(ruleFacts(synthTemplates(app)), wearersOf(groups));
    const expected = expectedAtoms(planOf(options), new Set(groups.keys()), new Map([[Role.USERW, ['cidr:0.0.0.0/0', 'cidr6:::/0']], [Role.NTP_SERVER, ['cidr:10.30.0.1/32']]]));
    expect(minus(actual, expected)).toEqual([]);
    expect(minus(expected, actual)).toEqual([]);
    const world = [`cidr:0-${2n ** 32n - 1n}`, `cidr6:0-${2n ** 128n - 1n}`];
    expect([...actual].filter(a => world.includes(a.split('|')[2])).length).toBe(2 * 2 * 4); // 2 groups x 2 families x USR-HTTPS, -HTTP, -SSH, -RDP
  });

  test('a gateway in another VPC: a synth-time note that the VPCs must be peered; none in the cluster\'s VPC', () => {
    const notes = (gatewayVpc: 'same' | 'other') => {
      const app = new App();
      const stack = new Stack(app, 'S');
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-11111111', availabilityZones: ['a'] });
      const cluster = new aws.SeguraCluster(stack, 'Segura', { vpc, users: [ec2.Peer.ipv4('10.10.0.0/16')] });
      const other = ec2.Vpc.fromVpcAttributes(stack, 'Other', { vpcId: 'vpc-22222222', availabilityZones: ['a'] });
      new aws.DomumGateway(stack, 'Domum', { vpc: gatewayVpc === 'same' ? vpc : other, cluster });
      return Annotations.fromStack(stack).findInfo('*', Match.anyValue()).map(m => `${m.id} ${m.entry.data}`);
    };
    expect(notes('other')).toEqual(['/S/Domum The Domum Gateway\'s VPC is not the cluster\'s: security-group references between them work only when the two VPCs '
      + 'are peered, in the same region.']);
    expect(notes('same')).toEqual([]);
  });
});

describe('AWS: per document section', () => {
  const t = () => Template.fromStack(build(FULL).stack);

  test('management: Segura to the servers, egress of both groups', () => {
    const template = t();
    for (const [cidrIp, proto, port, id] of [['10.30.0.1/32', 'udp', 123, 'MGT-NTP'], ['10.30.0.3/32', 'tcp', 420, 'MGT-SMTP'],
      ['10.30.0.7/32', 'udp', 6514, 'MGT-SYSLOG-UDP'], ['10.30.0.8/32', 'tcp', 5445, 'MGT-BACKUP-SMB']] as const) {
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('Primary'),
        SecurityGroupEgress: Match.arrayWith([{ CidrIp: cidrIp, IpProtocol: proto, FromPort: port, ToPort: port, Description: Match.stringLikeRegexp(`^${id}: .* PRD to `) }]),
      });
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        GroupDescription: Match.stringLikeRegexp('members'),
        SecurityGroupEgress: Match.arrayWith([{ CidrIp: cidrIp, IpProtocol: proto, FromPort: port, ToPort: port, Description: Match.stringLikeRegexp(`^${id}: .* MBR to .*\\(cluster note\\)`) }]),
      });
    }
  });

  test('management to Segura: the backup server in, on 22, 445 and 2049', () => {
    const template = t();
    for (const port of [22, 445, 2049]) {
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        SecurityGroupIngress: Match.arrayWith([Match.objectLike({ CidrIp: '10.30.0.8/32', IpProtocol: 'tcp', FromPort: port, ToPort: port })]),
      });
    }
  });

  test('users: HTTPS, HTTP, SSH, RDP in', () => {
    const template = t();
    for (const port of [443, 80, 22, 3389]) {
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        SecurityGroupIngress: Match.arrayWith([Match.objectLike({ CidrIp: '10.10.0.0/16', IpProtocol: 'tcp', FromPort: port, ToPort: port })]),
      });
    }
  });

  test('devices: SSH and Telnet as one 22-23 range, each device prefix its own rules', () => {
    const template = t();
    for (const c of ['10.20.0.0/16', '10.22.0.0/16']) {
      template.hasResourceProperties('AWS::EC2::SecurityGroup', {
        SecurityGroupEgress: Match.arrayWith([{ CidrIp: c, IpProtocol: 'tcp', FromPort: 22, ToPort: 23, Description: 'DVC-SSH DVC-TELNET: SSH 22, TELNET 23/tcp PRD to DVC' }]),
      });
    }
  });

  test('cluster: separate group-to-group rules, TRAM and BMC as 4567-4568, TRAM also on udp', () => {
    const template = t();
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      IpProtocol: 'tcp',
      FromPort: 4567,
      ToPort: 4568,
      Description: 'CLU-P2M-TRAM-TCP CLU-P2M-BMC: TRAM 4567, BMC 4568/tcp PRD to MBR',
      SourceSecurityGroupId: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { IpProtocol: 'udp', FromPort: 4567, ToPort: 4567, Description: 'CLU-M2P-TRAM-UDP: TRAM 4567/udp MBR to PRD' });
    // Member to member: the members' group toward itself, marked as from the vendor's guides.
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      IpProtocol: 'tcp', FromPort: 3306, ToPort: 3306, Description: 'CLU-M2M-MYSQL: MySQL 3306/tcp MBR to MBR (vendor guide)',
    });
    // 10 merged port ranges a direction for each pair: PRD to MBR, MBR to PRD, MBR to MBR.
    expect(Object.keys(template.findResources('AWS::EC2::SecurityGroupIngress'))).toHaveLength(30);
    expect(Object.keys(template.findResources('AWS::EC2::SecurityGroupEgress'))).toHaveLength(30);
  });

  test('Domum: 51445 and 443 both ways, for the Primary and the members', () => {
    const b = build(FULL, 'same');
    const template = Template.fromStack(b.stack);
    for (const id of ['DOM-P2D-WEBSOCKET', 'DOM-P2D-WSS', 'DOM-D2P-WEBSOCKET', 'DOM-D2P-WSS']) {
      expect(Object.keys(template.findResources('AWS::EC2::SecurityGroupIngress', { Properties: { Description: Match.stringLikeRegexp(`^${id}: `) } }))).toHaveLength(2);
      expect(Object.keys(template.findResources('AWS::EC2::SecurityGroupEgress', { Properties: { Description: Match.stringLikeRegexp(`^${id}: `) } }))).toHaveLength(2);
    }
  });

  test('descriptions: every rule names its row, in characters EC2 accepts', () => {
    const facts = ruleFacts(synthTemplates(build(FULL, 'other').app));
    expect(facts.length).toBeGreaterThan(100);
    for (const f of facts) {
      expect(f.description).toMatch(/^(MGT|BKP|USR|DVC|CLU|DOM|UPD)-[A-Z0-9-]+[ :]/);
      expect(f.description!.length).toBeLessThanOrEqual(255);
      expect(f.description).toMatch(/^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/);
    }
  });

  test('sections: the construct\'s flows are the plan of its options; a section\'s rows all appear, and the package note appears once per group', () => {
    const flows = build(FULL).cluster.flows;
    expect(flows).toEqual(planOf(FULL));
    for (const section of [Section.MANAGEMENT, Section.MANAGEMENT_TO_SEGURA, Section.USERS, Section.DEVICES, Section.CLUSTER]) {
      expect(flows.some(f => f.section === section)).toBe(true);
    }
    expect(flows.filter(f => f.rowId === 'UPD-MIRROR').map(f => f.source)).toEqual([Role.PRD, Role.MBR]);
  });
});
