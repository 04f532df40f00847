import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildAwsExample } from '../../examples/aws/app';
import { Role } from '../../lib/core';
import { atoms, expectedAtoms, minus, ruleFacts, synthTemplates, wearersOf } from '../support/aws-evaluator';

describe('the AWS example', () => {
  test('synthesizes offline; what it allows is exactly the plan', () => {
    const { app, network, domum, arbitrator } = buildAwsExample(new App());
    const facts = ruleFacts(synthTemplates(app));
    const groups = new Map<string, readonly ec2.ISecurityGroup[]>([[Role.PRD, network.cluster.primarySecurityGroups],
      [Role.MBR, network.cluster.memberSecurityGroups], [Role.DOMUM, domum.domum.securityGroups], [Role.ARB, arbitrator.arbitrator.securityGroups]]);
    const peers = new Map<string, string[]>([
      [Role.USERW, ['cidr:10.10.0.0/16']], [Role.DVC, ['cidr:10.20.0.0/16', 'cidr:192.168.50.0/24']],
      [Role.NTP_SERVER, ['cidr:10.30.0.10/32']], [Role.DNS_SERVER, ['cidr:10.0.0.2/32']], [Role.MAIL_SERVER, ['cidr:10.30.0.25/32']],
      [Role.LDAP_SERVER, ['cidr:10.30.0.30/32', 'cidr:10.30.0.31/32']], [Role.RADIUS_SERVER, ['cidr:10.30.0.40/32']],
      [Role.TACACS_SERVER, ['cidr:10.30.0.41/32']], [Role.LOG_SERVER, ['cidr:10.30.0.50/32']], [Role.BACKUP_SERVER, ['cidr:10.30.0.60/32']],
      [Role.PACKAGE_MIRROR, ['cidr:203.0.113.10/32', 'cidr:203.0.113.11/32']],
    ]);
    const actual = atoms(facts, wearersOf(groups));
    const expected = expectedAtoms(network.cluster.flows, new Set(groups.keys()), peers);
    expect(minus(actual, expected)).toEqual([]);
    expect(minus(expected, actual)).toEqual([]);
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

  const nagReport = (open: boolean) => {
    const { app, network } = buildAwsExample(new App());
    if (open) {
      new ec2.SecurityGroup(network, 'Open', { vpc: network.vpc }).addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));
    }
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
    let directory: string;
    try {
      directory = app.synth().directory;
    } catch {
      directory = app.outdir;
    }
    return JSON.parse(fs.readFileSync(path.join(directory, 'validation-report.json'), 'utf8')).pluginReports as any[];
  };

  test('cdk-nag AwsSolutions (and aws-cdk-lib\'s template validation) find nothing', () => {
    // The harness sees findings: one open group is reported.
    expect(nagReport(true).flatMap(r => r.violations.map((v: any) => v.ruleName))).toContain('AwsSolutions-EC23');
    expect(nagReport(false).flatMap(r => r.violations ?? [])).toEqual([]);
  });
});
