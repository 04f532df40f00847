import { TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { AZ_FULL, asgId, buildAzure, ip, ip6, tag } from './helpers';
import { DomumGateway, SeguraCluster } from '../../lib/azure';
import { portAt, probeAt } from '../support/azure-evaluator';

// Each test synthesizes an app and evaluates every port and address of it.
jest.setTimeout(60_000);

describe('Azure: evaluated as Azure does, every port and address, the NSGs allow exactly the plan', () => {
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
      users: [ip('10.10.0.0/16'), tag('AzureMonitor')],
      devices: [asgId('/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/applicationSecurityGroups/devices'), ip('10.20.0.0/16')],
      management: { dns: [ip('10.30.0.2/32'), ip('10.30.0.3/32')] },
    }, {}],
    ['IPv6 peers beside IPv4 ones (the instances are dual-stack)', {
      users: [ip('10.10.0.0/16'), ip6('2001:db8:10::/48')],
      devices: [ip6('2001:db8:20::/48'), ip('10.20.0.0/16')],
      management: { dns: [ip6('2001:db8::53/128')] },
    }, {}],
  ] as const)('%s', (_name, options, b) => {
    const { evaluation } = buildAzure(options as any, b as any);
    expect(evaluation.extra).toEqual([]); // nothing more
    expect(evaluation.missing).toEqual([]); // nothing less
    expect(evaluation.expected.size).toBeGreaterThan(0);
  });

  test('opt-outs and overrides: the disabled rows and the overridden ports are absent from what the NSGs allow', () => {
    const { evaluation } = buildAzure({ ...AZ_FULL, portOverrides: { 'MGT-SMTP': 587 }, disabledRules: ['DVC-TELNET', 'USR-HTTP'] });
    const allowed = [...evaluation.actual];
    for (const node of ['PRD', 'MBR1', 'MBR2']) {
      expect(allowed).not.toContain(`10.10.0.0/16>${node} tcp/80`);
      expect(allowed).toContain(`10.10.0.0/16>${node} tcp/443`);
      for (const device of ['10.20.0.0/16', '10.21.0.0/16']) {
        expect(allowed).not.toContain(`${node}>${device} tcp/23`);
        expect(allowed).toContain(`${node}>${device} tcp/22`);
      }
      expect(allowed).not.toContain(`${node}>10.30.0.3/32 tcp/420`);
      expect(allowed).toContain(`${node}>10.30.0.3/32 tcp/587`);
    }
  });

  test('allowAnyAddress: users from the Internet tag, once asked for, reach exactly the user rows; nothing else opens', () => {
    const options = { users: [tag('Internet')], management: { ntp: [ip('10.30.0.1/32')] }, allowAnyAddress: ['users'] };
    const { evaluation } = buildAzure(options);
    expect(evaluation.extra).toEqual([]);
    expect(evaluation.missing).toEqual([]);
    // An address just outside the virtual network, in either family, reaches every instance on the user rows only.
    const from = (address: string) => [...evaluation.actual].filter(c => c.startsWith(`${probeAt(evaluation, address)}>`)).map(c => c.split('>')[1]).sort();
    const userPorts = ['tcp/22', 'tcp/3389', 'tcp/443', 'tcp/80'];
    expect(from('10.1.0.0')).toEqual(['MBR1', 'MBR2', 'PRD'].flatMap(n => userPorts.map(p => `${n} ${p}`)).sort());
    expect(from('fd00:10:1::')).toEqual(['MBR1/6', 'MBR2/6', 'PRD/6'].flatMap(n => userPorts.map(p => `${n} ${p}`)).sort());
    expect(from('198.51.100.7')).toEqual(from('10.1.0.0'));
    // The virtual network and Azure's load balancer are not the Internet.
    expect(from('10.0.9.9')).toEqual([]);
    expect(from('fd00:10::9')).toEqual([]);
    expect(from('168.63.129.16')).toEqual([]);
  });

  test('behind an Application Gateway (its subnet as loadBalancers), the users\' rows disabled: users reach no node, the gateway every node on 443, 80, 22, 3389', () => {
    const options = {
      users: [ip('10.10.0.0/16')],
      loadBalancers: [ip('10.0.8.0/24')],
      disabledRules: ['USR-HTTPS', 'USR-HTTP', 'USR-SSH', 'USR-RDP'],
    };
    const { evaluation } = buildAzure(options);
    expect({ extra: evaluation.extra, missing: evaluation.missing }).toEqual({ extra: [], missing: [] });
    const from = (address: string) => [...evaluation.actual].filter(c => c.startsWith(`${probeAt(evaluation, address)}>`)).map(c => c.split('>')[1]).sort();
    expect(from('10.10.0.1')).toEqual([]);
    expect(from('10.0.8.10')).toEqual(['MBR1', 'MBR2', 'PRD'].flatMap(n => [22, 3389, 443, 80].map(p => `${n} tcp/${portAt(evaluation, p)}`)).sort());
    // Azure's own load balancer is not the gateway.
    expect(from('168.63.129.16')).toEqual([]);
  });

  test('keepAzureDefaultRules is weaker: the VNet and the Internet are then open beside the matrix', () => {
    const strict = buildAzure(AZ_FULL).evaluation;
    const weak = buildAzure(AZ_FULL, { keepAzureDefaultRules: true }).evaluation;
    expect(strict.extra).toEqual([]);
    expect([...strict.actual].filter(c => !weak.actual.has(c))).toEqual([]);
    // Another host of the VNet, Azure's load balancer and the Internet, on a port no row names.
    const [vnet, lb, internet, port] = [probeAt(weak, '10.0.9.9'), probeAt(weak, '168.63.129.16'), probeAt(weak, '198.51.100.7'), portAt(weak, 8080)];
    expect(weak.extra).toEqual(expect.arrayContaining([`${vnet}>PRD tcp/${port}`, `PRD>${vnet} udp/${port}`, `${lb}>PRD tcp/${port}`, `PRD>${internet} tcp/${port}`]));
    expect(weak.extra.filter(c => c.startsWith(`${internet}>`))).toEqual([]); // the Internet still cannot come in
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
    const built = buildAzure({ ...AZ_FULL, users: [ip('10.10.0.0/16'), tag('AzureMonitor'), tag('Storage.WestUS')] }, { domum: true });
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
