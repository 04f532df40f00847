/**
 * Property-based tests: random configurations on both clouds, synthesized, then
 * evaluated by the project's own evaluators. Exactly the plan's flows are allowed:
 * no more, no less. The expectation comes from FirewallPlan on the test's own input,
 * never from the construct under test.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { TerraformStack, Testing } from 'cdktf';
import * as fc from 'fast-check';
import * as aws from '../lib/aws';
import * as azure from '../lib/azure';
import { FirewallMatrix, FirewallPlan, Role, Section } from '../lib/core';
import { atoms, expectedAtoms, minus, ruleFacts, synthTemplates, wearersOf } from './support/aws-evaluator';
import { allowedConnections, AZURE_LB, Entity, expectedConnections, firstAddress, NsgModel, probePorts } from './support/azure-evaluator';
import { collectPeers, keysUnder, CONSTRUCT_PEER_ROLES } from '../lib/core/config';

/** A random configuration, cloud-neutral: CIDR strings per role and the rule options. */
interface RandomConfig {
  users?: string[];
  devices?: string[];
  management: Record<string, string[] | undefined>;
  packageMirrors?: string[];
  aptProxy?: { peers: string[]; port?: number };
  portOverrides: Record<string, number>;
  disabledRules: string[];
  domum: boolean;
}

/** An IPv4 network (host bits zero), /8 to /32, never 0.0.0.0/0. */
const ipv4Cidr = fc.tuple(fc.integer({ min: 1, max: 223 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }),
  fc.integer({ min: 0, max: 255 }), fc.integer({ min: 8, max: 32 })).map(([a, b, c, d, mask]) => {
  const n = (((a * 256 + b) * 256 + c) * 256 + d);
  const size = 2 ** (32 - mask);
  const net = Math.floor(n / size) * size;
  return `${[Math.floor(net / 16777216) % 256, Math.floor(net / 65536) % 256, Math.floor(net / 256) % 256, net % 256].join('.')}/${mask}`;
});
/** Mostly IPv4; some IPv6 (AWS only). */
const anyCidr = fc.oneof({ weight: 4, arbitrary: ipv4Cidr },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0x2001, max: 0x2fff }), fc.integer({ min: 0, max: 0xffff })).map(([a, b]) => `${a.toString(16)}:${b.toString(16)}::/32`) });

const peers = (cidr: fc.Arbitrary<string>, max: number) => fc.option(fc.uniqueArray(cidr, { minLength: 1, maxLength: max }), { nil: undefined });
const port = fc.integer({ min: 1, max: 65535 });

function configArb(cidr: fc.Arbitrary<string>): fc.Arbitrary<RandomConfig> {
  return fc.record({
    users: peers(cidr, 2),
    devices: peers(cidr, 3),
    management: fc.record(Object.fromEntries(keysUnder('management', CONSTRUCT_PEER_ROLES).map(k => [k, peers(cidr, 2)]))) as
      fc.Arbitrary<Record<string, string[] | undefined>>,
    updates: fc.constantFrom('none', 'mirrors', 'proxy'),
    updatePeers: fc.uniqueArray(cidr, { minLength: 1, maxLength: 2 }),
    proxyPort: fc.option(port, { nil: undefined }),
    domum: fc.boolean(),
    overridePicks: fc.array(fc.tuple(fc.nat(), port), { maxLength: 4 }),
    disablePicks: fc.array(fc.nat(), { maxLength: 4 }),
  }).map(r => {
    const config: RandomConfig = {
      users: r.users,
      devices: r.devices,
      management: r.management,
      packageMirrors: r.updates === 'mirrors' ? r.updatePeers : undefined,
      aptProxy: r.updates === 'proxy' ? { peers: r.updatePeers, port: r.proxyPort } : undefined,
      portOverrides: {},
      disabledRules: [],
      domum: r.domum,
    };
    // Overrides and opt-outs only on rows that apply (others are errors, tested elsewhere).
    const applicable = FirewallPlan.flows(planOptions(config)).map(f => f.rowId).filter((id, i, all) => all.indexOf(id) === i)
      .filter(id => !(config.aptProxy?.port !== undefined && id === 'UPD-APT-PROXY'));
    if (applicable.length > 0) {
      for (const [pick, p] of r.overridePicks) config.portOverrides[applicable[pick % applicable.length]] = p;
      for (const pick of r.disablePicks) {
        const id = applicable[pick % applicable.length];
        if (config.portOverrides[id] === undefined && !config.disabledRules.includes(id)) config.disabledRules.push(id);
      }
    }
    return config;
  });
}

function rolePeers(c: RandomConfig): Map<Role, string[]> {
  return new Map(collectPeers<string>(c, () => {}).map(rp => [rp.role, rp.peers]));
}

function planOptions(c: RandomConfig) {
  return {
    peerRoles: [...rolePeers(c).keys(), ...(c.domum ? [Role.DOMUM] : [])],
    portOverrides: c.portOverrides,
    disabledRules: c.disabledRules,
    aptProxyPort: c.aptProxy?.port,
  };
}

function constructProps<P>(c: RandomConfig, peer: (cidr: string) => P) {
  const list = (l?: string[]) => l?.map(peer);
  return {
    users: list(c.users),
    devices: list(c.devices),
    management: Object.fromEntries(Object.entries(c.management).filter(([, v]) => v).map(([k, v]) => [k, list(v)])),
    packageMirrors: list(c.packageMirrors),
    aptProxy: c.aptProxy ? { peers: list(c.aptProxy.peers)!, port: c.aptProxy.port } : undefined,
    // Rows of the Domum table only apply with a gateway attached.
    portOverrides: c.portOverrides,
    disabledRules: c.disabledRules,
  };
}

