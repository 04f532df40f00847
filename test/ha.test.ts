/**
 * A real Segura HA cluster on both clouds: member to member on the cluster ports,
 * and the Arbitrator, in the cloud (SeguraArbitrator) or outside it (peers), evaluated
 * on what was synthesized: exactly the plan, and the Arbitrator reached by nothing but
 * the instances on its ports.
 */
import './support/fast-synth';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { TerraformStack, Testing } from 'cdktf';
import * as aws from '../lib/aws';
import * as azure from '../lib/azure';
import { FirewallPlan, Role } from '../lib/core';
import { FULL, cidr } from './aws/helpers';
import { AZ_FULL, azurePeers, ip } from './azure/helpers';
import { atoms, expectedAtoms, minus, ruleFacts, synthTemplates, wearersOf } from './support/aws-evaluator';
import { Entity, evaluateNsgs, NsgModel } from './support/azure-evaluator';
import { planOf } from './support/config-reader';

// Each test synthesizes whole apps on both clouds.
jest.setTimeout(60_000);

const ARBITRATOR_PORTS = ['tcp/3306', 'tcp/4444', 'tcp/4567', 'tcp/4568', 'tcp/9300', 'udp/4567'];

describe('AWS: the Arbitrator and member to member', () => {
  const build = (arbitrator: 'stack' | 'peers') => {
    const app = new App();
    const stack = new Stack(app, 'Cluster');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const options = { ...FULL, ...(arbitrator === 'peers' ? { arbitrator: [cidr('172.16.0.9/32')] } : {}) };
    const cluster = new aws.SeguraCluster(stack, 'Segura', { vpc, ...options });
    const domum = new aws.DomumGateway(new Stack(app, 'Domum'), 'Domum', { vpc, cluster });
    const groups = new Map<string, readonly ec2.ISecurityGroup[]>([
      [Role.PRD, cluster.primarySecurityGroups], [Role.MBR, cluster.memberSecurityGroups], [Role.DOMUM, domum.securityGroups],
    ]);
    let arbStack: Stack | undefined;
    if (arbitrator === 'stack') {
      arbStack = new Stack(app, 'Arbitrator');
      groups.set(Role.ARB, new aws.SeguraArbitrator(arbStack, 'Arbitrator', { vpc, cluster }).securityGroups);
    }
    const peers = new Map<string, string[]>([[Role.USERW, ['cidr:10.10.0.0/16']], [Role.DVC, ['cidr:10.20.0.0/16', 'cidr:10.22.0.0/16']],
      [Role.NTP_SERVER, ['cidr:10.30.0.1/32']], [Role.DNS_SERVER, ['cidr:10.30.0.2/32']], [Role.MAIL_SERVER, ['cidr:10.30.0.3/32']],
      [Role.LDAP_SERVER, ['cidr:10.30.0.4/32']], [Role.RADIUS_SERVER, ['cidr:10.30.0.5/32']], [Role.TACACS_SERVER, ['cidr:10.30.0.6/32']],
      [Role.LOG_SERVER, ['cidr:10.30.0.7/32']], [Role.BACKUP_SERVER, ['cidr:10.30.0.8/32']], [Role.PACKAGE_MIRROR, ['cidr:203.0.113.10/32']],
      ...(arbitrator === 'peers' ? [[Role.ARB, ['cidr:172.16.0.9/32']] as [string, string[]]] : [])]);
    const templates = synthTemplates(app);
    const flows = planOf(options, [Role.DOMUM, ...(arbitrator === 'stack' ? [Role.ARB] : [])]);
    return { app, cluster, groups, peers, flows, templates, actual: atoms(ruleFacts(templates), wearersOf(groups)), arbStack, stack };
  };

  test.each(['stack', 'peers'] as const)('an Arbitrator (%s): exactly the plan, and the Arbitrator only with the instances on its ports', (kind) => {
    const b = build(kind);
    const expected = expectedAtoms(b.flows, new Set(b.groups.keys()), b.peers);
    expect(minus(b.actual, expected)).toEqual([]);
    expect(minus(expected, b.actual)).toEqual([]);
    const arb = kind === 'stack' ? 'sg:ARB' : 'cidr:2886729737-2886729737';
    const touching = [...b.actual].filter(a => a.startsWith('ARB|') || a.includes(`|${arb}|`));
    // Each instance role: its ports, both ways; the Arbitrator's own group mirrors them.
    for (const node of [Role.PRD, Role.MBR]) {
      for (const direction of ['egress', 'ingress']) {
        expect(touching.filter(a => a.startsWith(`${node}|${direction}|${arb}|`)).map(a => a.split('|').slice(3).join('/')).sort()).toEqual(ARBITRATOR_PORTS);
      }
    }
    if (kind === 'stack') {
      const own = touching.filter(a => a.startsWith('ARB|'));
      expect(new Set(own.map(a => a.split('|')[2]))).toEqual(new Set(['sg:PRD', 'sg:MBR']));
      expect(own).toHaveLength(ARBITRATOR_PORTS.length * 2 * 2);
    }
    expect(touching).toHaveLength(ARBITRATOR_PORTS.length * 2 * 2 * (kind === 'stack' ? 2 : 1));
  });

  test('the Arbitrator in its own stack: no cycle, every rule it needs lives in its stack', () => {
    const b = build('stack');
    const clusterRules = Object.values<any>(b.templates.Cluster.Resources).filter(r => JSON.stringify(r).includes('ARB-'));
    expect(clusterRules).toEqual([]);
    expect(b.stack.dependencies).toEqual([]);
    expect(b.arbStack!.dependencies).toEqual([b.stack]);
  });

  test('member to member: the members\' group toward itself on the cluster ports, both ways', () => {
    const b = build('peers');
    const m2m = (direction: string) => [...b.actual].filter(a => a.startsWith(`MBR|${direction}|sg:MBR|`)).map(a => a.split('|').slice(3).join('/')).sort();
    const ports = FirewallPlan.flows({ peerRoles: [] }).filter(f => f.source === Role.PRD).map(f => `${f.protocol}/${f.port}`).sort();
    expect(m2m('egress')).toEqual(ports);
    expect(m2m('ingress')).toEqual(ports);
  });
});

