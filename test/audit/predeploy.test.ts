/**
 * `segura-firewall audit cloudformation|terraform` on hand-written inputs in the exact
 * documented shapes (test/fixtures/audit/predeploy: a JSON and a YAML template with a
 * cross-template import and a parameter; plans of format 1.2 with modules, every resource
 * type read), each with the findings decided by hand; malformed inputs (one line, exit 2);
 * `--format sarif` of every audit, valid against the official SARIF 2.1.0 schema.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { FirewallAudit } from '../../lib/audit';
import { parseTemplateText } from '../../lib/audit/template-text';
import { run } from '../../lib/cli/main';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'audit');
const PRE = path.join(FIXTURES, 'predeploy');
const at = (name: string) => path.relative(process.cwd(), path.join(PRE, name));
const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'segura-predeploy-'));
afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));
const write = (name: string, text: string) => { const f = path.join(DIR, name); fs.writeFileSync(f, text); return f; };

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []; const err: string[] = [];
  const code = await run(argv, { out: s => { out.push(s); }, err: s => { err.push(s); }, stdin: () => '' });
  return { code, out: out.join(''), err: err.join('') };
}

const SITE = at('site.json');
const CFN = ['audit', 'cloudformation', '--config', SITE, '--template', at('network.template.json'), '--template', at('gateway.template.yaml'),
  '--primary', 'PrimarySg', '--domum', 'DomumSg'];
const TF_AWS = ['audit', 'terraform', '--config', SITE, '--plan', at('aws-plan.json'),
  '--primary', 'module.segura.aws_security_group.primary', '--domum', 'module.segura.aws_security_group.domum'];
const TF_AZURE = ['audit', 'terraform', '--config', SITE, '--plan', at('azure-plan.json'), '--cluster-nsg', 'module.nsg.azurerm_network_security_group.cluster',
  '--domum-nsg', 'segura-domum-nsg', '--primary-asg', 'azurerm_application_security_group.prd', '--domum-asg', 'azurerm_application_security_group.domum', '--vnet', '10.0.0.0/16'];

/** The findings decided by hand: every row of the site is allowed but USR-RDP (the only RDP rule's peer is known at deploy time), and tcp 8443 from the users is extra. */
const rdpMissing = (reason: string, resource: string, file: string, line: number, column: number) => ({
  source: 'USERW',
  destination: 'PRD',
  protocol: 'tcp',
  fromPort: 3389,
  toPort: 3389,
  rowId: 'USR-RDP',
  sourceAddress: '10.10.0.0/16',
  destinationAddress: '10.0.1.4/32',
  reason,
  locations: [{ file, resource, line, column }],
});
const consoleExtra = (rule: string, resource: string, file: string, line: number, column: number) => ({
  source: 'USERW',
  destination: 'PRD',
  rule,
  protocol: 'tcp',
  fromPort: 8443,
  toPort: 8443,
  reason: 'no row needs tcp 8443 from 10.10.0.0/16',
  locations: [{ file, resource, line, column }],
});

