import '../support/fast-synth';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildAwsExample } from '../../examples/aws/app';
import { evaluateAwsExample } from '../support/aws-example';

// The example app, synthesized with aws-cdk-lib's template validation and cdk-nag.
jest.setTimeout(60_000);

describe('the AWS example', () => {
  test('synthesizes offline; what it allows is exactly the plan', () => {
    const { extra, missing, facts } = evaluateAwsExample(buildAwsExample(new App()));
    expect({ extra, missing }).toEqual({ extra: [], missing: [] });
    // The example's choices are visible in the result.
    expect(facts.some(f => f.fromPort === 587 && f.description!.startsWith('MGT-SMTP'))).toBe(true);
    expect(facts.some(f => f.fromPort <= 23 && f.toPort >= 23)).toBe(false);
  });

  test('two synths are byte-identical', () => {
    const once = () => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'segura-det-'));
      buildAwsExample(new App({ outdir })).app.synth();
      return fs.readdirSync(outdir).filter(f => f.endsWith('.template.json')).sort()
        .map(f => [f, fs.readFileSync(path.join(outdir, f))] as const);
    };
    const [a, b] = [once(), once()];
    expect(a.map(([f]) => f)).toEqual(['SeguraArbitrator.template.json', 'SeguraDomum.template.json', 'SeguraNetwork.template.json']);
    a.forEach(([f, bytes], i) => { expect(b[i][0]).toBe(f); expect(Buffer.compare(bytes, b[i][1])).toBe(0); });
  });

  test('cdk-nag AwsSolutions finds nothing in the example', () => {
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
    const reports = JSON.parse(fs.readFileSync(path.join(directory, 'validation-report.json'), 'utf8')).pluginReports as any[];
    const violations: string[] = reports.flatMap(r => (r.violations ?? []).flatMap((v: any) => v.violatingConstructs.map((c: any) => `${v.ruleName} ${c.constructPath}`)));
    expect(violations).toContain('AwsSolutions-EC23 SeguraNetwork/Open/Resource');
    expect(violations.filter(v => !v.endsWith(' SeguraNetwork/Open/Resource'))).toEqual([]);
  });
});
