/**
 * The audit before applying on Azure, round trip: the Azure example's Terraform JSON, and
 * the library's own NSGs, turned into the plan of their first apply (NSG names and ASG IDs
 * known only by the configuration's references, the resources in a module) audit clean;
 * each mutation of the export round trip (round-trip-azure.test.ts) is found exactly.
 * Every audit runs through the CLI's `run`.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TerraformStack, Testing } from 'cdktf';
import { buildAzureExample } from '../../examples/azure/app';
import * as azure from '../../lib/azure';
import { run } from '../../lib/cli/main';
import { FirewallPlan, Role } from '../../lib/core';
import { planOfTerraformJson } from '../support/plans';
import { AZURE_NODES, constructProps, fullConfig, planOptions, siteConfig } from '../support/random';

const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'segura-plans-'));
afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));
const write = (name: string, value: unknown) => { const f = path.join(DIR, name); fs.writeFileSync(f, JSON.stringify(value)); return f; };

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []; const err: string[] = [];
  const code = await run(argv, { out: s => { out.push(s); }, err: s => { err.push(s); }, stdin: () => '' });
  return { code, out: out.join(''), err: err.join('') };
}

/** The address (in module.segura) of the resource of a type that has a name. */
const addressOf = (tf: any, type: string, name: string) =>
  `module.segura.${type}.${Object.entries<any>(tf.resource[type]).find(([, r]) => r.name === name)![0]}`;

/** The placement flags of a synthesized cluster with both gateways, by resource address. */
const placement = (tf: any) => [
  '--cluster-nsg', addressOf(tf, 'azurerm_network_security_group', 'segura-nsg'),
  '--domum-nsg', addressOf(tf, 'azurerm_network_security_group', 'segura-domum-nsg'),
  '--arbitrator-nsg', addressOf(tf, 'azurerm_network_security_group', 'segura-arbitrator-nsg'),
  ...(['primary:prd', 'member:mbr', 'domum:domum', 'arbitrator:arbitrator'].flatMap(x => {
    const [flag, slug] = x.split(':');
    return [`--${flag}-asg`, addressOf(tf, 'azurerm_application_security_group', `segura-${slug}-asg`)];
  })),
  '--vnet', '10.0.0.0/16',
];

const auditPlan = (config: string, tf: any, extra: string[] = []) =>
  cli('audit', 'terraform', '--config', config, '--plan', write('plan.json', planOfTerraformJson(tf, 'segura')), ...placement(tf), '--format', 'json', ...extra);

describe('audit terraform: the Azure example', () => {
  test('its Terraform JSON, as the plan of its first apply, audits clean against its config', async () => {
    const built = buildAzureExample(Testing.app());
    const tf = JSON.parse(Testing.synth(built.stack));
    const r = await auditPlan(path.join(__dirname, '..', 'fixtures', 'audit', 'azure-example-site.json'), tf);
    expect(r).toEqual({ code: 0, out: expect.any(String), err: '' });
    expect(JSON.parse(r.out)).toEqual({ missing: [], extra: [], unresolved: [] });
  });
});

const NODES = { primary: [`${AZURE_NODES.PRD}/32`], members: [`${AZURE_NODES.MBR1}/32`, `${AZURE_NODES.MBR2}/32`], domum: [`${AZURE_NODES.DOMUM}/32`], arbitrator: [`${AZURE_NODES.ARB}/32`] };
const FULL = fullConfig('192.168.7.0/24');

