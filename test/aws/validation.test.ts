import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { cidr } from './helpers';
import { SeguraCluster } from '../../lib/aws';
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

describe('AWS: validation that needs a template', () => {
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
