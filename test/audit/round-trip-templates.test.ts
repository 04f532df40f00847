/**
 * The audit before deploying on AWS, round trip: the library's own groups, as the
 * CloudFormation templates `cdk synth` writes (cdk.out, cross-stack imports included) and
 * as a Terraform plan creating the same rules, audit clean; the AWS example's own cdk.out
 * audits clean against its config; each mutation of the export round trip
 * (round-trip-aws.test.ts) is found exactly, in both formats. Every audit runs through the
 * CLI's `run`, as a user runs it.
 */
import '../support/fast-synth';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { buildAwsExample } from '../../examples/aws/app';
import * as aws from '../../lib/aws';
import { run } from '../../lib/cli/main';
import { synthTemplates } from '../support/aws-evaluator';
import { portAddedFindings } from '../support/exports';
import { planOfTemplates, tfGroupName } from '../support/plans';
import { constructProps, fullConfig, siteConfig } from '../support/random';

const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'segura-templates-'));
afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));
const write = (name: string, value: unknown) => { const f = path.join(DIR, name); fs.writeFileSync(f, typeof value === 'string' ? value : JSON.stringify(value, null, 1)); return f; };

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []; const err: string[] = [];
  const code = await run(argv, { out: s => { out.push(s); }, err: s => { err.push(s); }, stdin: () => '' });
  return { code, out: out.join(''), err: err.join('') };
}

const NODES = { primary: ['10.0.1.4/32'], members: ['10.0.1.5/32', '10.0.1.6/32'], domum: ['10.0.2.4/32'], arbitrator: ['10.0.3.4/32'] };
const FULL = fullConfig('2001:db8:20::/48');

/** The logical IDs of groups. */
const ids = (groups: readonly ec2.ISecurityGroup[]) => groups.map(g => Stack.of(g).getLogicalId((g as ec2.SecurityGroup).node.defaultChild as any));

/** The cluster with both gateways, each in a stack of its own (imports across templates). */
function build() {
  const app = new App();
  const stack = new Stack(app, 'S');
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-11111111', availabilityZones: ['a'] });
  const cluster = new aws.SeguraCluster(stack, 'Segura', {
    vpc, ruleQuota: FULL.ruleQuota, ...constructProps(FULL, cidr => (cidr.includes(':') ? ec2.Peer.ipv6(cidr) : ec2.Peer.ipv4(cidr))),
  });
  const domum = new aws.DomumGateway(new Stack(app, 'D'), 'Domum', { vpc, cluster });
  const arbitrator = new aws.SeguraArbitrator(new Stack(app, 'A'), 'Arbitrator', { vpc, cluster });
  const groups = {
    S: { primary: ids(cluster.primarySecurityGroups), members: ids(cluster.memberSecurityGroups) },
    D: ids(domum.securityGroups),
    A: ids(arbitrator.securityGroups),
  };
  return { templates: synthTemplates(app), groups };
}

const site = build();
const config = write('site.json', siteConfig(FULL, NODES));
const copy = () => JSON.parse(JSON.stringify(site.templates));

/** The inline permission of a group's template for a protocol and port from (or to) a CIDR. */
function inline(templates: any, logicalId: string, key: 'SecurityGroupIngress' | 'SecurityGroupEgress', port: number, cidr: string) {
  const rules = templates.S.Resources[logicalId].Properties[key];
  const i = rules.findIndex((r: any) => r.IpProtocol === 'tcp' && r.FromPort <= port && port <= r.ToPort && r.CidrIp === cidr);
  if (i < 0) throw new Error(`no tcp ${port} rule for ${cidr}`);
  return { rules, i };
}

/** The two formats: the templates as written, and a plan creating the same rules in a module. */
const FORMATS = {
  cloudformation: {
    key: (logicalId: string) => logicalId,
    audit: (templates: any, extra: string[] = []) => cli('audit', 'cloudformation', '--config', config,
      ...Object.keys(templates).flatMap(s => ['--template', write(`${s}.template.json`, templates[s])]),
      '--primary', site.groups.S.primary.join(','), '--member', site.groups.S.members.join(','),
      '--domum', site.groups.D.join(','), '--arbitrator', site.groups.A.join(','), '--format', 'json', ...extra),
  },
  terraform: {
    key: (logicalId: string) => `module.segura.aws_security_group.${tfGroupName(`${['S', 'D', 'A'].find(s => site.templates[s].Resources[logicalId])}/${logicalId}`)}`,
    audit: (templates: any, extra: string[] = []) => {
      const address = (s: string, list: string[]) => list.map(id => `module.segura.aws_security_group.${tfGroupName(`${s}/${id}`)}`).join(',');
      return cli('audit', 'terraform', '--config', config, '--plan', write('plan.json', planOfTemplates(templates, 'segura')),
        '--primary', address('S', site.groups.S.primary), '--member', address('S', site.groups.S.members),
        '--domum', address('D', site.groups.D), '--arbitrator', address('A', site.groups.A), '--format', 'json', ...extra);
    },
  },
};

/** The report without the locations (asserted on their own). */
const withoutLocations = (out: string) => {
  const report = JSON.parse(out);
  for (const kind of ['missing', 'extra', 'unresolved']) for (const f of report[kind]) delete f.locations;
  return report;
};

