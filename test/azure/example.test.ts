import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdktf';
import { buildAzureExample } from '../../examples/azure/app';
import { Role } from '../../lib/core';
import { allowedConnections, Entity, expectedConnections, firstAddress, NsgModel, probePorts } from '../support/azure-evaluator';

const ROOT = path.join(__dirname, '..', '..');
const ENV = { ...process.env, CHECKPOINT_DISABLE: '1', CDK_DISABLE_CLI_TELEMETRY: 'true' };

describe('the Azure example', () => {
  test('synthesizes; what its NSGs allow is exactly the plan', () => {
    const { stack } = buildAzureExample(Testing.app());
    const tf = JSON.parse(Testing.synth(stack));
    expect(Object.keys(tf.provider)).toEqual(['azurerm']); // the app's provider, not the library's
    const model = new NsgModel(tf);
    const nsg = model.ref('azurerm_network_security_group', 'segura-nsg', 'name');
    const asg = (n: string) => model.ref('azurerm_application_security_group', n);
    const peer = (cidr: string, ...roles: string[]): Entity => ({ name: cidr, ip: firstAddress(cidr), asgs: [], tags: [], roles });
    const entities: Entity[] = [
      { name: 'PRD', ip: '10.0.1.4', asgs: [asg('segura-prd-asg')], tags: [], nsg, roles: [Role.PRD] },
      { name: 'MBR1', ip: '10.0.1.5', asgs: [asg('segura-mbr-asg')], tags: [], nsg, roles: [Role.MBR] },
      { name: 'MBR2', ip: '10.0.1.6', asgs: [asg('segura-mbr-asg')], tags: [], nsg, roles: [Role.MBR] },
      { name: 'DOMUM', ip: '10.0.2.4', asgs: [asg('segura-domum-asg')], tags: [], nsg: model.ref('azurerm_network_security_group', 'segura-domum-nsg', 'name'), roles: [Role.DOMUM] },
      { name: 'ARB', ip: '10.0.3.4', asgs: [asg('segura-arbitrator-asg')], tags: [], nsg: model.ref('azurerm_network_security_group', 'segura-arbitrator-nsg', 'name'), roles: [Role.ARB] },
      peer('10.10.0.0/16', Role.USERW), peer('10.20.0.0/16', Role.DVC), peer('192.168.50.0/24', Role.DVC),
      peer('10.30.0.10/32', Role.NTP_SERVER), peer('10.30.0.53/32', Role.DNS_SERVER), peer('10.30.0.25/32', Role.MAIL_SERVER),
      peer('10.30.0.30/32', Role.LDAP_SERVER), peer('10.30.0.31/32', Role.LDAP_SERVER), peer('10.30.0.40/32', Role.RADIUS_SERVER),
      peer('10.30.0.41/32', Role.TACACS_SERVER), peer('10.30.0.50/32', Role.LOG_SERVER), peer('10.30.0.60/32', Role.BACKUP_SERVER),
      peer('203.0.113.10/32', Role.PACKAGE_MIRROR), peer('203.0.113.11/32', Role.PACKAGE_MIRROR),
      peer('10.0.9.9/32'), peer('198.51.100.7/32'),
    ];
    const ports = probePorts([587]);
    const expected = expectedConnections(stack.cluster.flows, entities, ports);
    const actual = allowedConnections(model, entities, ports);
    expect([...actual].filter(x => !expected.has(x))).toEqual([]);
    expect([...expected].filter(x => !actual.has(x))).toEqual([]);
    // The associations are there: NSGs on both subnets, NICs in their ASGs.
    expect(Object.keys(tf.resource.azurerm_subnet_network_security_group_association)).toHaveLength(3);
    expect(Object.keys(tf.resource.azurerm_network_interface_application_security_group_association)).toHaveLength(5);
  });

  test('two synths are byte-identical', () => {
    const once = () => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'segura-det-'));
      buildAzureExample(new App({ outdir })).app.synth();
      return fs.readFileSync(path.join(outdir, 'stacks', 'segura-azure', 'cdk.tf.json'));
    };
    const [a, b] = [once(), once()];
    expect(a.length).toBeGreaterThan(1000);
    expect(Buffer.compare(a, b)).toBe(0);
  });

  test('npx cdktf synth --hcl writes plain Terraform (HCL) offline, with the same resources as the JSON', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'segura-cdktf-'));
    execFileSync('npx', ['cdktf', 'synth', '--hcl', '--output', out], { cwd: ROOT, env: ENV, stdio: 'pipe', timeout: 120_000 });
    const hcl = fs.readFileSync(path.join(out, 'stacks', 'segura-azure', 'cdk.tf'), 'utf8');
    const tf = JSON.parse(Testing.synth(buildAzureExample(Testing.app()).stack));
    const resources = (type: string) => Object.keys(tf.resource[type]).sort();
    for (const type of ['azurerm_network_security_rule', 'azurerm_network_security_group', 'azurerm_application_security_group']) {
      const inHcl = [...hcl.matchAll(new RegExp(`^resource "${type}" "([^"]+)"`, 'gm'))].map(m => m[1]).sort();
      expect({ type, names: inHcl }).toEqual({ type, names: resources(type) });
    }
  });
});

describe('the AWS example through the CDK CLI', () => {
  test('npx cdk synth works offline', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'segura-cdk-'));
    execFileSync('npx', ['cdk', 'synth', '--no-notices', '-q', '-o', out], { cwd: ROOT, env: ENV, stdio: 'pipe', timeout: 180_000 });
    expect(fs.readdirSync(out).filter(f => f.endsWith('.template.json')).sort()).toEqual(['SeguraArbitrator.template.json', 'SeguraDomum.template.json', 'SeguraNetwork.template.json']);
  });
});
