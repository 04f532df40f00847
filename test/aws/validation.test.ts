import '../support/fast-synth';
import { App, CfnParameter, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { cidr } from './helpers';
import { SeguraCluster } from '../../lib/aws';
import { planFlows } from '../../lib/core/plan';
import { groupId, ruleFacts, synthTemplates } from '../support/aws-evaluator';
import { peersByRole } from '../support/config-reader';

// Whole CDK apps, synthesized with aws-cdk-lib's template validation on.
jest.setTimeout(60_000);

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
    expect(tokenPorts.map(f => f.description)).toEqual(['MGT-SMTP: SMTP (deploy-time port)/tcp PRD to MAIL SERVER',
      'MGT-SMTP: SMTP (deploy-time port)/tcp MBR to MAIL SERVER (cluster note)']);
  });
});

describe('no silent loss: every planned flow is in the template, tokens or not', () => {
  test('two rows toward one peer on two deploy-time ports, toward a group and toward a CIDR', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const number = (id: string, fallback: number) => new CfnParameter(stack, id, { type: 'Number', default: fallback }).valueAsNumber;
    const server = cidr('10.0.0.1/32');
    const peerCidr = new CfnParameter(stack, 'BackupCidr', { type: 'String', default: '10.0.0.2/32' }).valueAsString;
    const options = {
      // The same server plays mail and LDAP: two rows toward one peer, each on a deploy-time port.
      management: { mail: [server], ldap: [server], backup: [ec2.Peer.ipv4(peerCidr)] },
      portOverrides: {
        'MGT-SMTP': number('SmtpPort', 587),
        'MGT-LDAP': number('LdapPort', 3389),
        // And two cluster rows toward the other group.
        'CLU-P2M-SSH': number('SshPort', 2222),
        'CLU-P2M-SYNC': number('SyncPort', 4249),
      },
    };
    const cluster = new SeguraCluster(stack, 'Segura', { vpc, ...options });
    const facts = ruleFacts(synthTemplates(app));
    // Every flow of the plan with a deploy-time port or peer, resolved as the template writes it, is one rule of the template.
    const resolve = (v: unknown) => JSON.stringify(stack.resolve(v));
    const groupOf = (role: string) => groupId(role === 'PRD' ? cluster.primarySecurityGroup : cluster.memberSecurityGroup);
    // The plan of the test's own options, deploy-time ports left unvalidated as the constructs leave them.
    const plan = planFlows({ peerRoles: [...peersByRole(options).keys()], portOverrides: options.portOverrides }, v => Token.isUnresolved(v));
    const tokened = plan.filter(f => Token.isUnresolved(f.port) || f.source === 'BACKUP SERVER' || f.destination === 'BACKUP SERVER');
    expect(tokened.length).toBeGreaterThan(8);
    for (const f of tokened) {
      for (const [holder, direction] of [[f.source, 'egress'], [f.destination, 'ingress']] as const) {
        if (holder !== 'PRD' && holder !== 'MBR') continue;
        const match = facts.filter(x => x.group === groupOf(holder) && x.direction === direction && x.protocol === f.protocol
          && resolve(x.fromPort) === resolve(f.port) && x.description!.includes(f.rowId));
        expect({ flow: f.id, holder, direction, rules: match.length }).toEqual({ flow: f.id, holder, direction, rules: 1 });
      }
    }
    // The two rows toward one peer are two rules, each on its own port.
    const toServer = facts.filter(f => f.peer === 'cidr:10.0.0.1/32' && f.group === groupOf('PRD'));
    expect(toServer.map(f => JSON.stringify(f.fromPort)).sort()).toEqual(['636', '{"Ref":"LdapPort"}', '{"Ref":"SmtpPort"}']);
  });
});
