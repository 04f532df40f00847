/**
 * Stability: for each integration, turning it on or off changes only its own
 * resources. On AWS no logical ID and no rule of another integration changes; on
 * Azure no rule name, priority or content of another integration changes.
 */
import './support/fast-synth';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { TerraformStack, Testing } from 'cdktf';
import * as aws from '../lib/aws';
import * as azure from '../lib/azure';
import { FirewallMatrix, Role } from '../lib/core';
import { ruleFacts } from './support/aws-evaluator';
import { peerRoleOf } from '../lib/core/plan';

// Every integration on and off, each a synthesized app, on both clouds.
jest.setTimeout(120_000);

/** Every integration, each with its own addresses (no two roles share a peer). */
const CIDRS: Record<string, string[]> = {
  'users': ['10.10.0.0/16'],
  'devices': ['10.20.0.0/16', '10.21.0.0/16'],
  'management.ntp': ['10.30.0.1/32'],
  'management.dns': ['10.30.0.2/32'],
  'management.mail': ['10.30.0.3/32'],
  'management.ldap': ['10.30.0.4/32'],
  'management.radius': ['10.30.0.5/32'],
  'management.tacacs': ['10.30.0.6/32'],
  'management.syslog': ['10.30.0.7/32'],
  'management.backup': ['10.30.0.8/32'],
  'packageMirrors': ['203.0.113.10/32'],
};
const ROLE_OF: Record<string, Role> = {
  'users': Role.USERW,
  'devices': Role.DVC,
  'management.ntp': Role.NTP_SERVER,
  'management.dns': Role.DNS_SERVER,
  'management.mail': Role.MAIL_SERVER,
  'management.ldap': Role.LDAP_SERVER,
  'management.radius': Role.RADIUS_SERVER,
  'management.tacacs': Role.TACACS_SERVER,
  'management.syslog': Role.LOG_SERVER,
  'management.backup': Role.BACKUP_SERVER,
  'packageMirrors': Role.PACKAGE_MIRROR,
  'aptProxy': Role.APT_PROXY,
  'domum': Role.DOMUM,
};
const INTEGRATIONS = [...Object.keys(CIDRS), 'aptProxy', 'domum'];

/**
 * Every integration on, but for `integration` when `on` is false. The APT proxy
 * replaces the mirrors, so its baseline has no mirrors.
 */
function props<P>(peer: (c: string) => P, integration: string, on: boolean): any {
  const out: any = { management: {} };
  for (const [key, cidrs] of Object.entries(CIDRS)) {
    if ((key === integration && !on) || (key === 'packageMirrors' && integration === 'aptProxy')) continue;
    const [a, b] = key.split('.');
    if (b) out.management[b] = cidrs.map(peer); else out[a] = cidrs.map(peer);
  }
  if (integration === 'aptProxy' && on) out.aptProxy = { peers: [peer('10.40.0.1/32')] };
  return out;
}

/** The row IDs an integration owns: the rows whose peer is its role. */
function ownRows(integration: string): Set<string> {
  return new Set(FirewallMatrix.ALL_ROWS.filter(r => peerRoleOf(r) === ROLE_OF[integration]).map(r => r.id));
}
const rowsOf = (description: string) => description.split(':')[0].split(' ');

/** Device networks that fill overflow groups at AWS's default quota (none of them adjacent). */
const MANY_DEVICES = Array.from({ length: 12 }, (_, i) => `10.${100 + 2 * i}.0.0/24`);

/** One group per role (ruleQuota 200), or overflow groups at the default quota. */
/**
 * With every integration on, the template is the same whichever integration is being
 * toggled (but for the APT proxy, which replaces the mirrors): synthesized once.
 */
const memo = new Map<string, any>();
const once = <T>(key: string, make: () => T): T => {
  if (!memo.has(key)) memo.set(key, make());
  return memo.get(key);
};
const onKey = (integration: string) => (integration === 'aptProxy' ? 'aptProxy' : 'all');

