/**
 * `npm run test:external`: aws-cdk-lib's template validation (CloudFormation's resource
 * schemas, run at every synth since 2.262) on what the library writes. npm test switches
 * it off (test/support/fast-synth.ts): its rules engine costs seconds of CPU to start in
 * each test file and to check each template, so its checks live here, beside cfn-lint's.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { buildAwsExample } from '../../examples/aws/app';
import { SeguraCluster } from '../../lib/aws';
import { cidr } from '../aws/helpers';
import { CDK_JSON_CONTEXT } from '../support/cdk-json';

/** The violations of every plugin's report, as "rule path" lines. */
function violations(directory: string): string[] {
  const reports = JSON.parse(fs.readFileSync(path.join(directory, 'validation-report.json'), 'utf8')).pluginReports as any[];
  return reports.flatMap(r => (r.violations ?? []).flatMap((v: any) => (v.violatingConstructs ?? v.violatingResources ?? [])
    .map((c: any) => `${r.pluginName ?? ''} ${v.ruleName} ${c.constructPath ?? c.resourceLogicalId}`)));
}

/** The app's synth: template validation finds nothing, and nothing is printed on stderr. */
function expectCleanAndQuiet(app: App): void {
  const errors = jest.spyOn(console, 'error').mockImplementation(() => {});
  try {
    expect(violations(app.synth().directory)).toEqual([]);
    expect(errors).not.toHaveBeenCalled();
  } finally {
    errors.mockRestore();
  }
}

// The rules engine starts and checks every template: tens of seconds on a small machine.
jest.setTimeout(120_000);

describe('aws-cdk-lib\'s template validation', () => {
  test('the AWS example (with cdk.json\'s feature flags, as cdk synth builds it): template validation finds nothing', () => {
    const { app } = buildAwsExample(new App({ context: CDK_JSON_CONTEXT }));
    expectCleanAndQuiet(app);
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
    expectCleanAndQuiet(app);
  });
});
