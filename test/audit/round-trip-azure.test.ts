/**
 * The audit on Azure, round trip: the library's own NSGs, exported as
 * `az network nsg list` prints them, audit clean; each mutation (a rule removed, a
 * peer widened, a port added, a Deny above the rules, the deny-all removed) is found
 * exactly, and nothing else is.
 */
import { TerraformStack, Testing } from 'cdktf';
import * as fc from 'fast-check';
import { FirewallAudit } from '../../lib/audit';
import * as azure from '../../lib/azure';
import { FirewallPlan, Role } from '../../lib/core';
import { nsgList } from '../support/exports';
import { AZURE_NODES, configArb, constructProps, notNodes, planOptions, RandomConfig, fullConfig, siteConfig } from '../support/random';
import { runs } from '../support/runs';

// Random configurations, synthesized, exported and audited.
jest.setTimeout(120_000);

const VNET = ['10.0.0.0/16'];
const NODES = { primary: [`${AZURE_NODES.PRD}/32`], members: [`${AZURE_NODES.MBR1}/32`, `${AZURE_NODES.MBR2}/32`], domum: [`${AZURE_NODES.DOMUM}/32`], arbitrator: [`${AZURE_NODES.ARB}/32`] };

function build(c: RandomConfig) {
  const stack = new TerraformStack(Testing.app(), 'p');
  const at = { resourceGroupName: 'rg', location: 'brazilsouth' };
  const cluster = new azure.SeguraCluster(stack, 'Segura', { ...at, ...constructProps(c, azure.Peer.ipv4) });
  if (c.domum) new azure.DomumGateway(stack, 'Domum', { ...at, cluster });
  if (c.arbitratorGateway) new azure.SeguraArbitrator(stack, 'Arbitrator', { ...at, cluster });
  const { nsgs, asgIds } = nsgList(JSON.parse(Testing.synth(stack)));
  // The CLI config of the same site: the peers as CIDRs, the instances' addresses.
  const config = siteConfig(c, NODES);
  const options = {
    config,
    networkSecurityGroups: nsgs,
    clusterNsg: 'segura-nsg',
    virtualNetworkPrefixes: VNET,
    gatewayNsgs: { ...(c.domum ? { domum: 'segura-domum-nsg' } : {}), ...(c.arbitratorGateway ? { arbitrator: 'segura-arbitrator-nsg' } : {}) },
    applicationSecurityGroups: {
      primary: [asgIds.get('segura-prd-asg')!],
      members: [asgIds.get('segura-mbr-asg')!],
      ...(c.domum ? { domum: [asgIds.get('segura-domum-asg')!] } : {}),
      ...(c.arbitratorGateway ? { arbitrator: [asgIds.get('segura-arbitrator-asg')!] } : {}),
    },
  };
  return { nsgs, options };
}

// Every integration; Azure peers are IPv4.
const FULL = fullConfig('192.168.7.0/24');

const CLEAN = { missing: [], extra: [], unresolved: [] };

