/**
 * What the Azure example allows, evaluated as Azure evaluates NSGs (every port and
 * address), against the plan of its options: the example tests use it, and so does the
 * peer-floor script (scripts/peer-floor.ts) in a scratch app on the oldest peer
 * versions. The example's options are written here again: the expectation never reads
 * the constructs.
 */
import { Entity, evaluateNsgs, NsgModel } from './azure-evaluator';
import { peersByRole, planOf } from './config-reader';
import { buildAzureExample } from '../../examples/azure/app';
import { Role } from '../../lib/core';

/** The difference both ways: what is allowed beyond the plan, and what the plan needs that is not allowed. */
export interface AzureEvaluation {
  readonly extra: string[];
  readonly missing: string[];
}

/** examples/azure/app.ts's options, as written there. */
const OPTIONS = {
  users: ['10.10.0.0/16'],
  devices: ['10.20.0.0/16', '192.168.50.0/24'],
  management: {
    ntp: ['10.30.0.10/32'],
    dns: ['10.30.0.53/32'],
    mail: ['10.30.0.25/32'],
    ldap: ['10.30.0.30/32', '10.30.0.31/32'],
    radius: ['10.30.0.40/32'],
    tacacs: ['10.30.0.41/32'],
    syslog: ['10.30.0.50/32'],
    backup: ['10.30.0.60/32'],
  },
  packageMirrors: ['203.0.113.10/32', '203.0.113.11/32'],
  portOverrides: { 'MGT-SMTP': 587 },
  disabledRules: ['DVC-TELNET'],
};

/** The Azure example's Terraform JSON, evaluated as Azure evaluates NSGs. */
export function evaluateAzureExample(_built: ReturnType<typeof buildAzureExample>, tf: any): AzureEvaluation {
  const model = new NsgModel(tf);
  const nsg = model.ref('azurerm_network_security_group', 'segura-nsg', 'name');
  const asg = (n: string) => model.ref('azurerm_application_security_group', n);
  const gateway = (name: string, ip: string, slug: string, role: Role): Entity => ({
    name, ip, asgs: [asg(`segura-${slug}-asg`)], tags: [], nsg: model.ref('azurerm_network_security_group', `segura-${slug}-nsg`, 'name'), roles: [role],
  });
  const instances: Entity[] = [
    { name: 'PRD', ip: '10.0.1.4', asgs: [asg('segura-prd-asg')], tags: [], nsg, roles: [Role.PRD] },
    { name: 'MBR1', ip: '10.0.1.5', asgs: [asg('segura-mbr-asg')], tags: [], nsg, roles: [Role.MBR] },
    { name: 'MBR2', ip: '10.0.1.6', asgs: [asg('segura-mbr-asg')], tags: [], nsg, roles: [Role.MBR] },
    gateway('DOMUM', '10.0.2.4', 'domum', Role.DOMUM), gateway('ARB', '10.0.3.4', 'arbitrator', Role.ARB),
  ];
  const { extra, missing } = evaluateNsgs(model, instances, peersByRole<string>(OPTIONS), planOf(OPTIONS, [Role.DOMUM, Role.ARB]));
  return { extra, missing };
}
