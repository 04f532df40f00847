/**
 * What the Azure example allows, evaluated, against what its plan needs: the example
 * tests use it, and so does the peer-floor script (scripts/peer-floor.ts) in a
 * scratch app on the oldest peer versions. The peers are the example's own inputs,
 * written here again: the expectation never reads the constructs.
 */
import { allowedConnections, Entity, expectedConnections, firstAddress, NsgModel, probePorts } from './azure-evaluator';
import { buildAzureExample } from '../../examples/azure/app';
import { Role } from '../../lib/core';

/** The difference both ways: what is allowed beyond the plan, and what the plan needs that is not allowed. */
export interface AzureEvaluation {
  readonly extra: string[];
  readonly missing: string[];
}

/** The Azure example's Terraform JSON, evaluated as Azure evaluates NSGs. */
export function evaluateAzureExample(built: ReturnType<typeof buildAzureExample>, tf: any): AzureEvaluation {
  const model = new NsgModel(tf);
  const nsg = model.ref('azurerm_network_security_group', 'segura-nsg', 'name');
  const asg = (n: string) => model.ref('azurerm_application_security_group', n);
  const peer = (cidr: string, ...roles: string[]): Entity => ({ name: cidr, ip: firstAddress(cidr), asgs: [], tags: [], roles });
  const gateway = (name: string, ip: string, slug: string, role: Role): Entity => ({
    name, ip, asgs: [asg(`segura-${slug}-asg`)], tags: [], nsg: model.ref('azurerm_network_security_group', `segura-${slug}-nsg`, 'name'), roles: [role],
  });
  const entities: Entity[] = [
    { name: 'PRD', ip: '10.0.1.4', asgs: [asg('segura-prd-asg')], tags: [], nsg, roles: [Role.PRD] },
    { name: 'MBR1', ip: '10.0.1.5', asgs: [asg('segura-mbr-asg')], tags: [], nsg, roles: [Role.MBR] },
    { name: 'MBR2', ip: '10.0.1.6', asgs: [asg('segura-mbr-asg')], tags: [], nsg, roles: [Role.MBR] },
    gateway('DOMUM', '10.0.2.4', 'domum', Role.DOMUM), gateway('ARB', '10.0.3.4', 'arbitrator', Role.ARB),
    peer('10.10.0.0/16', Role.USERW), peer('10.20.0.0/16', Role.DVC), peer('192.168.50.0/24', Role.DVC),
    peer('10.30.0.10/32', Role.NTP_SERVER), peer('10.30.0.53/32', Role.DNS_SERVER), peer('10.30.0.25/32', Role.MAIL_SERVER),
    peer('10.30.0.30/32', Role.LDAP_SERVER), peer('10.30.0.31/32', Role.LDAP_SERVER), peer('10.30.0.40/32', Role.RADIUS_SERVER),
    peer('10.30.0.41/32', Role.TACACS_SERVER), peer('10.30.0.50/32', Role.LOG_SERVER), peer('10.30.0.60/32', Role.BACKUP_SERVER),
    peer('203.0.113.10/32', Role.PACKAGE_MIRROR), peer('203.0.113.11/32', Role.PACKAGE_MIRROR),
    peer('10.0.9.9/32'), peer('198.51.100.7/32'),
  ];
  const ports = probePorts([587]);
  const expected = expectedConnections(built.stack.cluster.flows, entities, ports);
  const actual = allowedConnections(model, entities, ports);
  return { extra: [...actual].filter(x => !expected.has(x)), missing: [...expected].filter(x => !actual.has(x)) };
}