describe('audit cloudformation: JSON and YAML templates, a cross-template import', () => {
  test('the findings decided by hand, each located at its template resource', async () => {
    const r = await cli(...CFN, '--format', 'json');
    expect([r.code, r.err]).toEqual([1, '']);
    const network = at('network.template.json');
    expect(JSON.parse(r.out)).toEqual({
      missing: [rdpMissing('PRD ingress (PrimarySg): no rule allows it; might be allowed by PrimarySg ingress tcp 3389 from Ref AdminCidr '
        + '(CidrIp is Ref AdminCidr (a parameter, known at deploy time))', 'PrimarySg', network, 9, 5)],
      extra: [consoleExtra('PrimarySg ingress tcp 8443 from 10.10.0.0/16', 'PrimarySg', network, 9, 5)],
      unresolved: [{
        rule: 'PrimarySg ingress tcp 3389 from Ref AdminCidr',
        reason: 'CidrIp is Ref AdminCidr (a parameter, known at deploy time)',
        locations: [{ file: network, resource: 'PrimarySg', line: 9, column: 5 }],
      }],
    });
  });

  test('the short tags read as their long forms (CloudFormation Template Reference)', () => {
    const { value } = parseTemplateText('t.yaml', [
      'Resources:', '  G:', '    Type: AWS::EC2::SecurityGroup', '    Properties:',
      '      A: !Ref P', '      B: !GetAtt X.GroupId', '      C: !GetAtt [X, GroupId]', '      D: !Sub "${AWS::StackName}-x"',
      '      E: !ImportValue { "Fn::Sub": "${P}-sg" }', '      F: !Select [0, !Split [",", !Ref L]]', '      G: no', '',
    ].join('\n'));
    expect((value as any).Resources.G.Properties).toEqual({
      A: { Ref: 'P' },
      B: { 'Fn::GetAtt': ['X', 'GroupId'] },
      C: { 'Fn::GetAtt': ['X', 'GroupId'] },
      D: { 'Fn::Sub': '${AWS::StackName}-x' },
      E: { 'Fn::ImportValue': { 'Fn::Sub': '${P}-sg' } },
      F: { 'Fn::Select': [0, { 'Fn::Split': [',', { Ref: 'L' }] }] },
      // YAML 1.1, as CloudFormation reads it: `no` is false.
      G: false,
    });
  });

  test('the library reads parsed templates the same way (no lines without the text)', () => {
    const read = (f: string) => parseTemplateText(f, fs.readFileSync(path.join(PRE, f), 'utf8')).value;
    const report = FirewallAudit.cloudFormation({
      config: JSON.parse(fs.readFileSync(SITE, 'utf8')),
      templates: { 'network.template.json': read('network.template.json'), 'gateway.template.yaml': read('gateway.template.yaml') },
      groups: { primary: ['PrimarySg'], domum: ['DomumSg'] },
    });
    expect(report.missing.map(m => [m.rowId, m.locations])).toEqual([['USR-RDP', [{ file: 'network.template.json', resource: 'PrimarySg' }]]]);
    expect(report.extra.map(e => e.rule)).toEqual(['PrimarySg ingress tcp 8443 from 10.10.0.0/16']);
  });
});

describe('audit terraform: plans of both clouds, modules included', () => {
  test('AWS: every resource type, IDs the plan does not know found through the configuration', async () => {
    const r = await cli(...TF_AWS, '--format', 'json');
    expect([r.code, r.err]).toEqual([1, '']);
    const plan = at('aws-plan.json');
    const primary = 'module.segura.aws_security_group.primary';
    const rdp = 'module.segura.aws_vpc_security_group_ingress_rule.admin_rdp';
    const place = (address: string) => {
      const text = fs.readFileSync(path.join(PRE, 'aws-plan.json'), 'utf8').split('\n');
      const line = text.findIndex(l => l.includes(`"address": "${address}"`));
      return [line + 1, text[line].indexOf(`"${address}"`) + 1] as const;
    };
    const why = 'cidr_ipv4 is known only after apply (module.segura.aws_eip.bastion)';
    expect(JSON.parse(r.out)).toEqual({
      missing: [rdpMissing(`PRD ingress (${primary}): no rule allows it; might be allowed by ${primary} ingress tcp 3389 from module.segura.aws_eip.bastion (${why})`,
        primary, plan, ...place(primary))],
      extra: [consoleExtra(`${primary} ingress tcp 8443 from 10.10.0.0/16`, primary, plan, ...place(primary))],
      unresolved: [{ rule: `${primary} ingress tcp 3389 from module.segura.aws_eip.bastion`, reason: why, locations: [{ file: plan, resource: rdp, line: place(rdp)[0], column: place(rdp)[1] }] }],
    });
  });

  test('Azure: inline and separate rules, ASGs by address through a module variable, an NSG by name', async () => {
    const r = await cli(...TF_AZURE, '--format', 'json');
    expect([r.code, r.err]).toEqual([1, '']);
    const report = JSON.parse(r.out);
    const why = 'source_address_prefix is known only after apply (module.nsg.azurerm_public_ip.bastion)';
    expect(report.missing.map((m: any) => [m.rowId, m.reason, m.locations.map((l: any) => l.resource)])).toEqual([['USR-RDP',
      `PRD ingress (NSG segura-nsg): denied by Deny-All-In; might be allowed by Allow-Bastion-RDP (${why})`, ['module.nsg.azurerm_network_security_group.cluster']]]);
    expect(report.extra.map((e: any) => [e.rule, e.source, e.destination, e.protocol, e.fromPort, e.reason, e.locations[0].resource])).toEqual([
      ['Allow-Console-In', 'USERW', 'PRD', 'tcp', 8443, 'no row needs tcp 8443 from 10.10.0.0/16', 'module.nsg.azurerm_network_security_rule.console_in'],
    ]);
    expect(report.unresolved.map((u: any) => [u.rule, u.reason])).toEqual([['Allow-Bastion-RDP', `in segura-nsg: ${why}`]]);
  });

  test('the library takes the parsed plan', () => {
    const report = FirewallAudit.terraformAws({
      config: JSON.parse(fs.readFileSync(SITE, 'utf8')),
      plan: JSON.parse(fs.readFileSync(path.join(PRE, 'aws-plan.json'), 'utf8')),
      groups: { primary: ['module.segura.aws_security_group.primary'], domum: ['module.segura.aws_security_group.domum'] },
    });
    expect([report.missing.map(m => m.rowId), report.extra.length, report.unresolved.length]).toEqual([['USR-RDP'], 1, 1]);
  });
});

