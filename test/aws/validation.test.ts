import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { cidr } from './helpers';
import { DomumGateway, SeguraCluster } from '../../lib/aws';
import { SeguraValidationError } from '../../lib/errors';
import { atoms, ruleFacts, synthTemplates } from '../support/aws-evaluator';

function attempt(props: any, extra?: (stack: Stack, cluster: SeguraCluster, vpc: ec2.IVpc) => void): () => void {
  return () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const cluster = new SeguraCluster(stack, 'Segura', { vpc, ...props });
    extra?.(stack, cluster, vpc);
    app.synth();
  };
}

describe('AWS: bad input fails synth with a message naming the property and the value', () => {
  test.each([
    ['malformed CIDR', { users: [cidr('10.0.0.300/16')] }, 'users[0]: "10.0.0.300/16" is not a valid IPv4 CIDR (an octet is above 255)'],
    ['mask too long', { devices: [cidr('10.0.0.0/40')] }, 'devices[0]: "10.0.0.0/40" is not a valid IPv4 CIDR (the mask must be 0-32)'],
    ['host bits', { management: { ntp: [cidr('10.1.2.3/24')] } }, 'management.ntp[0]: "10.1.2.3/24" has host bits set. Did you mean "10.1.2.0/24"'],
    ['empty peer list', { management: { dns: [] } }, 'management.dns: the peer list is empty'],
    ['not a peer', { users: ['10.0.0.0/8'] }, 'users[0]: expected an ec2.IPeer (e.g. ec2.Peer.ipv4(\'10.0.0.0/16\')), got "10.0.0.0/8"'],
    ['unknown management server', { management: { ntpp: [cidr('10.0.0.1/32')] } }, 'management.ntpp: unknown property. Did you mean "ntp"?'],
    ['unknown prop', { user: [cidr('10.0.0.0/8')] }, 'user: unknown property. Did you mean "users"?'],
    ['port out of range', { management: { mail: [cidr('10.0.0.1/32')] }, portOverrides: { 'MGT-SMTP': 65536 } }, 'portOverrides["MGT-SMTP"]: 65536 is not a port'],
    ['override of an unknown row', { management: { mail: [cidr('10.0.0.1/32')] }, portOverrides: { SMTP: 587 } }, 'portOverrides["SMTP"]: "SMTP" is not a row ID of the Segura firewall matrix.'],
    ['opt-out of an unknown row', { devices: [cidr('10.0.0.0/8')], disabledRules: ['TELNET'] }, 'disabledRules[0]: "TELNET" is not a row ID'],
    ['override on an unconfigured service', { portOverrides: { 'MGT-SMTP': 587 } }, 'portOverrides["MGT-SMTP"]: "MGT-SMTP" does not apply (no MAIL SERVER peer is configured)'],
    ['mirrors and proxy', { packageMirrors: [cidr('1.2.3.4/32')], aptProxy: { peers: [cidr('10.0.0.9/32')] } }, 'aptProxy: configure either packageMirrors'],
    ['proxy port out of range', { aptProxy: { peers: [cidr('10.0.0.9/32')], port: 0 } }, 'aptProxy.port: 0 is not a port'],
    ['bad quota', { ruleQuota: 0 }, 'ruleQuota: 0 is not a rule quota'],
  ])('%s', (_name, props, message) => {
    expect(attempt(props)).toThrow(SeguraValidationError);
    expect(attempt(props)).toThrow(message);
  });

  test('missing vpc', () => {
    const stack = new Stack(new App(), 'S');
    expect(() => new SeguraCluster(stack, 'Segura', {} as any)).toThrow('vpc: is required');
  });

  test('a Domum Gateway attached twice', () => {
    expect(attempt({}, (stack, cluster, vpc) => {
      new DomumGateway(stack, 'Domum1', { vpc, cluster });
      new DomumGateway(stack, 'Domum2', { vpc, cluster });
    })).toThrow('cluster: the SeguraCluster S/Segura already has the Domum Gateway S/Domum1; a cluster takes one Domum Gateway (S/Domum2 is a second)');
  });

  test('a Domum row changed with no Domum Gateway attached', () => {
    expect(attempt({ disabledRules: ['DOM-P2D-WSS'] })).toThrow(/DOM-P2D-WSS is in portOverrides or disabledRules, but no DomumGateway is attached to S\/Segura/);
  });

  test('tokens are not validated early', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const param = new CfnParameter(stack, 'UserCidr', { type: 'String' });
    const port = new CfnParameter(stack, 'MailPort', { type: 'Number' });
    new SeguraCluster(stack, 'Segura', {
      vpc,
      users: [ec2.Peer.ipv4(param.valueAsString)],
      management: { mail: [cidr('10.0.0.1/32')] },
      portOverrides: { 'MGT-SMTP': port.valueAsNumber },
    });
    const facts = ruleFacts(synthTemplates(app));
    // USERW's four rows, on PRD and MBR, to the deploy-time CIDR.
    expect(facts.filter(f => f.peer === 'cidr:[object Object]')).toHaveLength(8);
    const tokenPorts = facts.filter(f => typeof f.fromPort === 'object');
    expect(tokenPorts.map(f => [f.fromPort, f.toPort])).toEqual([[{ Ref: 'MailPort' }, { Ref: 'MailPort' }], [{ Ref: 'MailPort' }, { Ref: 'MailPort' }]]);
    expect(tokenPorts.map(f => JSON.stringify(f.description))).toEqual([expect.stringContaining('MGT-SMTP: SMTP '), expect.stringContaining('MBR to MAIL SERVER (cluster note)')]);
  });

  test('AWS quota: more than 60 rules in one direction fails, naming the group and the way out', () => {
    const devices = Array.from({ length: 5 }, (_, i) => cidr(`10.${i}.0.0/16`));
    // 5 prefixes x 11 merged device port ranges + 10 merged cluster rules = 65 egress rules on each group.
    expect(attempt({ devices })).toThrow(/security group S\/Segura\/PrimarySecurityGroup \(PRD\) needs 65 outbound ipv4 rules, above the quota of 60 rules per group\. Put the peers in a managed prefix list/);
    expect(attempt({ devices: devices.slice(0, 4) })).not.toThrow();
    expect(attempt({ devices, ruleQuota: 100 })).not.toThrow();
  });

  test('a prefix list counts as its max entries', () => {
    const withList = (maxEntries: number) => () => {
      const app = new App();
      const stack = new Stack(app, 'S');
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      const list = new ec2.PrefixList(stack, 'Devices', { maxEntries, entries: [{ cidr: '10.0.0.0/16' }] });
      new SeguraCluster(stack, 'Segura', { vpc, devices: [list] });
      const facts = ruleFacts(synthTemplates(app));
      return atoms(facts);
    };
    // 11 device port ranges x 4 entries + 10 cluster rules = 54: fits; x 5 + 10 = 65: does not.
    expect(withList(4)().size).toBeGreaterThan(0);
    expect(withList(5)).toThrow(/PrimarySecurityGroup \(PRD\) needs 65 outbound/);
  });
});