describe('Azure: the Arbitrator and member to member', () => {
  const build = (arbitrator: 'nsg' | 'peers') => {
    const stack = new TerraformStack(Testing.app(), 'ha');
    const placement = { resourceGroupName: 'rg', location: 'brazilsouth' };
    const options = { ...AZ_FULL, ...(arbitrator === 'peers' ? { arbitrator: [ip('172.16.0.9/32')] } : {}) };
    const cluster = new azure.SeguraCluster(stack, 'Segura', { ...placement, ...options });
    if (arbitrator === 'nsg') new azure.SeguraArbitrator(stack, 'Arbitrator', { ...placement, cluster });
    const model = new NsgModel(JSON.parse(Testing.synth(stack)));
    const nsg = model.ref('azurerm_network_security_group', 'segura-nsg', 'name');
    const asg = (n: string) => model.ref('azurerm_application_security_group', n);
    const instances: Entity[] = [
      { name: 'PRD', ip: '10.0.1.4', asgs: [asg('segura-prd-asg')], tags: [], nsg, roles: [Role.PRD] },
      { name: 'MBR1', ip: '10.0.1.5', asgs: [asg('segura-mbr-asg')], tags: [], nsg, roles: [Role.MBR] },
      { name: 'MBR2', ip: '10.0.1.6', asgs: [asg('segura-mbr-asg')], tags: [], nsg, roles: [Role.MBR] },
      ...(arbitrator === 'nsg'
        ? [{ name: 'ARB', ip: '10.0.3.4', asgs: [asg('segura-arbitrator-asg')], tags: [], nsg: model.ref('azurerm_network_security_group', 'segura-arbitrator-nsg', 'name'), roles: [Role.ARB] }]
        : []),
    ];
    return evaluateNsgs(model, instances, azurePeers(options), planOf(options, arbitrator === 'nsg' ? [Role.ARB] : []));
  };

  test.each(['nsg', 'peers'] as const)('an Arbitrator (%s): exactly the plan, and the Arbitrator only with the instances on its ports', (kind) => {
    const { extra, missing, actual } = build(kind);
    expect(extra).toEqual([]);
    expect(missing).toEqual([]);
    // The Arbitrator: its instance (and its IPv6 address) in the cloud, or the peer's address outside it.
    const ends = kind === 'nsg' ? [['ARB', ''], ['ARB/6', '/6']] : [['172.16.0.9/32', '']];
    const arb = [...actual].filter(c => ends.some(([a]) => c.startsWith(`${a}>`) || c.includes(`>${a} `)));
    for (const [a, v6] of ends) {
      for (const node of ['PRD', 'MBR1', 'MBR2']) {
        expect(arb.filter(c => c.startsWith(`${node}${v6}>${a} `)).map(c => c.split(' ')[1]).sort()).toEqual(ARBITRATOR_PORTS);
        expect(arb.filter(c => c.startsWith(`${a}>${node}${v6} `)).map(c => c.split(' ')[1]).sort()).toEqual(ARBITRATOR_PORTS);
      }
    }
    expect(arb).toHaveLength(ARBITRATOR_PORTS.length * 3 * 2 * ends.length);
  });

  test('member to member: between the two members on the cluster ports, both ways', () => {
    const { actual } = build('nsg');
    const ports = FirewallPlan.flows({ peerRoles: [] }).filter(f => f.source === Role.PRD).map(f => `${f.protocol}/${f.port}`).sort();
    expect([...actual].filter(c => c.startsWith('MBR1>MBR2 ')).map(c => c.split(' ')[1]).sort()).toEqual(ports);
    expect([...actual].filter(c => c.startsWith('MBR2>MBR1 ')).map(c => c.split(' ')[1]).sort()).toEqual(ports);
  });
});