describe('malformed inputs: one line, exit 2', () => {
  const cfn = (file: string) => ['audit', 'cloudformation', '--config', SITE, '--template', file, '--primary', 'PrimarySg'];
  const tf = (file: string) => ['audit', 'terraform', '--config', SITE, '--plan', file, '--primary', 'aws_security_group.primary'];
  const state = write('state.json', JSON.stringify({ version: 4, terraform_version: '1.9.8', serial: 3, lineage: 'x', outputs: {}, resources: [] }));
  const RUN = 'run `terraform plan -out=PLANFILE`, then `terraform show -json PLANFILE > plan.json`';
  test.each([
    [cfn(write('bad.yaml', 'Resources:\n  A: [\n')), `${path.join(DIR, 'bad.yaml')}: is not valid CloudFormation YAML: line 3, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]`],
    [cfn(write('tag.yaml', 'Resources:\n  A:\n    Type: !Foo x\n')), `${path.join(DIR, 'tag.yaml')}: is not valid CloudFormation YAML: line 3, column 11: Unresolved tag: !Foo`],
    [cfn(write('bad.json', '{\n  "Resources": {\n')), `${path.join(DIR, 'bad.json')}: is not valid JSON: line 3, column 1: Expected property name or '}'`],
    [cfn(write('empty.json', '{ "Resources": { "B": { "Type": "AWS::S3::Bucket" } } }')),
      `${path.join(DIR, 'empty.json')}: holds no AWS::EC2::SecurityGroup and no rule resource: give the templates that create the groups`],
    [cfn(write('two.json', JSON.stringify({ Resources: { PrimarySg: { Type: 'AWS::EC2::SecurityGroup', Properties: { SecurityGroupIngress: [{ IpProtocol: 'tcp', FromPort: 1, ToPort: 1, CidrIp: '10.0.0.0/8', CidrIpv6: '::/0' }] } } } }))),
      `${path.join(DIR, 'two.json')}: Resources.PrimarySg.Properties.SecurityGroupIngress[0]: expected exactly one of CidrIp, CidrIpv6, SourcePrefixListId, SourceSecurityGroupId, SourceSecurityGroupName, got CidrIp, CidrIpv6`],
    [tf(state), `${state}: this is a Terraform state file (terraform.tfstate), not a plan: ${RUN}`],
    [tf(write('shown-state.json', JSON.stringify({ format_version: '1.0', terraform_version: '1.9.8', values: { root_module: {} } }))),
      `${path.join(DIR, 'shown-state.json')}: this is \`terraform show -json\` of the state (without a plan file): ${RUN}`],
    [tf(write('cdk.tf.json', JSON.stringify({ provider: { azurerm: [{}] }, resource: {} }))),
      `${path.join(DIR, 'cdk.tf.json')}: this is Terraform JSON configuration (cdktf synth's cdk.tf.json, *.tf.json), not a plan: ${RUN}`],
    [tf(write('log.json', '{"@level":"info","@message":"Terraform 1.9.8","type":"version"}\n{"@level":"info","type":"planned_change"}\n')),
      `${path.join(DIR, 'log.json')}: this is the log of \`terraform plan -json\`, not a plan: ${RUN}`],
    [tf(write('v2.json', JSON.stringify({ format_version: '2.0', planned_values: {} }))),
      `${path.join(DIR, 'v2.json')}: format_version: expected format version 1.x (or 0.x, Terraform 0.12 to 0.15) of \`terraform show -json PLANFILE\`, got "2.0"`],
    [tf(write('template.json', JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: {} }))),
      `${path.join(DIR, 'template.json')}: this is a CloudFormation template: audit it with \`segura-firewall audit cloudformation --template\``],
    [[...TF_AWS, '--cluster-nsg', 'x'], '--cluster-nsg: is an Azure option, and --primary an AWS one: audit the AWS groups and the Azure NSGs of a plan in two runs'],
    [['audit', 'terraform', '--config', SITE, '--plan', at('aws-plan.json')],
      '--plan: which groups? Give the AWS groups each role wears (--primary, --member, ...) or the Azure NSGs (--cluster-nsg, --vnet, ...)'],
    [[...CFN.slice(0, -4), '--primary', 'PrimarySG', '--domum', 'DomumSg'], '--primary[0]: "PrimarySG" is not a security group of the export (2 groups). Did you mean "PrimarySg"?'],
  ] as Array<[string[], string]>)('%#', async (argv, message) => {
    expect(await cli(...argv)).toEqual({ code: 2, out: '', err: `segura-firewall: ${message}\n` });
  });
});