describe('property: random configurations allow exactly the plan', () => {
  test('AWS', () => {
    fc.assert(fc.property(configArb(anyCidr), c => {
      const app = new App();
      const stack = new Stack(app, 'P');
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      const cluster = new aws.SeguraCluster(stack, 'Segura', {
        vpc,
        ruleQuota: 1000,
        ...constructProps(c, cidr => cidr.includes(':') ? ec2.Peer.ipv6(cidr) : ec2.Peer.ipv4(cidr)),
      });
      const groups = new Map<string, readonly ec2.ISecurityGroup[]>([
        [Role.PRD, cluster.primarySecurityGroups], [Role.MBR, cluster.memberSecurityGroups],
      ]);
      if (c.domum) {
        const domum = new aws.DomumGateway(new Stack(app, 'D'), 'Domum', { vpc, cluster });
        groups.set(Role.DOMUM, domum.securityGroups);
      }
      const evaluatorPeers = new Map([...rolePeers(c)].map(([role, list]) => [role as string, list.map(x => (x.includes(':') ? 'cidr6:' : 'cidr:') + x)]));
      const expected = expectedAtoms(FirewallPlan.flows(planOptions(c)), new Set(groups.keys()), evaluatorPeers);
      const actual = atoms(ruleFacts(synthTemplates(app)), wearersOf(groups));
      expect(minus(actual, expected)).toEqual([]);
      expect(minus(expected, actual)).toEqual([]);
    }), { numRuns: 25 });
  });

  test('Azure', () => {
    // Peers are not Segura nodes: their prefixes stay clear of the nodes' subnets (a peer
    // behind the cluster's own NSG would need that NSG to open its side as well).
    const notNodes = ipv4Cidr.filter(c => !['10.0.1.4', '10.0.1.5', '10.0.2.4'].some(ip => inNet(ip, c)));
    fc.assert(fc.property(configArb(notNodes), c => {
      const app = Testing.app();
      const stack = new TerraformStack(app, 'p');
      const cluster = new azure.SeguraCluster(stack, 'Segura', { resourceGroupName: 'rg', location: 'brazilsouth', ...constructProps(c, azure.Peer.ipv4) });
      if (c.domum) new azure.DomumGateway(stack, 'Domum', { resourceGroupName: 'rg', location: 'brazilsouth', cluster });
      const model = new NsgModel(JSON.parse(Testing.synth(stack)));
      const nsg = model.ref('azurerm_network_security_group', 'segura-nsg', 'name');
      const asg = (n: string) => model.ref('azurerm_application_security_group', n);
      const entities: Entity[] = [
        { name: 'PRD', ip: '10.0.1.4', asgs: [asg('segura-prd-asg')], tags: [], nsg, roles: [Role.PRD] },
        { name: 'MBR', ip: '10.0.1.5', asgs: [asg('segura-mbr-asg')], tags: [], nsg, roles: [Role.MBR] },
        { name: 'VNET', ip: '10.0.9.9', asgs: [], tags: [], roles: [] },
        { name: 'LB', ip: AZURE_LB, asgs: [], tags: [], roles: [] },
      ];
      if (c.domum) {
        entities.push({
          name: 'DOMUM',
          ip: '10.0.2.4',
          asgs: [asg('segura-domum-asg')],
          tags: [],
          nsg: model.ref('azurerm_network_security_group', 'segura-domum-nsg', 'name'),
          roles: [Role.DOMUM],
        });
      }
      // One probe address per peer CIDR. Every entity plays every role whose prefixes
      // contain its address (a random backup server 10.0.0.0/8 holds the nodes too).
      const all = [...rolePeers(c)];
      for (const cidr of new Set(all.flatMap(([, l]) => l))) entities.push({ name: cidr, ip: firstAddress(cidr), asgs: [], tags: [], roles: [] });
      for (const e of entities) e.roles.push(...all.filter(([, l]) => l.some(x => inNet(e.ip, x))).map(([r]) => r as string));
      const flows = FirewallPlan.flows(planOptions(c));
      const ports = probePorts(Object.values(c.portOverrides).concat(c.aptProxy?.port ?? []));
      const expected = expectedConnections(flows, entities, ports);
      const actual = allowedConnections(model, entities, ports);
      expect([...actual].filter(x => !expected.has(x))).toEqual([]);
      expect([...expected].filter(x => !actual.has(x))).toEqual([]);
    }), { numRuns: 40 });
  });

  test('the plan itself: every flow comes from a document row, and the cluster note mirrors the Primary', () => {
    fc.assert(fc.property(configArb(ipv4Cidr), c => {
      const flows = FirewallPlan.flows(planOptions(c));
      for (const f of flows) {
        const row = FirewallMatrix.tryFindRow(f.rowId)!;
        expect(f.protocol).toBe(row.protocol);
        expect(f.port).toBe(c.portOverrides[f.rowId] ?? (f.rowId === 'UPD-APT-PROXY' ? c.aptProxy?.port ?? row.port : row.port));
        expect(c.disabledRules).not.toContain(f.rowId);
      }
      const prd = flows.filter(f => f.section !== Section.CLUSTER && !f.viaClusterNote).map(f => f.id);
      expect(flows.filter(f => f.viaClusterNote).map(f => f.id)).toEqual(prd.map(id => `${id}@MBR`));
    }), { numRuns: 200 });
  });
});

function inNet(ip: string, cidr: string): boolean {
  const [net, bits] = cidr.split('/');
  const toInt = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toInt(ip) / size) === Math.floor(toInt(net) / size);
}
