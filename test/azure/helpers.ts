import { App, TerraformStack, Testing } from 'cdktf';
import { DomumGateway, Peer, SeguraCluster, SeguraClusterOptions } from '../../lib/azure';
import { Role } from '../../lib/core';
import { collectPeers } from '../../lib/core/config';
import { AZURE_LB, Entity, firstAddress, NsgModel } from '../support/azure-evaluator';

export interface AzureBuilt {
  tf: any;
  cluster: SeguraCluster;
  domum?: DomumGateway;
  model: NsgModel;
  entities: Entity[];
}

export interface BuildOptions {
  readonly domum?: boolean;
  readonly keepAzureDefaultRules?: boolean;
}

/** Synthesize a cluster (and a Domum Gateway) and model every party as an entity. */
export function buildAzure(options: SeguraClusterOptions = {}, b: BuildOptions = {}): AzureBuilt {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  const cluster = new SeguraCluster(stack, 'Segura', { resourceGroupName: 'rg', location: 'brazilsouth', keepAzureDefaultRules: b.keepAzureDefaultRules, ...options });
  const domum = b.domum ? new DomumGateway(stack, 'Domum', { resourceGroupName: 'rg', location: 'brazilsouth', cluster, keepAzureDefaultRules: b.keepAzureDefaultRules }) : undefined;
  const tf = JSON.parse(Testing.synth(stack));
  const model = new NsgModel(tf);
  const clusterNsg = model.ref('azurerm_network_security_group', 'segura-nsg', 'name');
  const entities: Entity[] = [
    { name: 'PRD', ip: '10.0.1.4', asgs: [model.ref('azurerm_application_security_group', 'segura-prd-asg')], tags: [], nsg: clusterNsg, roles: [Role.PRD] },
    { name: 'MBR1', ip: '10.0.1.5', asgs: [model.ref('azurerm_application_security_group', 'segura-mbr-asg')], tags: [], nsg: clusterNsg, roles: [Role.MBR] },
    { name: 'MBR2', ip: '10.0.1.6', asgs: [model.ref('azurerm_application_security_group', 'segura-mbr-asg')], tags: [], nsg: clusterNsg, roles: [Role.MBR] },
    // Outsiders: another VM of the VNet, an Internet host, Azure's load balancer.
    { name: 'VNET-OTHER', ip: '10.0.9.9', asgs: [], tags: [], roles: [] },
    { name: 'INTERNET', ip: '198.51.100.7', asgs: [], tags: [], roles: [] },
    { name: 'AZURE-LB', ip: AZURE_LB, asgs: [], tags: [], roles: [] },
  ];
  if (domum) {
    entities.push({
      name: 'DOMUM',
      ip: '10.0.2.4',
      asgs: [model.ref('azurerm_application_security_group', 'segura-domum-asg')],
      tags: [],
      nsg: model.ref('azurerm_network_security_group', 'segura-domum-nsg', 'name'),
      roles: [Role.DOMUM],
    });
  }
  // One entity per configured peer, carrying every role whose list holds it.
  const lists = collectPeers<Peer>(options, () => {}).map(({ role, peers }) => [role, peers] as const);
  const byKey = new Map<string, Entity & { roles: string[] }>();
  let n = 0;
  for (const [role, peers] of lists) {
    for (const p of peers) {
      const key = `${p.kind}:${p.value}`;
      if (!byKey.has(key)) {
        n++;
        const ip = p.kind === 'ADDRESS_PREFIX' ? firstAddress(p.value) : `100.64.${n}.1`;
        const entity = { name: `PEER-${p.value}`, ip, asgs: p.kind === 'APPLICATION_SECURITY_GROUP' ? [p.value] : [], tags: p.kind === 'SERVICE_TAG' ? [p.value] : [], roles: [] as string[] };
        byKey.set(key, entity);
        entities.push(entity);
      }
      byKey.get(key)!.roles.push(role);
    }
  }
  return { tf, cluster, domum, model, entities };
}

export const ip = (c: string) => Peer.ipv4(c);

export const AZ_FULL: SeguraClusterOptions = {
  users: [ip('10.10.0.0/16')],
  devices: [ip('10.20.0.0/16'), ip('10.21.0.0/16')],
  management: {
    ntp: [ip('10.30.0.1/32')],
    dns: [ip('10.30.0.2/32')],
    mail: [ip('10.30.0.3/32')],
    ldap: [ip('10.30.0.4/32')],
    radius: [ip('10.30.0.5/32')],
    tacacs: [ip('10.30.0.6/32')],
    syslog: [ip('10.30.0.7/32')],
    backup: [ip('10.30.0.8/32')],
  },
  packageMirrors: [ip('203.0.113.10/32')],
};

export { App };
