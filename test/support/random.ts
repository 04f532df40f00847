/**
 * Random configurations for the property tests, and how each cloud synthesizes and
 * evaluates one. The expectation always comes from FirewallPlan on the test's own
 * input, never from the construct under test.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { TerraformStack, Testing } from 'cdktf';
import * as fc from 'fast-check';
import { atoms, expectedAtoms, ruleFacts, synthTemplates, wearersOf } from './aws-evaluator';
import { AzureEvaluation, AzurePeers, Entity, evaluateNsgs, NsgModel } from './azure-evaluator';
import { peersByRole } from './config-reader';
import * as aws from '../../lib/aws';
import * as azure from '../../lib/azure';
import { ClusterTraffic, FirewallMatrix, FirewallPlan, Flow, PlanOptions, Role } from '../../lib/core';
import { CONSTRUCT_PEER_ROLES, keysUnder } from '../../lib/core/config';

/** A random configuration, cloud-neutral: CIDR strings per role and the rule options. */
export interface RandomConfig {
  users?: string[];
  loadBalancers?: string[];
  devices?: string[];
  management: Record<string, string[] | undefined>;
  packageMirrors?: string[];
  aptProxy?: { peers: string[]; port?: number };
  /** An Arbitrator outside the cloud, as peers. */
  arbitrator?: string[];
  /** An Arbitrator in the cloud, as a SeguraArbitrator. */
  arbitratorGateway: boolean;
  domum: boolean;
  clusterTraffic: ClusterTraffic;
  portOverrides: Record<string, number>;
  disabledRules: string[];
  /**
   * AWS's rules per group: small quotas exercise overflow groups. At 30, the smallest
   * picked, this generator's largest configurations need under 100 rules in one
   * direction and family (references to the nodes up to 31 of them), within 4 groups of
   * 30: the layout places everything within that count (test/aws/layout.test.ts).
   */
  ruleQuota: number;
}

/** An IPv4 network (host bits zero), /8 to /32, never 0.0.0.0/0. */
export const ipv4Cidr = fc.tuple(fc.integer({ min: 1, max: 223 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }),
  fc.integer({ min: 0, max: 255 }), fc.integer({ min: 8, max: 32 })).map(([a, b, c, d, mask]) => {
  const n = (((a * 256 + b) * 256 + c) * 256 + d);
  const size = 2 ** (32 - mask);
  const net = Math.floor(n / size) * size;
  return `${[Math.floor(net / 16777216) % 256, Math.floor(net / 65536) % 256, Math.floor(net / 256) % 256, net % 256].join('.')}/${mask}`;
});

/** Mostly IPv4; some IPv6 (AWS only). */
export const anyCidr = fc.oneof({ weight: 4, arbitrary: ipv4Cidr },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0x2001, max: 0x2fff }), fc.integer({ min: 0, max: 0xffff })).map(([a, b]) => `${a.toString(16)}:${b.toString(16)}::/32`) });

const peers = (cidr: fc.Arbitrary<string>, max: number) => fc.option(fc.uniqueArray(cidr, { minLength: 1, maxLength: max }), { nil: undefined });
const port = fc.integer({ min: 1, max: 65535 });

