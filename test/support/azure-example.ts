/**
 * What the Azure example allows, evaluated as Azure evaluates NSGs (every port and
 * address), against the plan of its options: the example tests use it, and so does the
 * peer-floor script (scripts/peer-floor.ts) in a scratch app on the oldest peer
 * versions. The example's options are written here again: the expectation never reads
 * the constructs.
 */
import { AzureEvaluation as NsgEvaluation, Entity, evaluateNsgs, NsgModel } from './azure-evaluator';
import { peersByRole, planOf } from './config-reader';
import { AZURE_EXAMPLE_OPTIONS } from './example-options';
import { buildAzureExample } from '../../examples/azure/app';
import { Role } from '../../lib/core';

/** The difference both ways: what is allowed beyond the plan, and what the plan needs that is not allowed. */
export interface AzureEvaluation {
  readonly extra: string[];
  readonly missing: string[];
}


/** The Azure example's Terraform JSON, evaluated as Azure evaluates NSGs (the whole evaluation too, for the tests' questions). */
export function evaluateAzureExample(_built: ReturnType<typeof buildAzureExample>, tf: any): AzureEvaluation & { evaluation: NsgEvaluation } {
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
  const flows = planOf(AZURE_EXAMPLE_OPTIONS, [Role.DOMUM, Role.ARB]);
  const evaluation = evaluateNsgs(model, instances, peersByRole<string>(AZURE_EXAMPLE_OPTIONS), flows);
  return { extra: evaluation.extra, missing: evaluation.missing, evaluation };
}
