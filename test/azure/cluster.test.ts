import { TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { AZ_FULL, buildAzure, ip } from './helpers';
import { DomumGateway, Peer, SeguraCluster } from '../../lib/azure';
import { Role } from '../../lib/core';
import { allowedConnections, AZURE_LB, expectedConnections, inVnet, probePorts } from '../support/azure-evaluator';

const minus = (a: Set<string>, b: Set<string>) => [...a].filter(x => !b.has(x)).sort();

describe('Azure: evaluated as Azure does, the NSGs allow exactly the plan', () => {
  test.each([
    ['nothing configured', {}, {}],
    ['every integration', AZ_FULL, {}],
    ['every integration and Domum', AZ_FULL, { domum: true }],
    ['overrides, opt-outs, APT proxy and Domum', {
      ...AZ_FULL,
      packageMirrors: undefined,
      aptProxy: { peers: [ip('10.40.0.1/32')], port: 3128 },
      portOverrides: { 'MGT-SMTP': 587, 'DVC-ORACLE': 1521, 'DOM-P2D-WSS': 8443 },
      disabledRules: ['DVC-TELNET', 'USR-HTTP'],
    }, { domum: true }],
    ['service tags and ASG peers', {
      users: [ip('10.10.0.0/16'), Peer.serviceTag('AzureMonitor')],
      devices: [Peer.applicationSecurityGroupId('/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/applicationSecurityGroups/devices'), ip('10.20.0.0/16')],
      management: { dns: [ip('10.30.0.2/32'), ip('10.30.0.3/32')] },
    }, {}],
  ] as const)('%s', (_name, options, b) => {
    const built = buildAzure(options as any, b as any);
    const ports = probePorts([587, 1521, 8443, 3128]);
    const expected = expectedConnections(built.cluster.flows, built.entities, ports);
    const actual = allowedConnections(built.model, built.entities, ports);
    expect(minus(actual, expected)).toEqual([]); // nothing more
    expect(minus(expected, actual)).toEqual([]); // nothing less
    expect(expected.size).toBeGreaterThan(0);
  });

  test('allowAnyAddress: users from the Internet tag, once asked for, reach exactly the user rows; nothing else opens', () => {
    const built = buildAzure({ users: [Peer.serviceTag('Internet')], management: { ntp: [ip('10.30.0.1/32')] }, allowAnyAddress: ['users'] });
    // Every host outside the virtual network (the NTP server too) is now a user workstation.
    const entities = built.entities.map(e => (!inVnet(e.ip) && e.ip !== AZURE_LB ? { ...e, roles: [...e.roles, Role.USERW] } : e));
    const ports = probePorts();
    const expected = expectedConnections(built.cluster.flows, entities, ports);
    const actual = allowedConnections(built.model, entities, ports);
    expect(minus(actual, expected)).toEqual([]);
    expect(minus(expected, actual)).toEqual([]);
    expect([...actual].filter(c => c.startsWith('INTERNET>')).sort()).toEqual(['INTERNET>MBR1', 'INTERNET>MBR2', 'INTERNET>PRD']
      .flatMap(pair => ['tcp/22', 'tcp/3389', 'tcp/443', 'tcp/80'].map(port => `${pair} ${port}`)).sort());
  });

  test('keepAzureDefaultRules is weaker: the VNet and the Internet are then open beside the matrix', () => {
    const strict = buildAzure(AZ_FULL);
    const weak = buildAzure(AZ_FULL, { keepAzureDefaultRules: true });
    const ports = probePorts();
    const strictAllowed = allowedConnections(strict.model, strict.entities, ports);
    const weakAllowed = allowedConnections(weak.model, weak.entities, ports);
    expect(minus(strictAllowed, weakAllowed)).toEqual([]);
    const extra = minus(weakAllowed, strictAllowed);
    expect(extra).toContain('VNET-OTHER>PRD tcp/8080');
    expect(extra).toContain('PRD>INTERNET tcp/8080');
    expect(extra).toContain('AZURE-LB>PRD tcp/8080');
  });
});

describe('Azure: rules, with Testing helpers', () => {
  const rules = (tf: any) => Object.values<any>(tf.resource.azurerm_network_security_rule);

  test('NSG and ASGs are created; the provider is not', () => {
    const built = buildAzure(AZ_FULL, { domum: true });
    expect(built.tf.provider).toBeUndefined();
    expect(Object.values<any>(built.tf.resource.azurerm_application_security_group).map(a => a.name).sort())
      .toEqual(['segura-domum-asg', 'segura-mbr-asg', 'segura-prd-asg']);
    expect(Object.values<any>(built.tf.resource.azurerm_network_security_group).map(a => a.name).sort()).toEqual(['segura-domum-nsg', 'segura-nsg']);
  });

  test('few rules: the count grows with neither members nor peer prefixes', () => {
    const count = (n: number) => rules(buildAzure({ ...AZ_FULL, devices: Array.from({ length: n }, (_, i) => ip(`10.${100 + 2 * i}.0.0/16`)) }).tf).length;
    expect(count(1)).toBe(count(40));
    const dvc = rules(buildAzure({ devices: Array.from({ length: 40 }, (_, i) => ip(`10.${100 + 2 * i}.0.0/16`)) }).tf)
      .filter(r => r.name.includes('DVC'));
    expect(dvc).toHaveLength(1);
    expect(dvc[0].destination_address_prefixes).toHaveLength(40);
    expect(dvc[0].destination_port_ranges).toEqual(['22-23', '80', '135', '139', '443', '445', '1433', '3306', '3389', '5432', '7443']);
    expect(dvc[0].source_application_security_group_ids).toHaveLength(2);
  });

  test('priorities unique per NSG and direction within 100-4096; names and descriptions within Azure limits', () => {
    const built = buildAzure({ ...AZ_FULL, users: [ip('10.10.0.0/16'), Peer.serviceTag('AzureMonitor'), Peer.serviceTag('Storage.WestUS')] }, { domum: true });
    const all = rules(built.tf);
    const byNsg = new Map<string, any[]>();
    for (const r of all) byNsg.set(`${r.network_security_group_name}|${r.direction}`, [...(byNsg.get(`${r.network_security_group_name}|${r.direction}`) ?? []), r]);
    for (const list of byNsg.values()) {
      const priorities = list.map(r => r.priority);
      expect(new Set(priorities).size).toBe(priorities.length);
      for (const p of priorities) { expect(p).toBeGreaterThanOrEqual(100); expect(p).toBeLessThanOrEqual(4096); }
      expect(new Set(list.map(r => r.name)).size).toBe(list.length);
    }
    for (const r of all) {
      expect(r.name.length).toBeLessThanOrEqual(80);
      expect(r.name).toMatch(/^[A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9_]$/);
      expect(r.description.length).toBeLessThanOrEqual(140);
    }
    expect(all.filter(r => r.access === 'Deny').map(r => [r.priority, r.direction, r.protocol])).toEqual([
      [4096, 'Inbound', '*'], [4096, 'Outbound', '*'], [4096, 'Inbound', '*'], [4096, 'Outbound', '*'],
    ]);
    expect(all.filter(r => r.access === 'Allow').every(r => r.protocol === 'Tcp' || r.protocol === 'Udp')).toBe(true);
  });

  test('two synths are byte-identical', () => {
    expect(JSON.stringify(buildAzure(AZ_FULL, { domum: true }).tf)).toBe(JSON.stringify(buildAzure(AZ_FULL, { domum: true }).tf));
  });

  test('Testing matchers see the rules', () => {
    const built = buildAzure(AZ_FULL);
    const synth = JSON.stringify(built.tf);
    expect(Testing.toHaveResourceWithProperties(synth, 'azurerm_network_security_rule', { name: 'Segura-Out-PRD_MBR-to-MAIL-Tcp', destination_port_range: '420' })).toBe(true);
    expect(Testing.toHaveResourceWithProperties(synth, 'azurerm_network_security_rule', { name: 'Segura-DenyAllInbound', access: 'Deny', priority: 4096 })).toBe(true);
  });

  test('association helpers: NSGs to subnets or NICs, NICs to the ASGs', () => {
    const stack = new TerraformStack(Testing.app(), 'a');
    const cluster = new SeguraCluster(stack, 'Segura', { resourceGroupName: 'rg', location: 'brazilsouth' });
    const domum = new DomumGateway(stack, 'Domum', { resourceGroupName: 'rg', location: 'brazilsouth', cluster });
    cluster.associateWithSubnet('Subnet', '/subnets/segura');
    cluster.associateWithNetworkInterface('PrimaryNicNsg', '/nics/prd');
    cluster.addPrimaryNetworkInterface('PrimaryNicAsg', '/nics/prd');
    cluster.addMemberNetworkInterface('MemberNicAsg', '/nics/mbr');
    domum.associateWithSubnet('DomumSubnet', '/subnets/domum');
    domum.associateWithNetworkInterface('DomumNicNsg', '/nics/domum');
    domum.addNetworkInterface('DomumNicAsg', '/nics/domum');
    const tf = JSON.parse(Testing.synth(stack));
    const ref = (type: string, key: string) => Object.entries<any>(tf.resource[type]).find(([k]) => k.startsWith(key))![1];
    expect(ref('azurerm_subnet_network_security_group_association', 'Segura_Subnet')).toEqual({ subnet_id: '/subnets/segura', network_security_group_id: expect.stringMatching(/^\$\{azurerm_network_security_group\.Segura_NetworkSecurityGroup_.*\.id\}$/) });
    expect(ref('azurerm_network_interface_security_group_association', 'Domum_DomumNicNsg')).toEqual({ network_interface_id: '/nics/domum', network_security_group_id: expect.stringMatching(/Domum_NetworkSecurityGroup_/) });
    expect(ref('azurerm_network_interface_application_security_group_association', 'Segura_PrimaryNicAsg')).toEqual({ network_interface_id: '/nics/prd', application_security_group_id: expect.stringMatching(/Segura_PrimaryApplicationSecurityGroup_/) });
    expect(ref('azurerm_network_interface_application_security_group_association', 'Segura_MemberNicAsg').application_security_group_id)
      .toMatch(/Segura_MemberApplicationSecurityGroup_/);
    expect(ref('azurerm_network_interface_application_security_group_association', 'Domum_DomumNicAsg').application_security_group_id)
      .toMatch(/Domum_ApplicationSecurityGroup_/);
    expect(Object.keys(tf.resource.azurerm_network_interface_security_group_association)).toHaveLength(2);
  });
});

describe('Azure: resource names are unique per cluster by default', () => {
  const names = (build: (stack: TerraformStack) => void) => {
    const stack = new TerraformStack(Testing.app(), 'F');
    build(stack);
    const tf = JSON.parse(Testing.synth(stack));
    return ['azurerm_network_security_group', 'azurerm_application_security_group'].flatMap(t => Object.values<any>(tf.resource[t] ?? {}).map(r => r.name)).sort();
  };
  const at = { resourceGroupName: 'rg', location: 'brazilsouth' };

  test('derived from the construct path in its stack; a gateway takes its cluster\'s prefix; namePrefix replaces it', () => {
    expect(names(stack => {
      const cluster = new SeguraCluster(new Construct(stack, 'Prod'), 'Cluster', at);
      new DomumGateway(stack, 'Domum', { ...at, cluster });
      new SeguraCluster(stack, 'Segura', at);
      new SeguraCluster(stack, 'Lab', { ...at, namePrefix: 'pam-lab' });
    })).toEqual(['pam-lab-mbr-asg', 'pam-lab-nsg', 'pam-lab-prd-asg', 'prod-cluster-domum-asg', 'prod-cluster-domum-nsg', 'prod-cluster-mbr-asg',
      'prod-cluster-nsg', 'prod-cluster-prd-asg', 'segura-mbr-asg', 'segura-nsg', 'segura-prd-asg']);
  });

  test('a long path is cut to a 60-character prefix with a hash of the whole path: stable, and distinct for distinct paths', () => {
    const long = (tail: string) => names(stack => new SeguraCluster(new Construct(stack, 'A'.repeat(70)), tail, at)).find(n => n.endsWith('-nsg'))!;
    const [one, again, other] = [long('One'), long('One'), long('Two')];
    expect(one).toBe(again);
    expect(one).not.toBe(other);
    expect(one.length).toBeLessThanOrEqual(64);
    expect(one).toMatch(/^a{51}-[0-9a-f]{8}-nsg$/);
  });

  test('the same names in two resource groups are fine; in one they are refused (see the bad-input table)', () => {
    const app = Testing.app();
    new SeguraCluster(new TerraformStack(app, 's1'), 'Segura', at);
    expect(() => new SeguraCluster(new TerraformStack(app, 's2'), 'Segura', { ...at, resourceGroupName: 'rg2' })).not.toThrow();
    expect(() => new SeguraCluster(new TerraformStack(app, 's3'), 'Segura', at)).toThrow(/namePrefix: the name "segura-prd-asg" is already used in this resource group by s1\/Segura/);
  });
});