function awsTemplate(integration: string, on: boolean, overflow = false): any {
  if (on) return once(`aws|${onKey(integration)}|${overflow}`, () => synthAwsTemplate(integration, true, overflow));
  return synthAwsTemplate(integration, on, overflow);
}

function azureRules(integration: string, on: boolean): Map<string, string> {
  if (on) return once(`azure|${onKey(integration)}`, () => synthAzureRules(integration, true));
  return synthAzureRules(integration, on);
}

function synthAwsTemplate(integration: string, on: boolean, overflow: boolean): any {
  const app = new App();
  const stack = new Stack(app, 'S');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const base = props(ec2.Peer.ipv4, integration, on);
  if (overflow && base.devices) base.devices = MANY_DEVICES.map(c => ec2.Peer.ipv4(c));
  const cluster = new aws.SeguraCluster(stack, 'Segura', { vpc, ...(overflow ? {} : { ruleQuota: 200 }), ...base });
  if (integration !== 'domum' || on) new aws.DomumGateway(stack, 'Domum', { vpc, cluster });
  return app.synth().getStackByName('S').template;
}

function synthAzureRules(integration: string, on: boolean): Map<string, string> {
  const stack = new TerraformStack(Testing.app(), 's');
  const base = props(azure.Peer.ipv4, integration, on);
  const cluster = new azure.SeguraCluster(stack, 'Segura', { resourceGroupName: 'rg', location: 'brazilsouth', ...base });
  if (integration !== 'domum' || on) new azure.DomumGateway(stack, 'Domum', { resourceGroupName: 'rg', location: 'brazilsouth', cluster });
  const tf = JSON.parse(Testing.synth(stack));
  return new Map(Object.entries<any>(tf.resource.azurerm_network_security_rule).map(([id, r]) => [`${id} ${r.name}`, JSON.stringify(r)]));
}

describe.each(INTEGRATIONS)('turning %s on or off', (integration) => {
  const own = ownRows(integration);
  const isOwn = (description: string) => rowsOf(description).every(id => own.has(id));

  test.each([false, true])('AWS: other rules and every other logical ID stay as they are (overflow groups: %s)', (overflow) => {
    const on = awsTemplate(integration, true, overflow);
    const off = awsTemplate(integration, false, overflow);
    if (overflow) expect(Object.values<any>(on.Resources).filter(r => r.Type === 'AWS::EC2::SecurityGroup').length).toBeGreaterThan(3);
    const others = (t: any) => ruleFacts({ S: t }).filter(f => !isOwn(f.description!)).map(f => JSON.stringify(f)).sort();
    expect(others(off)).toEqual(others(on));
    const ownIds = (t: any) => Object.keys(t.Resources).filter(id => !/^(AWS::EC2::SecurityGroup(Ingress|Egress))$/.test(t.Resources[id].Type) || !isOwn(t.Resources[id].Properties.Description));
    // Overflow groups that hold only the integration's own rules are its own too.
    const ownGroups = (t: any) => Object.keys(t.Resources).filter(id => t.Resources[id].Type === 'AWS::EC2::SecurityGroup'
      && (t.Resources[id].Properties.SecurityGroupEgress ?? []).every((r: any) => isOwn(r.Description) || r.CidrIp === '255.255.255.255/32')
      && (t.Resources[id].Properties.SecurityGroupIngress ?? []).every((r: any) => isOwn(r.Description))
      && /\(overflow group \d+\)$/.test(t.Resources[id].Properties.GroupDescription));
    expect(ownIds(off)).toEqual(ownIds(on).filter(id => (integration !== 'domum' || !id.startsWith('Domum')) && !ownGroups(on).includes(id)));
    expect(ruleFacts({ S: on }).filter(f => isOwn(f.description!)).length).toBeGreaterThan(0);
  });

  test('Azure: other rules keep their names, priorities and contents', () => {
    const on = azureRules(integration, true);
    const off = azureRules(integration, false);
    const isOwnRule = (json: string) => { const r = JSON.parse(json); return r.access === 'Allow' && isOwn(r.description); };
    const domumNsg = (r: string) => integration === 'domum' && JSON.parse(r).network_security_group_name.includes('Domum');
    const others = (m: Map<string, string>) => [...m].filter(([, r]) => !isOwnRule(r) && !domumNsg(r)).sort();
    expect(others(off)).toEqual(others(on));
    expect([...on.values()].filter(isOwnRule).length).toBeGreaterThan(0);
  });
});

