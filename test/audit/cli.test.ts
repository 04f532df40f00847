/**
 * `segura-firewall audit`: exit 0 when nothing is found, 1 when anything is, 2 on bad
 * input with one line naming the file, flag or field; the formats carry the same report.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { FirewallAudit } from '../../lib/audit';
import * as azure from '../../lib/azure';
import { jsonFault } from '../../lib/cli/json';
import { run } from '../../lib/cli/main';
import { nsgList } from '../support/exports';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'audit');
const fx = (name: string) => path.join(FIXTURES, name);
const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'segura-audit-'));
afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));
const file = (name: string, value: unknown) => { const f = path.join(DIR, name); fs.writeFileSync(f, typeof value === 'string' ? value : JSON.stringify(value)); return f; };

async function cliIn(columns: number | undefined, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []; const err: string[] = [];
  const code = await run(argv, { out: s => { out.push(s); }, err: s => { err.push(s); }, stdin: () => '', columns });
  return { code, out: out.join(''), err: err.join('') };
}
const cli = (...argv: string[]) => cliIn(undefined, argv);

const AWS = ['audit', 'aws', '--config', fx('aws-site.json'), '--security-groups', fx('aws-describe-security-groups.json'),
  '--primary', 'sg-0aaa0000000000000,sg-0ccc0000000000000', '--member', 'sg-0bbb0000000000000, sg-0ccc0000000000000'];

describe('segura-firewall audit', () => {
  test('findings: exit 1; JSON is the library\'s report; the table and Markdown say the same', async () => {
    const json = await cli(...AWS, '--prefix-lists', fx('aws-prefix-list-entries.json'), '--format', 'json');
    expect([json.code, json.err]).toEqual([1, '']);
    const report = FirewallAudit.aws({
      config: JSON.parse(fs.readFileSync(fx('aws-site.json'), 'utf8')),
      securityGroups: JSON.parse(fs.readFileSync(fx('aws-describe-security-groups.json'), 'utf8')),
      prefixLists: JSON.parse(fs.readFileSync(fx('aws-prefix-list-entries.json'), 'utf8')),
      groups: { primary: ['sg-0aaa0000000000000', 'sg-0ccc0000000000000'], members: ['sg-0bbb0000000000000', 'sg-0ccc0000000000000'] },
    });
    expect(JSON.parse(json.out)).toEqual(JSON.parse(JSON.stringify(report)));
    const table = await cli(...AWS);
    expect(table.code).toBe(1);
    expect(table.out).toMatch(/^Missing: 2 planned flows the rules do not allow\nRow +Source +Source address +Destination +Destination address +Protocol +Port +Why\n/);
    expect(table.out).toContain('\nUnresolved: 1 rule the audit could not judge\n');
    expect(table.out.endsWith('Findings: 2 missing, 10 extra, 1 unresolved.\n')).toBe(true);
    const markdown = await cli(...AWS, '--format', 'markdown');
    expect(markdown.out).toContain('### Extra: 10 rule parts that nothing in the plan needs\n\n| Rule | Source | Destination | Protocol | Ports | Why |\n| --- |');
  });

  test('nothing found: exit 0 (the library\'s own NSGs, exported)', async () => {
    const stack = new TerraformStack(Testing.app(), 'a');
    const at = { resourceGroupName: 'rg', location: 'brazilsouth' };
    new azure.SeguraCluster(stack, 'Segura', { ...at, users: [azure.Peer.ipv4('10.10.0.0/16')] });
    const { nsgs, asgIds } = nsgList(JSON.parse(Testing.synth(stack)));
    const r = await cli('audit', 'azure', '--config', file('site.json', { primary: ['10.0.1.4/32'], members: ['10.0.1.5/32'], users: ['10.10.0.0/16'] }),
      '--nsgs', file('nsgs.json', nsgs), '--cluster-nsg', 'segura-nsg', '--vnet', '10.0.0.0/16',
      '--primary-asg', asgIds.get('segura-prd-asg')!, '--member-asg', asgIds.get('segura-mbr-asg')!);
    expect(r).toEqual({ code: 0, out: 'No findings: the rules allow exactly the plan.\n', err: '' });
  });

  test.each([
    [['audit'], 'segura-firewall: audit needs a source: aws, azure, cloudformation, terraform. See \'segura-firewall audit --help\''],
    [['audit', 'gcp'], 'segura-firewall: unknown source "gcp" for audit. Sources: aws, azure, cloudformation, terraform'],
    [['audit', 'azur'], 'segura-firewall: unknown source "azur" for audit. Did you mean "azure"? Sources: aws, azure, cloudformation, terraform'],
    [['audit', 'aws', '--security-groups', 'x.json'], 'segura-firewall: --config: is required (see \'segura-firewall audit aws --help\')'],
    [['audit', 'aws', '--members', 'sg-1'], 'segura-firewall: unknown option "--members" for audit aws. Did you mean "--member"? See \'segura-firewall audit aws --help\''],
    [[...AWS, '--format', 'csv'], 'segura-firewall: unknown format "csv" for audit. Formats: table, markdown, json, sarif'],
    [['audit', 'aws', '--config', fx('aws-site.json'), '--security-groups', fx('aws-describe-security-groups.json'), '--primary', 'sg-0aaa0000000000009', '--member', 'sg-0bbb0000000000000'],
      'segura-firewall: --primary[0]: "sg-0aaa0000000000009" is not a security group of the export (4 groups). Did you mean "sg-0aaa0000000000000"?'],
    [['audit', 'aws', '--config', fx('aws-site.json'), '--security-groups', fx('aws-describe-security-groups.json'), '--primary', 'sg-0aaa0000000000000'],
      'segura-firewall: --member: is required: the config has members (10.0.1.5/32)'],
    [['audit', 'azure', '--config', fx('azure-site.json'), '--nsgs', fx('azure-nsg-list.json'), '--cluster-nsg', 'segura-nsg', '--vnet', '10.0.0.0/33'],
      'segura-firewall: --vnet[0]: "10.0.0.0/33" is not a valid IPv4 CIDR (the mask must be 0-32)'],
    [['audit', 'azure', '--config', fx('azure-site.json'), '--nsgs', fx('azure-nsg-list.json'), '--cluster-nsg', 'segura_nsg', '--vnet', '10.0.0.0/16'],
      'segura-firewall: --cluster-nsg: "segura_nsg" is not an NSG of the export (2 NSGs). Did you mean "segura-nsg"?'],
    [['audit', 'azure', '--config', fx('azure-site.json'), '--nsgs', fx('azure-nsg-list.json'), '--cluster-nsg', 'segura-nsg', '--vnet', '10.0.0.0/16', '--domum-nsg', 'web-nsg'],
      'segura-firewall: --domum-nsg: given, but the config has no domum: add their addresses to the config as "domum"'],
  ] as Array<[string[], string]>)('bad input: exit 2, one line: %#', async (argv, message) => {
    expect(await cli(...argv)).toEqual({ code: 2, out: '', err: `${message}\n` });
  });

  test('errors in a file name the file and the field', async () => {
    const sgs = file('bad-sgs.json', { SecurityGroups: [{ GroupId: 'sg-1', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 'ssh' }] }] });
    const r = await cli('audit', 'aws', '--config', fx('aws-site.json'), '--security-groups', sgs, '--primary', 'sg-1', '--member', 'sg-1');
    expect(r).toEqual({ code: 2, out: '', err: `segura-firewall: ${sgs}: SecurityGroups[0].IpPermissions[0].FromPort: expected an integer within 0-65535, got "ssh"\n` });
    const config = file('site-net.json', { primary: ['10.0.1.0/24'] });
    expect((await cli('audit', 'aws', '--config', config, '--security-groups', sgs, '--primary', 'sg-1')).err)
      .toBe(`segura-firewall: ${config}: primary[0]: "10.0.1.0/24" is a network; the audit places each instance by its own address (a /32)\n`);
    const notJson = file('nsgs.txt', 'Name  ResourceGroup\nsegura-nsg  rg\n');
    expect((await cli('audit', 'azure', '--config', fx('azure-site.json'), '--nsgs', notJson, '--cluster-nsg', 'x', '--vnet', '10.0.0.0/16')).err)
      .toMatch(new RegExp(`^segura-firewall: NSG file ${notJson.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is not valid JSON: .+\\n$`));
  });

  test('the table fits the terminal: long cells wrap, the least useful columns go; piped, nothing is cut', async () => {
    const piped = await cli(...AWS);
    expect(Math.max(...piped.out.split('\n').map(l => l.length))).toBeGreaterThan(200);
    for (const width of [100, 80]) {
      const fitted = await cliIn(width, AWS);
      expect(fitted.code).toBe(1);
      const lines = fitted.out.split('\n');
      expect(lines.filter(l => l.length > width)).toEqual([]);
      // Every word of every finding is still there.
      const words = (text: string) => text.split(/\s+/).filter(w => w.length > 0 && !/^-+$/.test(w)).sort();
      const report = JSON.parse((await cli(...AWS, '--format', 'json')).out);
      for (const f of [...report.missing, ...report.extra, ...report.unresolved]) {
        for (const w of words(f.reason)) expect(fitted.out).toContain(w.length > 30 ? w.slice(0, 30) : w);
      }
    }
    // At 100 columns the protocol and port go first (the row ID says them); the reasons wrap.
    expect((await cliIn(100, AWS)).out).toMatch(/^Missing: 2 planned flows the rules do not allow\nRow +Source +Source address +Destination +Destination address +Why\n/);
  });

  test('JSON errors give the line and column', async () => {
    const sgs = file('trailing-comma.json', '{\n  "SecurityGroups": [],\n}\n');
    expect((await cli('audit', 'aws', '--config', fx('aws-site.json'), '--security-groups', sgs, '--primary', 'sg-1')).err)
      .toBe(`segura-firewall: security groups file ${sgs} is not valid JSON: line 3, column 1: Expected double-quoted property name\n`);
    const text = file('nsgs.txt', 'Name        ResourceGroup\nsegura-nsg  rg\n');
    expect((await cli('audit', 'azure', '--config', fx('azure-site.json'), '--nsgs', text, '--cluster-nsg', 'x', '--vnet', '10.0.0.0/16')).err)
      .toBe(`segura-firewall: NSG file ${text} is not valid JSON: line 1, column 1: Unexpected token 'N'\n`);
  });

  test('the place of a JSON fault, for each kind of message JSON.parse gives (with an offset, without one, at the end)', () => {
    const fault = (text: string) => {
      try { JSON.parse(text); } catch (e) { return jsonFault(text, e as Error); }
      throw new Error('parsed');
    };
    expect(fault('[1,\n 2,\n x]')).toEqual({ line: 3, column: 2, reason: 'Unexpected token \'x\'' });
    expect(fault('{"a": 1,\n  "b": 01}')).toEqual({ line: 2, column: 9, reason: 'Unexpected number' });
    expect(fault('{"a": 1}\n}')).toEqual({ line: 2, column: 1, reason: 'Unexpected non-whitespace character' });
    expect(fault('{"a":\n  [1, 2')).toEqual({ line: 2, column: 8, reason: 'Expected \',\' or \']\' after array element' });
    expect(fault('')).toEqual({ line: 1, column: 1, reason: 'the text ends before the JSON does' });
  });

  test('known shapes of the wrong command are named, with the command to run', async () => {
    const nsgs = JSON.parse(fs.readFileSync(fx('azure-nsg-list.json'), 'utf8'));
    const auditAzure = (f: string) => cli('audit', 'azure', '--config', fx('azure-site.json'), '--nsgs', f, '--cluster-nsg', 'segura-nsg', '--vnet', '10.0.0.0/16');
    const ruleList = file('rule-list.json', nsgs[0].securityRules);
    expect((await auditAzure(ruleList)).err).toBe(`segura-firewall: ${ruleList}: this is a list of one NSG's security rules (\`az network nsg rule list\`, or the REST API's SecurityRules_List), without the NSG: `
      + 'export the NSGs with `az network nsg list -o json`, or one with `az network nsg show -g RG -n NSG -o json`\n');
    const created = file('created.json', { NewNSG: nsgs[0] });
    expect((await auditAzure(created)).err).toBe(`segura-firewall: ${created}: this is the output of \`az network nsg create\` ({"NewNSG": ...}), which holds only the NSG as created: `
      + 'export the NSGs with `az network nsg list -o json`, or one with `az network nsg show -g RG -n NSG -o json`\n');
    const aws = file('aws-as-azure.json', JSON.parse(fs.readFileSync(fx('aws-describe-security-groups.json'), 'utf8')));
    expect((await auditAzure(aws)).err).toBe(`segura-firewall: ${aws}: this is an AWS export (\`aws ec2 describe-security-groups\`): audit it with \`segura-firewall audit aws\`\n`);
    const rules = file('sg-rules.json', { SecurityGroupRules: [] });
    expect((await cli('audit', 'aws', '--config', fx('aws-site.json'), '--security-groups', rules, '--primary', 'sg-1', '--member', 'sg-2')).err)
      .toBe(`segura-firewall: ${rules}: this is the output of \`aws ec2 describe-security-group-rules\` (one rule per entry, without the groups): `
        + 'export the groups with `aws ec2 describe-security-groups --output json`\n');
  });

  test('empty values are errors, as on AWS', async () => {
    const auditAzure = (...flags: string[]) => cli('audit', 'azure', '--config', fx('azure-site.json'), '--nsgs', fx('azure-nsg-list.json'), '--vnet', '10.0.0.0/16', ...flags);
    expect((await auditAzure('--cluster-nsg', 'segura-nsg', '--primary-asg', '')).err).toBe('segura-firewall: --primary-asg: is empty: give ASG resource IDs\n');
    expect((await auditAzure('--cluster-nsg', '')).err).toBe('segura-firewall: --cluster-nsg: is empty: give the name or resource ID of an NSG\n');
    expect((await cli('audit', 'azure', '--config', fx('azure-site.json'), '--nsgs', fx('azure-nsg-list.json'), '--vnet', ',', '--cluster-nsg', 'segura-nsg')).err)
      .toBe('segura-firewall: --vnet: is empty: give the address spaces the VirtualNetwork tag stands for (your VNet\'s, peered VNets\', on-premises ones)\n');
    expect((await cli('audit', 'aws', '--config', fx('aws-site.json'), '--security-groups', fx('aws-describe-security-groups.json'), '--primary', '')).err)
      .toBe('segura-firewall: --primary: is empty: give the IDs of the groups the instances wear\n');
  });

  test('help: audit, and each cloud\'s flags', async () => {
    expect((await cli('audit', '--help')).out).toMatch(/^Usage: segura-firewall audit aws\|azure\|cloudformation\|terraform \[options\]\n/);
    expect((await cli('help', 'audit')).out).toBe((await cli('audit', '-h')).out);
    const aws = await cli('audit', 'aws', '--help');
    expect(aws.code).toBe(0);
    for (const flag of ['--config', '--security-groups', '--primary', '--member', '--domum', '--arbitrator', '--prefix-lists', '--format']) expect(aws.out).toContain(flag);
    const az = (await cli('audit', 'azure', '--help')).out;
    for (const flag of ['--nsgs', '--cluster-nsg', '--domum-nsg', '--arbitrator-nsg', '--primary-asg', '--member-asg', '--domum-asg', '--arbitrator-asg', '--vnet',
      '--primary-nic-nsg', '--member-nic-nsg', '--domum-nic-nsg', '--arbitrator-nic-nsg']) {
      expect(az).toContain(flag);
    }
    expect((await cli('--help')).out).toContain('\n  audit     a firewall against the plan: AWS security groups and Azure NSGs as exported,\n'
      + '            CloudFormation templates and Terraform plans before deploying\n');
  });
});
