import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { cidr } from './helpers';
import { SeguraCluster } from '../../lib/aws';
import { ruleFacts, synthTemplates } from '../support/aws-evaluator';

describe('AWS: validation that needs a template', () => {
  test('tokens are not validated early', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const param = new CfnParameter(stack, 'UserCidr', { type: 'String' });
    const port = new CfnParameter(stack, 'MailPort', { type: 'Number', default: 587 }); // without a default, CloudFormation's validator cannot see a port
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
});
