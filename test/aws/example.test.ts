import '../support/fast-synth';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildAwsExample } from '../../examples/aws/app';
import { allowedBetween, atoms, interval, synthTemplates } from '../support/aws-evaluator';
import { evaluateAwsExample, PROXY_BALANCER, WEB_BALANCER } from '../support/aws-example';
import { CDK_JSON_CONTEXT } from '../support/cdk-json';
import { awsInstanceZones } from '../support/placement';

/** An App as `cdk synth` makes it for cdk.json: its context (the feature flags), and construct paths in the metadata. */
const cliApp = (props: { outdir?: string; context?: Record<string, unknown> } = {}) =>
  new App({ outdir: props.outdir, context: { ...CDK_JSON_CONTEXT, 'aws:cdk:enable-path-metadata': true, ...props.context } });

// The example app, synthesized with aws-cdk-lib's template validation and cdk-nag.
jest.setTimeout(60_000);

describe('the AWS example', () => {
  test('synthesizes offline; what it allows is exactly the plan', () => {
    const { extra, missing, facts } = evaluateAwsExample(buildAwsExample(cliApp()));
    expect({ extra, missing }).toEqual({ extra: [], missing: [] });
    // The example's choices are visible in the result.
    expect(facts.some(f => f.fromPort === 587 && f.description!.startsWith('MGT-SMTP'))).toBe(true);
    expect(facts.some(f => f.fromPort <= 23 && f.toPort >= 23)).toBe(false);
  });

  test('the balancers reach every instance on exactly their ports (health checks included), and users reach no node directly', () => {
    const { facts, wearers } = evaluateAwsExample(buildAwsExample(cliApp()));
    // Both sides agree (the balancer's egress, the node's ingress): the ALB on 443 and 80, the NLB on 22 and 3389, to the Primary and every member.
    for (const node of ['PRD', 'MBR']) {
      expect([node, [...allowedBetween(facts, wearers, WEB_BALANCER, node)].sort()]).toEqual([node, ['tcp/443', 'tcp/80']]);
      expect([node, [...allowedBetween(facts, wearers, PROXY_BALANCER, node)].sort()]).toEqual([node, ['tcp/22', 'tcp/3389']]);
    }
    // The target groups' health checks are on those ports: GET /flow/orbit/mntr over HTTPS 443, and each proxy's TCP port.
    const template = synthTemplates(buildAwsExample(cliApp()).app).SeguraNetwork;
    const checks = Object.values<any>(template.Resources).filter(r => r.Type === 'AWS::ElasticLoadBalancingV2::TargetGroup')
      .map(r => `${r.Properties.Protocol} ${r.Properties.Port}: ${r.Properties.HealthCheckProtocol} ${r.Properties.HealthCheckPort} ${r.Properties.HealthCheckPath ?? '-'}`);
    expect(checks.sort()).toEqual(['HTTP 80: HTTPS 443 /flow/orbit/mntr', 'HTTPS 443: HTTPS 443 /flow/orbit/mntr', 'TCP 22: TCP 22 -', 'TCP 3389: TCP 3389 -']);
    // No rule of the nodes' groups lets the users' networks (10.10.0.0/16) in: they reach the balancers only.
    const [lo, hi] = interval('10.10.0.0/16');
    const fromUsers = [...atoms(facts, wearers)].filter(a => {
      const [holder, direction, peer] = a.split('|');
      const m = /^cidr:(\d+)-(\d+)$/.exec(peer);
      return ['PRD', 'MBR'].includes(holder) && direction === 'ingress' && m !== null && BigInt(m[1]) <= hi && BigInt(m[2]) >= lo;
    });
    expect(fromUsers).toEqual([]);
  });

  test('the instances are spread over the Availability Zones: the Primary, each member and the Arbitrator not all in one, the Arbitrator never with the Primary', () => {
    // Environment-agnostic (as the example synthesizes offline): the first two zones of the region.
    expect(awsInstanceZones(synthTemplates(buildAwsExample(cliApp()).app))).toEqual({
      'SeguraNetwork/Primary': 'az[0]',
      'SeguraNetwork/Member1': 'az[1]',
      'SeguraNetwork/Member2': 'az[0]',
      'SeguraDomum/DomumGateway': 'az[1]',
      'SeguraArbitrator/ArbitratorHost': 'az[1]',
    });
    // In an account and region with three zones: one instance per zone, the Arbitrator in the third.
    const app = cliApp({ context: { 'availability-zones:account=111111111111:region=sa-east-1': ['sa-east-1a', 'sa-east-1b', 'sa-east-1c'] } });
    expect(awsInstanceZones(synthTemplates(buildAwsExample(app, { account: '111111111111', region: 'sa-east-1' }).app))).toEqual({
      'SeguraNetwork/Primary': 'sa-east-1a',
      'SeguraNetwork/Member1': 'sa-east-1b',
      'SeguraNetwork/Member2': 'sa-east-1c',
      'SeguraDomum/DomumGateway': 'sa-east-1b',
      'SeguraArbitrator/ArbitratorHost': 'sa-east-1c',
    });
  });

  test('two synths are byte-identical', () => {
    const once = () => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'segura-det-'));
      buildAwsExample(cliApp({ outdir })).app.synth();
      return fs.readdirSync(outdir).filter(f => f.endsWith('.template.json')).sort()
        .map(f => [f, fs.readFileSync(path.join(outdir, f))] as const);
    };
    const [a, b] = [once(), once()];
    expect(a.map(([f]) => f)).toEqual(['SeguraArbitrator.template.json', 'SeguraDomum.template.json', 'SeguraNetwork.template.json']);
    a.forEach(([f, bytes], i) => { expect(b[i][0]).toBe(f); expect(Buffer.compare(bytes, b[i][1])).toBe(0); });
  });

  test('cdk-nag AwsSolutions finds nothing in the example', () => {
    const { app, network } = buildAwsExample(cliApp());
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