describe.each(Object.entries(FORMATS))('audit %s: round trip', (_, format) => {
  const primary = site.groups.S.primary[0];
  const member = site.groups.S.members[0];

  test('the library\'s own groups audit clean', async () => {
    expect(await format.audit(site.templates)).toEqual({ code: 0, out: expect.stringContaining('"missing": []'), err: '' });
    expect(withoutLocations((await format.audit(site.templates)).out)).toEqual({ missing: [], extra: [], unresolved: [] });
  });

  test('a rule removed: exactly its flow is missing, at the group that blocks it', async () => {
    const templates = copy();
    const { rules, i } = inline(templates, primary, 'SecurityGroupIngress', 443, '10.10.0.0/16');
    rules.splice(i, 1);
    const r = await format.audit(templates);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out);
    // USR-HTTPS: the users reach the Primary on 443 (the test's own expectation, as in the export round trip).
    expect(report.missing.map((m: any) => [m.rowId, m.source, m.sourceAddress, m.destination, m.destinationAddress, m.reason])).toEqual([
      ['USR-HTTPS', 'USERW', '10.10.0.0/16', 'PRD', '10.0.1.4/32', `PRD ingress (${site.groups.S.primary.map(format.key).join(', ')}): no rule allows it`],
    ]);
    expect(report.missing[0].locations.map((l: any) => l.resource)).toEqual(site.groups.S.primary.map(format.key));
    expect([report.extra, report.unresolved]).toEqual([[], []]);
  });

  test('a peer widened to 0.0.0.0/0: one extra finding, with the part that is needed', async () => {
    const templates = copy();
    const { rules, i } = inline(templates, primary, 'SecurityGroupIngress', 443, '10.10.0.0/16');
    rules[i].CidrIp = '0.0.0.0/0';
    expect(withoutLocations((await format.audit(templates)).out)).toEqual({
      missing: [],
      extra: [{
        source: '0.0.0.0/0',
        destination: 'PRD',
        protocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        rule: `${format.key(primary)} ingress tcp 443 from 0.0.0.0/0`,
        reason: 'wider than the plan: tcp 443 from 0.0.0.0/0, where the plan needs only MBR, USERW, DOMUM',
      }],
      unresolved: [],
    });
  });

  test('a port added, an all-protocol egress, a group no role wears: each one finding', async () => {
    const templates = copy();
    const props = templates.S.Resources[member].Properties;
    props.SecurityGroupIngress.push({ IpProtocol: 'tcp', FromPort: 8080, ToPort: 8081, CidrIp: '10.10.0.0/16' },
      { IpProtocol: 'tcp', FromPort: 8080, ToPort: 8081, SourceSecurityGroupId: 'sg-0000000000000bad0' });
    props.SecurityGroupEgress.push({ IpProtocol: '-1', CidrIp: '0.0.0.0/0' });
    const group = format.key(member);
    expect(withoutLocations((await format.audit(templates)).out)).toEqual({
      missing: [],
      extra: portAddedFindings(group),
      unresolved: [],
    });
  });

  test('a prefix list: unresolved without its entries; with them, judged like any peer', async () => {
    const templates = copy();
    templates.S.Resources[primary].Properties.SecurityGroupIngress.push({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, SourcePrefixListId: 'pl-0123456789abcdef0' });
    expect(withoutLocations((await format.audit(templates)).out)).toEqual({
      missing: [],
      extra: [],
      unresolved: [{ rule: `${format.key(primary)} ingress tcp 443 from pl-0123456789abcdef0`, reason: 'prefix list pl-0123456789abcdef0: its entries are not given (the prefix-list export)' }],
    });
    const entries = write('pl.json', { 'pl-0123456789abcdef0': { Entries: [{ Cidr: '10.10.0.0/16' }] } });
    expect(await format.audit(templates, ['--prefix-lists', entries])).toEqual({ code: 0, out: expect.any(String), err: '' });
  });
});

describe('audit cloudformation: the AWS example', () => {
  test('its own cdk.out audits clean against its config, each group found in its template', async () => {
    const outdir = path.join(DIR, 'cdk.out');
    buildAwsExample(new App({ outdir })).app.synth();
    const templates = fs.readdirSync(outdir).filter(f => f.endsWith('.template.json')).sort().map(f => path.join(outdir, f));
    expect(templates.map(f => path.basename(f))).toEqual(['SeguraArbitrator.template.json', 'SeguraDomum.template.json', 'SeguraNetwork.template.json']);
    const logical = (file: string, prefix: string) => Object.entries<any>(JSON.parse(fs.readFileSync(file, 'utf8')).Resources)
      .filter(([id, r]) => r.Type === 'AWS::EC2::SecurityGroup' && id.startsWith(prefix)).map(([id]) => id).join(',');
    const [arbitrator, domum, network] = templates;
    const audit = (...more: string[]) => cli('audit', 'cloudformation', '--config', path.join(__dirname, '..', 'fixtures', 'audit', 'aws-example-site.json'),
      ...templates.flatMap(t => ['--template', t]), '--primary', logical(network, 'SeguraPrimary'), '--member', logical(network, 'SeguraMember'),
      '--domum', logical(domum, 'Domum'), '--arbitrator', logical(arbitrator, 'Arbitrator'), ...more);
    // The nodes' rules from the balancers' groups stand for the config's loadBalancers, through --load-balancer.
    const balancers = [logical(network, 'WebBalancer'), logical(network, 'ProxyBalancer')].join(',');
    expect(await audit('--load-balancer', balancers)).toEqual({ code: 0, out: 'No findings: the rules allow exactly the plan.\n', err: '' });
    // Without it, the balancers' flows are missing and the rules naming their groups are extra (groups no role wears).
    const without = JSON.parse((await audit('--format', 'json')).out);
    expect([...new Set(without.missing.map((f: any) => f.rowId))].sort()).toEqual(['LB-HTTP', 'LB-HTTPS', 'LB-RDP', 'LB-SSH']);
    expect(without.extra.length).toBeGreaterThan(0);
    expect(without.extra.every((f: any) => /Balancer/.test(f.rule))).toBe(true);
    // The members wear two groups (the overflow layout): both are placed.
    expect(logical(network, 'SeguraMember').split(',')).toHaveLength(2);
  });
});