describe('AWS overflow groups: growth moves no rule', () => {
  /** The rules of the overflow estate with `devices`, each by content, with the group that holds it. */
  const where = (devices: string[]) => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const base = props(ec2.Peer.ipv4, 'none', true);
    base.devices = devices.map(c => ec2.Peer.ipv4(c));
    const cluster = new aws.SeguraCluster(stack, 'Segura', { vpc, ...base });
    new aws.DomumGateway(stack, 'Domum', { vpc, cluster });
    const facts = ruleFacts({ S: app.synth().getStackByName('S').template });
    return { cluster, rules: new Map(facts.map(f => [`${f.direction}|${f.peer}|${f.protocol}|${f.fromPort}|${f.description}`, f.group])) };
  };

  test('a device network appended to the list moves no rule, even one first in address order', () => {
    const before = where(MANY_DEVICES);
    // 10.1.0.0/24 comes first in address order: where the previous layout (by address) moved the most.
    const after = where([...MANY_DEVICES, '10.1.0.0/24']);
    expect(before.cluster.primarySecurityGroups.length).toBeGreaterThan(2);
    expect([...before.rules].filter(([k, g]) => after.rules.get(k) !== g)).toEqual([]);
    expect(after.rules.size - before.rules.size).toBe(22);
  });

  test('the same networks listed in another order: the layout follows the list', () => {
    const before = where(MANY_DEVICES);
    const reordered = where([MANY_DEVICES[11], ...MANY_DEVICES.slice(0, 11)]);
    expect([...before.rules].filter(([k, g]) => reordered.rules.get(k) !== g).length).toBeGreaterThan(0);
  });
});

describe('construct IDs are a contract', () => {
  test('AWS: PrimarySecurityGroup, MemberSecurityGroup, and the gateway\'s SecurityGroup', () => {
    const app = new App();
    const stack = new Stack(app, 'S');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const cluster = new aws.SeguraCluster(stack, 'Segura', { vpc });
    const domum = new aws.DomumGateway(stack, 'Domum', { vpc, cluster });
    expect([cluster.primarySecurityGroup, cluster.memberSecurityGroup, domum.securityGroup].map(g => g.node.path))
      .toEqual(['S/Segura/PrimarySecurityGroup', 'S/Segura/MemberSecurityGroup', 'S/Domum/SecurityGroup']);
  });

  test('Azure: the NSGs and ASGs, and each rule under its own name', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    const cluster = new azure.SeguraCluster(stack, 'Segura', { resourceGroupName: 'rg', location: 'brazilsouth' });
    const domum = new azure.DomumGateway(stack, 'Domum', { resourceGroupName: 'rg', location: 'brazilsouth', cluster });
    expect([cluster.networkSecurityGroup, cluster.primaryApplicationSecurityGroup, cluster.memberApplicationSecurityGroup,
      domum.networkSecurityGroup, domum.applicationSecurityGroup].map(r => r.node.path)).toEqual([
      's/Segura/NetworkSecurityGroup', 's/Segura/PrimaryApplicationSecurityGroup', 's/Segura/MemberApplicationSecurityGroup',
      's/Domum/NetworkSecurityGroup', 's/Domum/ApplicationSecurityGroup',
    ]);
    expect(cluster.node.tryFindChild('Segura-Out-PRD-to-MBR-Tcp')).toBeDefined();
    expect(domum.node.tryFindChild('Segura-In-DOMUM-from-PRD_MBR-Tcp')).toBeDefined();
  });
});