describe('audit azure: round trip', () => {
  const site = build(FULL);
  const audit = (nsgs: any) => FirewallAudit.azure({ ...site.options, networkSecurityGroups: nsgs });
  const copy = () => JSON.parse(JSON.stringify(site.nsgs));
  const nsg = (nsgs: any[], name: string) => nsgs.find(n => n.name === name);
  const ruleFor = (n: any, direction: string, port: string, source?: string) => n.securityRules.find((r: any) => r.direction === direction
    && [r.destinationPortRange, ...r.destinationPortRanges].includes(port)
    && (source === undefined || [r.sourceAddressPrefix, ...r.sourceAddressPrefixes].includes(source)));
  const plan = FirewallPlan.flows(planOptions(FULL));
  /** The plan's flows as (row, source address, destination address), the test's own expectation. */
  const pairs = (keep: (f: typeof plan[0]) => boolean) => {
    const at: Record<string, string[]> = { PRD: NODES.primary, MBR: NODES.members, USERW: FULL.users!, DOMUM: NODES.domum, ARB: NODES.arbitrator };
    return plan.filter(keep).flatMap(f => (at[f.source] ?? []).flatMap(s => (at[f.destination] ?? []).filter(d => d !== s)
      .map(d => `${f.rowId} ${s}>${d}`))).sort();
  };
  const missingPairs = (r: any) => r.missing.map((m: any) => `${m.rowId} ${m.sourceAddress}>${m.destinationAddress}`).sort();

  test('the library\'s own NSGs audit clean', () => {
    expect(audit(site.nsgs)).toEqual(CLEAN);
  });

  test('a rule removed: exactly its flows are missing', () => {
    const nsgs = copy();
    const cluster = nsg(nsgs, 'segura-nsg');
    const users = ruleFor(cluster, 'Inbound', '443', '10.10.0.0/16');
    cluster.securityRules = cluster.securityRules.filter((r: any) => r !== users);
    const report = audit(nsgs);
    expect(missingPairs(report)).toEqual(pairs(f => f.source === Role.USERW));
    expect(report.missing[0].reason).toBe('PRD ingress (NSG segura-nsg): denied by Segura-DenyAllInbound');
    expect([report.extra, report.unresolved]).toEqual([[], []]);
  });

  test('a peer widened to *: one extra finding per node role, with what is needed', () => {
    const nsgs = copy();
    const rule = ruleFor(nsg(nsgs, 'segura-nsg'), 'Inbound', '443', '10.10.0.0/16');
    rule.sourceAddressPrefix = '*';
    rule.sourceAddressPrefixes = [];
    const report = audit(nsgs);
    expect(report.missing).toEqual([]);
    const ports = rule.destinationPortRanges.map((p: string) => Number(p.split('-')[0]));
    expect(report.extra.map(e => [e.source, e.destination, e.protocol, e.fromPort, e.toPort, e.rule])).toEqual(['PRD', 'MBR'].map(role =>
      ['*', role, 'tcp', Math.min(...ports), Math.max(...ports), rule.name]));
    expect(report.extra.filter(e => e.destination === 'PRD').map(e => e.reason)).toEqual([
      // Members reach the Primary on 22, 80 and 443 too (the cluster table): needed, and now allowed by this rule first.
      'wider than the plan: tcp 22, 80 from *, where the plan needs only MBR, USERW; tcp 443 from *, where the plan needs only MBR, USERW, DOMUM; '
      + 'tcp 3389 from *, where the plan needs only USERW',
    ]);
  });

  test('a port added: one extra finding per node role', () => {
    const nsgs = copy();
    const rule = ruleFor(nsg(nsgs, 'segura-nsg'), 'Inbound', '443', '10.10.0.0/16');
    rule.destinationPortRanges = [...rule.destinationPortRanges, '8080'];
    expect(audit(nsgs)).toEqual({
      missing: [],
      unresolved: [],
      extra: ['PRD', 'MBR'].map(role => ({
        source: 'USERW', destination: role, protocol: 'tcp', fromPort: 8080, toPort: 8080, rule: rule.name, reason: 'no row needs tcp 8080 from 10.10.0.0/16',
      })),
    });
  });

  test('a higher-priority Deny: exactly the flows it covers are missing', () => {
    const nsgs = copy();
    nsg(nsgs, 'segura-nsg').securityRules.push({
      name: 'DenyHttpsIn',
      priority: 100,
      direction: 'Inbound',
      access: 'Deny',
      protocol: 'Tcp',
      sourcePortRange: '*',
      sourcePortRanges: [],
      destinationPortRange: '443',
      sourceAddressPrefix: '*',
      destinationAddressPrefix: '*',
    });
    const report = audit(nsgs);
    // Every flow into a node on tcp 443, from anywhere.
    const expected = pairs(f => (f.destination === Role.PRD || f.destination === Role.MBR) && f.protocol === 'tcp' && f.port === 443);
    expect(expected.length).toBeGreaterThan(5);
    expect(missingPairs(report)).toEqual(expected);
    expect(new Set(report.missing.map(m => m.reason.replace(/^(PRD|MBR) /, '')))).toEqual(new Set(['ingress (NSG segura-nsg): denied by DenyHttpsIn']));
    expect([report.extra, report.unresolved]).toEqual([[], []]);
  });

  test('the deny-all rules removed: Azure\'s defaults in force, found per rule and role', () => {
    const nsgs = copy();
    const cluster = nsg(nsgs, 'segura-nsg');
    cluster.securityRules = cluster.securityRules.filter((r: any) => !/DenyAll/.test(r.name));
    const report = audit(nsgs);
    expect(report.missing).toEqual([]);
    // AllowAzureLoadBalancerInBound decides nothing: the host's virtual IP is in VirtualNetwork (Azure service tags overview),
    // so AllowVnetInBound, before it, takes the probes.
    expect([...new Set(report.extra.map(e => `${e.rule} ${e.source}>${e.destination} ${e.protocol}`))].sort()).toEqual([
      'AllowInternetOutBound MBR>Internet all', 'AllowInternetOutBound PRD>Internet all',
      'AllowVnetInBound VirtualNetwork>MBR all', 'AllowVnetInBound VirtualNetwork>PRD all',
      'AllowVnetOutBound MBR>VirtualNetwork all', 'AllowVnetOutBound PRD>VirtualNetwork all',
    ]);
    expect(report.extra.find(e => e.rule === 'AllowVnetInBound')!.reason).toBe('Azure\'s default rule AllowVnetInBound is in force: '
      // What the plan needs inside the VNet, the library's rules above decide: the default rule's part is all extra.
      + 'every protocol and port from VirtualNetwork, and the plan needs none of it');
  });
});

describe('audit azure: property', () => {
  test('random configurations: the library\'s NSGs, exported, audit clean', () => {
    fc.assert(fc.property(configArb(notNodes), c => {
      expect(FirewallAudit.azure(build(c).options)).toEqual(CLEAN);
    }), { numRuns: runs(30) });
  });
});