export function configArb(cidr: fc.Arbitrary<string>): fc.Arbitrary<RandomConfig> {
  return fc.record({
    users: peers(cidr, 2),
    loadBalancers: peers(cidr, 2),
    devices: peers(cidr, 3),
    management: fc.record(Object.fromEntries(keysUnder('management', CONSTRUCT_PEER_ROLES).map(k => [k, peers(cidr, 2)]))) as
      fc.Arbitrary<Record<string, string[] | undefined>>,
    updates: fc.constantFrom('none', 'mirrors', 'proxy'),
    updatePeers: fc.uniqueArray(cidr, { minLength: 1, maxLength: 2 }),
    proxyPort: fc.option(port, { nil: undefined }),
    arbitrator: fc.constantFrom('none', 'peers', 'gateway'),
    arbitratorPeers: fc.uniqueArray(cidr, { minLength: 1, maxLength: 2 }),
    domum: fc.boolean(),
    clusterTraffic: fc.constantFrom(ClusterTraffic.ALL_INSTANCES, ClusterTraffic.ALL_INSTANCES, ClusterTraffic.PRIMARY_AND_MEMBERS_ONLY),
    ruleQuota: fc.constantFrom(30, 60, 200),
    overridePicks: fc.array(fc.tuple(fc.nat(), port), { maxLength: 4 }),
    disablePicks: fc.array(fc.nat(), { maxLength: 4 }),
  }).map(r => {
    const config: RandomConfig = {
      users: r.users,
      loadBalancers: r.loadBalancers,
      devices: r.devices,
      management: r.management,
      packageMirrors: r.updates === 'mirrors' ? r.updatePeers : undefined,
      aptProxy: r.updates === 'proxy' ? { peers: r.updatePeers, port: r.proxyPort } : undefined,
      arbitrator: r.arbitrator === 'peers' ? r.arbitratorPeers : undefined,
      arbitratorGateway: r.arbitrator === 'gateway',
      domum: r.domum,
      clusterTraffic: r.clusterTraffic,
      portOverrides: {},
      disabledRules: [],
      ruleQuota: r.ruleQuota,
    };
    // Overrides and opt-outs only on rows that apply (others are errors, tested elsewhere).
    // Rows that follow others (member to member) take no options of their own.
    const applicable = FirewallPlan.flows(planOptions(config)).map(f => f.rowId).filter((id, i, all) => all.indexOf(id) === i)
      .filter(id => !(config.aptProxy?.port !== undefined && id === 'UPD-APT-PROXY') && !FirewallMatrix.tryFindRow(id)!.follows);
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

/** The configured roles' CIDRs (the test's own reading of its input). */
export function rolePeers(c: RandomConfig): Map<Role, string[]> {
  return peersByRole<string>(c);
}

export function planOptions(c: RandomConfig): PlanOptions {
  return {
    peerRoles: [...rolePeers(c).keys(), ...(c.domum ? [Role.DOMUM] : []), ...(c.arbitratorGateway ? [Role.ARB] : [])],
    portOverrides: c.portOverrides,
    disabledRules: c.disabledRules,
    aptProxyPort: c.aptProxy?.port,
    clusterTraffic: c.clusterTraffic,
  };
}

export function constructProps<P>(c: RandomConfig, peer: (cidr: string) => P) {
  const list = (l?: string[]) => l?.map(peer);
  return {
    users: list(c.users),
    loadBalancers: list(c.loadBalancers),
    devices: list(c.devices),
    management: Object.fromEntries(Object.entries(c.management).filter(([, v]) => v).map(([k, v]) => [k, list(v)])),
    packageMirrors: list(c.packageMirrors),
    aptProxy: c.aptProxy ? { peers: list(c.aptProxy.peers)!, port: c.aptProxy.port } : undefined,
    arbitrator: list(c.arbitrator),
    clusterTraffic: c.clusterTraffic,
    portOverrides: c.portOverrides,
    disabledRules: c.disabledRules,
  };
}

/** AWS: synthesize `c` and evaluate it; the atoms name groups by the role that wears them. */
export function synthAws(c: RandomConfig): { actual: Set<string>; expected: Set<string>; flows: Flow[] } {
  const app = new App();
  const stack = new Stack(app, 'P');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const cluster = new aws.SeguraCluster(stack, 'Segura', {
    vpc,
    ruleQuota: c.ruleQuota,
    ...constructProps(c, cidr => cidr.includes(':') ? ec2.Peer.ipv6(cidr) : ec2.Peer.ipv4(cidr)),
  });
  const groups = new Map<string, readonly ec2.ISecurityGroup[]>([
    [Role.PRD, cluster.primarySecurityGroups], [Role.MBR, cluster.memberSecurityGroups],
  ]);
  if (c.domum) groups.set(Role.DOMUM, new aws.DomumGateway(new Stack(app, 'D'), 'Domum', { vpc, cluster }).securityGroups);
  if (c.arbitratorGateway) groups.set(Role.ARB, new aws.SeguraArbitrator(new Stack(app, 'A'), 'Arbitrator', { vpc, cluster }).securityGroups);
  const evaluatorPeers = new Map([...rolePeers(c)].map(([role, list]) => [role as string, list.map(x => (x.includes(':') ? 'cidr6:' : 'cidr:') + x)]));
  const flows = FirewallPlan.flows(planOptions(c));
  return {
    expected: expectedAtoms(flows, new Set(groups.keys()), evaluatorPeers),
    actual: atoms(ruleFacts(synthTemplates(app)), wearersOf(groups)),
    flows,
  };
}

/** The nodes' and gateways' addresses in the Azure models: peers stay clear of them. */
export const AZURE_NODES = { PRD: '10.0.1.4', MBR1: '10.0.1.5', MBR2: '10.0.1.6', DOMUM: '10.0.2.4', ARB: '10.0.3.4' };

/** Azure: synthesize `c` (IPv4 peers) and evaluate it exhaustively: the Primary, two members, the gateways, every address and port. */
export function synthAzure(c: RandomConfig): { model: NsgModel; instances: Entity[]; peers: AzurePeers; flows: Flow[]; evaluation: AzureEvaluation } {
  const stack = new TerraformStack(Testing.app(), 'p');
  const placement = { resourceGroupName: 'rg', location: 'brazilsouth' };
  const cluster = new azure.SeguraCluster(stack, 'Segura', { ...placement, ...constructProps(c, azure.Peer.ipv4) });
  if (c.domum) new azure.DomumGateway(stack, 'Domum', { ...placement, cluster });
  if (c.arbitratorGateway) new azure.SeguraArbitrator(stack, 'Arbitrator', { ...placement, cluster });
  const model = new NsgModel(JSON.parse(Testing.synth(stack)));
  const nsg = model.ref('azurerm_network_security_group', 'segura-nsg', 'name');
  const asg = (n: string) => model.ref('azurerm_application_security_group', n);
  const instances: Entity[] = [
    { name: 'PRD', ip: AZURE_NODES.PRD, asgs: [asg('segura-prd-asg')], tags: [], nsg, roles: [Role.PRD] },
    { name: 'MBR1', ip: AZURE_NODES.MBR1, asgs: [asg('segura-mbr-asg')], tags: [], nsg, roles: [Role.MBR] },
    { name: 'MBR2', ip: AZURE_NODES.MBR2, asgs: [asg('segura-mbr-asg')], tags: [], nsg, roles: [Role.MBR] },
  ];
  const gateway = (name: 'DOMUM' | 'ARB', slug: string) => instances.push({
    name, ip: AZURE_NODES[name], asgs: [asg(`segura-${slug}-asg`)], tags: [], nsg: model.ref('azurerm_network_security_group', `segura-${slug}-nsg`, 'name'), roles: [name],
  });
  if (c.domum) gateway('DOMUM', 'domum');
  if (c.arbitratorGateway) gateway('ARB', 'arbitrator');
  const configured = rolePeers(c) as AzurePeers;
  const flows = FirewallPlan.flows(planOptions(c));
  return { model, instances, peers: configured, flows, evaluation: evaluateNsgs(model, instances, configured, flows) };
}

/** Peers that are not Segura nodes or gateways: their prefixes stay clear of the nodes' addresses. */
export const notNodes = ipv4Cidr.filter(c => !Object.values(AZURE_NODES).some(ip => inNet(ip, c)));

export function inNet(ip: string, cidr: string): boolean {
  const [net, bits] = cidr.split('/');
  const toInt = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  return Math.floor(toInt(ip) / size) === Math.floor(toInt(net) / size);
}

/** The instances' addresses a site config gives (for the audit). */
export interface SiteNodes {
  readonly primary: string[];
  readonly members: string[];
  readonly domum: string[];
  readonly arbitrator: string[];
}

/** The CLI config of a random configuration's site: its peers as CIDRs, and the instances' addresses (gateways when built as constructs). */
export function siteConfig(c: RandomConfig, nodes: SiteNodes): Record<string, unknown> {
  const lists = { users: c.users, loadBalancers: c.loadBalancers, devices: c.devices, packageMirrors: c.packageMirrors, arbitrator: c.arbitrator };
  return {
    primary: nodes.primary,
    members: nodes.members,
    ...(c.domum ? { domum: nodes.domum } : {}),
    ...(c.arbitratorGateway ? { arbitrator: nodes.arbitrator } : {}),
    ...Object.fromEntries(Object.entries(lists).filter(([, v]) => v)),
    management: Object.fromEntries(Object.entries(c.management).filter(([, v]) => v)),
    ...(c.aptProxy ? { aptProxy: c.aptProxy } : {}),
    clusterTraffic: c.clusterTraffic,
    portOverrides: c.portOverrides,
    disabledRules: c.disabledRules,
  };
}

/** A site with every integration, both gateways as constructs, an override and an opt-out; `device` adds a device network. */
export function fullConfig(device: string): RandomConfig {
  return {
    users: ['10.10.0.0/16'],
    devices: ['10.20.0.0/16', device],
    management: { ntp: ['10.30.0.1/32'], dns: ['10.30.0.2/32'], mail: ['10.30.0.3/32'], backup: ['10.30.0.8/32'] },
    packageMirrors: ['203.0.113.10/32'],
    arbitratorGateway: true,
    domum: true,
    clusterTraffic: ClusterTraffic.ALL_INSTANCES,
    portOverrides: { 'MGT-SMTP': 587 },
    disabledRules: ['DVC-TELNET'],
    ruleQuota: 60,
  };
}