describe('audit terraform: the export round trip\'s mutations, in a plan', () => {
  const stack = new TerraformStack(Testing.app(), 'p');
  const at = { resourceGroupName: 'rg', location: 'brazilsouth' };
  const cluster = new azure.SeguraCluster(stack, 'Segura', { ...at, ...constructProps(FULL, azure.Peer.ipv4) });
  new azure.DomumGateway(stack, 'Domum', { ...at, cluster });
  new azure.SeguraArbitrator(stack, 'Arbitrator', { ...at, cluster });
  const tf = JSON.parse(Testing.synth(stack));
  const config = write('site.json', siteConfig(FULL, NODES));
  const copy = () => JSON.parse(JSON.stringify(tf));
  const audit = async (mutated: any) => {
    const r = await auditPlan(config, mutated);
    const report = JSON.parse(r.out);
    for (const kind of ['missing', 'extra', 'unresolved']) for (const f of report[kind]) delete f.locations;
    return report;
  };
  const nsgRef = (t: any, name: string) => `\${azurerm_network_security_group.${addressOf(t, 'azurerm_network_security_group', name).split('.').pop()}.name}`;
  /** The rules of an NSG, by key. */
  const rulesOf = (t: any, name: string) => Object.entries<any>(t.resource.azurerm_network_security_rule)
    .filter(([, r]) => r.network_security_group_name === nsgRef(t, name));
  const usersHttps = (t: any) => rulesOf(t, 'segura-nsg').find(([, r]) => r.direction === 'Inbound'
    && [r.destination_port_range, ...(r.destination_port_ranges ?? [])].includes('443') && [r.source_address_prefix, ...(r.source_address_prefixes ?? [])].includes('10.10.0.0/16'))!;
  const plan = FirewallPlan.flows(planOptions(FULL));
  const pairs = (keep: (f: typeof plan[0]) => boolean) => {
    const addresses: Record<string, string[]> = {
      PRD: NODES.primary, MBR: NODES.members, USERW: FULL.users!, DOMUM: NODES.domum, ARB: NODES.arbitrator,
    };
    return plan.filter(keep).flatMap(f => (addresses[f.source] ?? []).flatMap(s => (addresses[f.destination] ?? []).filter(d => d !== s)
      .map(d => `${f.rowId} ${s}>${d}`))).sort();
  };
  const missingPairs = (r: any) => r.missing.map((m: any) => `${m.rowId} ${m.sourceAddress}>${m.destinationAddress}`).sort();

  test('the library\'s own NSGs audit clean', async () => {
    expect(await audit(tf)).toEqual({ missing: [], extra: [], unresolved: [] });
  });

  test('a rule removed: exactly its flows are missing, located at the NSG that denies them', async () => {
    const t = copy();
    delete t.resource.azurerm_network_security_rule[usersHttps(t)[0]];
    const r = await auditPlan(config, t);
    const report = JSON.parse(r.out);
    expect(missingPairs(report)).toEqual(pairs(f => f.source === Role.USERW));
    expect(report.missing[0].reason).toBe('PRD ingress (NSG segura-nsg): denied by Segura-DenyAllInbound');
    expect(report.missing[0].locations.map((l: any) => l.resource)).toEqual([addressOf(t, 'azurerm_network_security_group', 'segura-nsg')]);
    expect([report.extra, report.unresolved]).toEqual([[], []]);
  });

  test('a peer widened to *: one extra finding per node role, with what is needed', async () => {
    const t = copy();
    const rule = usersHttps(t)[1];
    rule.source_address_prefix = '*';
    delete rule.source_address_prefixes;
    const report = await audit(t);
    expect(report.missing).toEqual([]);
    const ports = rule.destination_port_ranges.map((p: string) => Number(p.split('-')[0]));
    expect(report.extra.map((e: any) => [e.source, e.destination, e.protocol, e.fromPort, e.toPort, e.rule])).toEqual(['PRD', 'MBR'].map(role =>
      ['*', role, 'tcp', Math.min(...ports), Math.max(...ports), rule.name]));
    expect(report.extra.filter((e: any) => e.destination === 'PRD').map((e: any) => e.reason)).toEqual([
      'wider than the plan: tcp 22, 80 from *, where the plan needs only MBR, USERW; tcp 443 from *, where the plan needs only MBR, USERW, DOMUM; '
      + 'tcp 3389 from *, where the plan needs only USERW',
    ]);
  });

  test('a port added: one extra finding per node role', async () => {
    const t = copy();
    const rule = usersHttps(t)[1];
    rule.destination_port_ranges = [...rule.destination_port_ranges, '8080'];
    expect(await audit(t)).toEqual({
      missing: [],
      unresolved: [],
      extra: ['PRD', 'MBR'].map(role => ({
        source: 'USERW', destination: role, protocol: 'tcp', fromPort: 8080, toPort: 8080, rule: rule.name, reason: 'no row needs tcp 8080 from 10.10.0.0/16',
      })),
    });
  });

  test('a higher-priority Deny: exactly the flows it covers are missing', async () => {
    const t = copy();
    t.resource.azurerm_network_security_rule.DenyHttpsIn = {
      name: 'DenyHttpsIn',
      priority: 100,
      direction: 'Inbound',
      access: 'Deny',
      protocol: 'Tcp',
      source_port_range: '*',
      destination_port_range: '443',
      source_address_prefix: '*',
      destination_address_prefix: '*',
      resource_group_name: 'rg',
      network_security_group_name: nsgRef(t, 'segura-nsg'),
    };
    const report = await audit(t);
    const expected = pairs(f => (f.destination === Role.PRD || f.destination === Role.MBR) && f.protocol === 'tcp' && f.port === 443);
    expect(expected.length).toBeGreaterThan(5);
    expect(missingPairs(report)).toEqual(expected);
    expect(new Set(report.missing.map((m: any) => m.reason.replace(/^(PRD|MBR) /, '')))).toEqual(new Set(['ingress (NSG segura-nsg): denied by DenyHttpsIn']));
    expect([report.extra, report.unresolved]).toEqual([[], []]);
  });

  test('the deny-all rules removed: Azure\'s defaults in force, found per rule and role', async () => {
    const t = copy();
    for (const [key, r] of rulesOf(t, 'segura-nsg')) if (/DenyAll/.test(r.name)) delete t.resource.azurerm_network_security_rule[key];
    const report = await audit(t);
    expect(report.missing).toEqual([]);
    expect([...new Set(report.extra.map((e: any) => `${e.rule} ${e.source}>${e.destination} ${e.protocol}`))].sort()).toEqual([
      'AllowInternetOutBound MBR>Internet all', 'AllowInternetOutBound PRD>Internet all',
      'AllowVnetInBound VirtualNetwork>MBR all', 'AllowVnetInBound VirtualNetwork>PRD all',
      'AllowVnetOutBound MBR>VirtualNetwork all', 'AllowVnetOutBound PRD>VirtualNetwork all',
    ]);
  });
});
