/**
 * aws-cdk-lib's template validation (CloudFormation's resource schemas, run at every
 * synth since 2.262) and cdk-nag, on what the library writes. The other AWS tests
 * switch the template validation off (test/support/fast-synth.ts): its rules engine
 * costs seconds of CPU to start in each test file, so its checks live here.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { cidr } from './helpers';
import { buildAwsExample } from '../../examples/aws/app';
import { SeguraCluster } from '../../lib/aws';

/** The violations of every plugin's report, as "rule path" lines. */
function violations(directory: string): string[] {
  const reports = JSON.parse(fs.readFileSync(path.join(directory, 'validation-report.json'), 'utf8')).pluginReports as any[];
  return reports.flatMap(r => (r.violations ?? []).flatMap((v: any) => (v.violatingConstructs ?? v.violatingResources ?? [])
    .map((c: any) => `${r.pluginName ?? ''} ${v.ruleName} ${c.constructPath ?? c.resourceLogicalId}`)));
}

describe('template validation and cdk-nag', () => {
  test('cdk-nag AwsSolutions (and aws-cdk-lib\'s template validation) find nothing in the example', () => {
    const { app, network } = buildAwsExample(new App());
    // The harness sees findings: an open group of our own is the only one reported.
    new ec2.SecurityGroup(network, 'Open', { vpc: network.vpc }).addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
    let directory: string;
    try {
      directory = app.synth().directory;
    } catch {
      directory = app.outdir;
    }
    const found = violations(directory);
    expect(found.filter(v => v.includes('AwsSolutions-EC23 '))).toEqual([expect.stringMatching(/ AwsSolutions-EC23 SeguraNetwork\/Open\/Resource$/)]);
    expect(found.filter(v => !v.endsWith(' SeguraNetwork/Open/Resource'))).toEqual([]);
  });

  test('deploy-time ports and peers pass aws-cdk-lib\'s template validation quietly', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    // Without a default, CloudFormation's validator cannot see a port.
    const port = new CfnParameter(stack, 'MailPort', { type: 'Number', default: 587 });
    new SeguraCluster(stack, 'Segura', {
      vpc,
      users: [ec2.Peer.ipv4(new CfnParameter(stack, 'UserCidr', { type: 'String' }).valueAsString)],
      management: { mail: [cidr('10.0.0.1/32')] },
      portOverrides: { 'MGT-SMTP': port.valueAsNumber },
    });
    const errors = jest.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect(violations(app.synth().directory)).toEqual([]);
      expect(errors).not.toHaveBeenCalled();
    } finally {
      errors.mockRestore();
    }
  });
});
