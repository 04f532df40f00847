/**
 * The same flows written by hand with plain cdktf and @cdktf/provider-azurerm: an
 * NSG with rules numbered by hand, ASGs for the nodes, deny-all rules above Azure's
 * permissive defaults. No segura-constructs code is used here.
 */
import { ApplicationSecurityGroup } from '@cdktf/provider-azurerm/lib/application-security-group';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { NetworkSecurityRule, NetworkSecurityRuleConfig } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { TerraformStack } from 'cdktf';
import { BenchConfig } from '../configs';

type End = { asgs: string[] } | { prefixes: string[] };

export interface HandWrittenAzure {
  readonly nsg: NetworkSecurityGroup;
  readonly domumNsg: NetworkSecurityGroup;
  readonly primaryAsg: ApplicationSecurityGroup;
  readonly memberAsg: ApplicationSecurityGroup;
  readonly domumAsg: ApplicationSecurityGroup;
  readonly arbitratorNsg: NetworkSecurityGroup;
  readonly arbitratorAsg: ApplicationSecurityGroup;
}

export function handWrittenAzure(stack: TerraformStack, resourceGroupName: string, location: string, c: BenchConfig): HandWrittenAzure {
  const common = { resourceGroupName, location };
  const primaryAsg = new ApplicationSecurityGroup(stack, 'PrdAsg', { name: 'segura-prd-asg', ...common });
  const memberAsg = new ApplicationSecurityGroup(stack, 'MbrAsg', { name: 'segura-mbr-asg', ...common });
  const domumAsg = new ApplicationSecurityGroup(stack, 'DomumAsg', { name: 'segura-domum-asg', ...common });
  const nsg = new NetworkSecurityGroup(stack, 'Nsg', { name: 'segura-nsg', ...common });
  const domumNsg = new NetworkSecurityGroup(stack, 'DomumNsg', { name: 'segura-domum-nsg', ...common });
  const arbitratorAsg = new ApplicationSecurityGroup(stack, 'ArbitratorAsg', { name: 'segura-arbitrator-asg', ...common });
  const arbitratorNsg = new NetworkSecurityGroup(stack, 'ArbitratorNsg', { name: 'segura-arbitrator-nsg', ...common });
  const arbitrator: End = { asgs: [arbitratorAsg.id] };
  const nodes: End = { asgs: [primaryAsg.id, memberAsg.id] };
  const prd: End = { asgs: [primaryAsg.id] };
  const mbr: End = { asgs: [memberAsg.id] };
  const domum: End = { asgs: [domumAsg.id] };
  const ips = (list: string[]): End => ({ prefixes: list });

  const rule = (on: NetworkSecurityGroup, name: string, priority: number, direction: 'Inbound' | 'Outbound',
    protocol: 'Tcp' | 'Udp' | '*', ports: string[], from: End, to: End, access: 'Allow' | 'Deny' = 'Allow') => {
    const end = (side: 'source' | 'destination', e: End): Partial<NetworkSecurityRuleConfig> => 'asgs' in e
      ? { [`${side}ApplicationSecurityGroupIds`]: e.asgs }
      : e.prefixes.length === 1 ? { [`${side}AddressPrefix`]: e.prefixes[0] } : { [`${side}AddressPrefixes`]: e.prefixes };
    new NetworkSecurityRule(stack, `${on.node.id}-${name}`, {
      name,
      priority,
      direction,
      access,
      protocol,
      sourcePortRange: '*',
      ...(ports.length === 1 ? { destinationPortRange: ports[0] } : { destinationPortRanges: ports }),
      ...end('source', from),
      ...end('destination', to),
      resourceGroupName,
      networkSecurityGroupName: on.name,
    } as NetworkSecurityRuleConfig);
  };

  const m = c.management;
  const devicePorts = ['22', ...(c.telnet ? ['23'] : []), '7443', '1433', '5432', '3306', '3389', '135', '139', '445', '80', '443'];
  const cluster = ['22', '3306', '9300', '4567', '4568', '4444', '80', '443', '4248', '59022'];
  const galera = ['9300', '3306', '4567', '4568', '4444'];
  rule(nsg, 'ntp', 100, 'Outbound', 'Udp', ['123'], nodes, ips(m.ntp));
  rule(nsg, 'dns', 110, 'Outbound', 'Udp', ['53'], nodes, ips(m.dns));
  rule(nsg, 'smtp', 120, 'Outbound', 'Tcp', [String(c.smtpPort)], nodes, ips(m.mail));
  rule(nsg, 'ldap', 130, 'Outbound', 'Tcp', ['389', '636'], nodes, ips(m.ldap));
  rule(nsg, 'radius', 140, 'Outbound', 'Udp', ['1812'], nodes, ips(m.radius));
  rule(nsg, 'tacacs-tcp', 150, 'Outbound', 'Tcp', ['49'], nodes, ips(m.tacacs));
  rule(nsg, 'tacacs-udp', 160, 'Outbound', 'Udp', ['49'], nodes, ips(m.tacacs));
  rule(nsg, 'syslog-tcp', 170, 'Outbound', 'Tcp', ['514'], nodes, ips(m.syslog));
  rule(nsg, 'syslog-udp', 180, 'Outbound', 'Udp', ['6514'], nodes, ips(m.syslog));
  rule(nsg, 'backup-out', 190, 'Outbound', 'Tcp', ['22', '2049', '5445'], nodes, ips(m.backup));
  rule(nsg, 'devices', 200, 'Outbound', 'Tcp', devicePorts, nodes, ips(c.devices));
  rule(nsg, 'mirrors', 210, 'Outbound', 'Tcp', ['443'], nodes, ips(c.packageMirrors));
  rule(nsg, 'cluster-p2m-tcp', 220, 'Outbound', 'Tcp', cluster, prd, mbr);
  rule(nsg, 'cluster-p2m-udp', 230, 'Outbound', 'Udp', ['4567'], prd, mbr);
  rule(nsg, 'cluster-m2p-tcp', 240, 'Outbound', 'Tcp', cluster, mbr, prd);
  rule(nsg, 'cluster-m2p-udp', 250, 'Outbound', 'Udp', ['4567'], mbr, prd);
  rule(nsg, 'to-domum', 260, 'Outbound', 'Tcp', ['51445', '443'], nodes, domum);
  rule(nsg, 'cluster-m2m-tcp', 270, 'Outbound', 'Tcp', cluster, mbr, mbr);
  rule(nsg, 'cluster-m2m-udp', 280, 'Outbound', 'Udp', ['4567'], mbr, mbr);
  rule(nsg, 'to-arbitrator-tcp', 290, 'Outbound', 'Tcp', galera, nodes, arbitrator);
  rule(nsg, 'to-arbitrator-udp', 300, 'Outbound', 'Udp', ['4567'], nodes, arbitrator);
  rule(nsg, 'deny-out', 4096, 'Outbound', '*', ['*'], ips(['*']), ips(['*']), 'Deny');
  rule(nsg, 'backup-in', 100, 'Inbound', 'Tcp', ['22', '2049', '445'], ips(m.backup), nodes);
  rule(nsg, 'users', 110, 'Inbound', 'Tcp', ['443', '80', '22', '3389'], ips(c.users), nodes);
  if (c.loadBalancers.length) rule(nsg, 'load-balancers', 115, 'Inbound', 'Tcp', ['443', '80', '22', '3389'], ips(c.loadBalancers), nodes);
  rule(nsg, 'cluster-p2m-tcp-in', 120, 'Inbound', 'Tcp', cluster, prd, mbr);
  rule(nsg, 'cluster-p2m-udp-in', 130, 'Inbound', 'Udp', ['4567'], prd, mbr);
  rule(nsg, 'cluster-m2p-tcp-in', 140, 'Inbound', 'Tcp', cluster, mbr, prd);
  rule(nsg, 'cluster-m2p-udp-in', 150, 'Inbound', 'Udp', ['4567'], mbr, prd);
  rule(nsg, 'from-domum', 160, 'Inbound', 'Tcp', ['51445', '443'], domum, nodes);
  rule(nsg, 'cluster-m2m-tcp-in', 170, 'Inbound', 'Tcp', cluster, mbr, mbr);
  rule(nsg, 'cluster-m2m-udp-in', 180, 'Inbound', 'Udp', ['4567'], mbr, mbr);
  rule(nsg, 'from-arbitrator-tcp', 190, 'Inbound', 'Tcp', galera, arbitrator, nodes);
  rule(nsg, 'from-arbitrator-udp', 200, 'Inbound', 'Udp', ['4567'], arbitrator, nodes);
  rule(nsg, 'deny-in', 4096, 'Inbound', '*', ['*'], ips(['*']), ips(['*']), 'Deny');
  rule(domumNsg, 'from-segura', 100, 'Inbound', 'Tcp', ['51445', '443'], nodes, domum);
  rule(domumNsg, 'to-segura', 100, 'Outbound', 'Tcp', ['51445', '443'], domum, nodes);
  rule(domumNsg, 'deny-in', 4096, 'Inbound', '*', ['*'], ips(['*']), ips(['*']), 'Deny');
  rule(domumNsg, 'deny-out', 4096, 'Outbound', '*', ['*'], ips(['*']), ips(['*']), 'Deny');
  rule(arbitratorNsg, 'from-segura-tcp', 100, 'Inbound', 'Tcp', galera, nodes, arbitrator);
  rule(arbitratorNsg, 'from-segura-udp', 110, 'Inbound', 'Udp', ['4567'], nodes, arbitrator);
  rule(arbitratorNsg, 'to-segura-tcp', 100, 'Outbound', 'Tcp', galera, arbitrator, nodes);
  rule(arbitratorNsg, 'to-segura-udp', 110, 'Outbound', 'Udp', ['4567'], arbitrator, nodes);
  rule(arbitratorNsg, 'deny-in', 4096, 'Inbound', '*', ['*'], ips(['*']), ips(['*']), 'Deny');
  rule(arbitratorNsg, 'deny-out', 4096, 'Outbound', '*', ['*'], ips(['*']), ips(['*']), 'Deny');
  return { nsg, domumNsg, primaryAsg, memberAsg, domumAsg, arbitratorNsg, arbitratorAsg };
}