describe('--format sarif: SARIF 2.1.0 for every audit', () => {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json'), 'utf8')));
  const AWS = ['audit', 'aws', '--config', path.join(FIXTURES, 'aws-site.json'), '--security-groups', path.join(FIXTURES, 'aws-describe-security-groups.json'),
    '--primary', 'sg-0aaa0000000000000,sg-0ccc0000000000000', '--member', 'sg-0bbb0000000000000,sg-0ccc0000000000000'];
  const AZURE = ['audit', 'azure', '--config', path.join(FIXTURES, 'azure-site.json'), '--nsgs', path.join(FIXTURES, 'azure-nsg-list.json'), '--cluster-nsg', 'segura-nsg', '--vnet', '10.0.0.0/16'];

  test.each([['aws', AWS], ['azure', AZURE], ['cloudformation', CFN], ['terraform (AWS)', TF_AWS], ['terraform (Azure)', TF_AZURE]])('%s: valid, a result per finding, rule IDs from the rows', async (_, argv) => {
    const [sarif, json] = [await cli(...argv, '--format', 'sarif'), await cli(...argv, '--format', 'json')];
    expect([sarif.code, sarif.err]).toEqual([json.code, '']);
    const log = JSON.parse(sarif.out);
    expect({ valid: validate(log), errors: validate.errors ?? null }).toEqual({ valid: true, errors: null });
    const report = JSON.parse(json.out);
    const results = log.runs[0].results;
    expect(results.map((r: any) => r.ruleId)).toEqual([...report.missing.map((m: any) => m.rowId), ...report.extra.map(() => 'segura-extra'), ...report.unresolved.map(() => 'segura-unresolved')]);
    expect(results.map((r: any) => log.runs[0].tool.driver.rules[r.ruleIndex].id)).toEqual(results.map((r: any) => r.ruleId));
    // GitHub code scanning shows a result only where it has a line.
    expect(results.every((r: any) => r.locations.length > 0 && r.locations.every((l: any) => l.physicalLocation.region.startLine >= 1))).toBe(true);
  });

  test('a template\'s findings point at the resource: file, line and column, and the logical ID', async () => {
    const log = JSON.parse((await cli(...CFN, '--format', 'sarif')).out);
    const rdp = log.runs[0].results.find((r: any) => r.ruleId === 'USR-RDP');
    expect(rdp.locations).toEqual([{
      physicalLocation: { artifactLocation: { uri: 'test/fixtures/audit/predeploy/network.template.json' }, region: { startLine: 9, startColumn: 5 } },
      logicalLocations: [{ name: 'PrimarySg', fullyQualifiedName: 'test/fixtures/audit/predeploy/network.template.json#PrimarySg', kind: 'resource' }],
    }]);
    expect(rdp.level).toBe('error');
    expect(log.runs[0].tool.driver.rules[rdp.ruleIndex].shortDescription.text).toBe('RDP 3389/tcp from USERW to PRD is blocked');
  });

  test('an export\'s findings point at the export (it has no place per rule)', async () => {
    const log = JSON.parse((await cli(...AZURE, '--format', 'sarif')).out);
    expect(new Set(log.runs[0].results.map((r: any) => JSON.stringify(r.locations[0].physicalLocation))))
      .toEqual(new Set([JSON.stringify({ artifactLocation: { uri: path.relative(process.cwd(), path.join(FIXTURES, 'azure-nsg-list.json')) }, region: { startLine: 1 } })]));
  });
});
