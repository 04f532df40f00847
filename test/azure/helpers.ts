import { App, Testing } from 'cdktf';
import { DomumGateway, Peer, SeguraCluster, SeguraClusterOptions } from '../../lib/azure';
import { Role } from '../../lib/core';
import { azureCluster } from '../support/azure-cluster';
import { AzureEvaluation, AzurePeers, Entity, evaluateNsgs, NsgModel } from '../support/azure-evaluator';
import { peersByRole, planOf } from '../support/config-reader';

/**
 * What each peer a test made stands for, as the test wrote it: a CIDR, `tag:NAME` or
 * `asg:ID`. Peers are made with the factories below, so that the expectation reads the
 * test's own words and never a field of the library's Peer.
 */
const WRITTEN = new WeakMap<Peer, string>();
const made = (peer: Peer, written: string) => { WRITTEN.set(peer, written); return peer; };
export const ip = (c: string) => made(Peer.ipv4(c), c);
export const ip6 = (c: string) => made(Peer.ipv6(c), c);
export const tag = (t: string) => made(Peer.serviceTag(t), `tag:${t}`);
export const asgId = (id: string) => made(Peer.applicationSecurityGroupId(id), `asg:${id}`);
/** A test address (test/support/addresses.ts) as Azure's peer type. */
export const azurePeer = (cidr: string) => (cidr.includes(':') ? ip6(cidr) : ip(cidr));

/** The test's peers per role, as it wrote them (for the evaluator). */
export function azurePeers(options: object): AzurePeers {
  return new Map([...peersByRole<Peer>(options)].map(([role, list]) => [role as string, list.map(p => {
    const written = WRITTEN.get(p);
    if (written === undefined) throw new Error('make test peers with ip(), ip6(), tag() or asgId() from test/azure/helpers');
    return written;
  })]));
}

export interface AzureBuilt {
  tf: any;
  cluster: SeguraCluster;
  domum?: DomumGateway;
  model: NsgModel;
  /** The instances: the Primary, two members, the Domum Gateway when built. */
  instances: Entity[];
  /** The whole evaluation against the plan of the test's own options (computed when first read). */
  readonly evaluation: AzureEvaluation;
}

export interface BuildOptions {
  readonly domum?: boolean;
  readonly keepAzureDefaultRules?: boolean;
}

/** Synthesize a cluster (and a Domum Gateway), and evaluate it exhaustively against the plan of the options. */
export function buildAzure(options: SeguraClusterOptions = {}, b: BuildOptions = {}): AzureBuilt {
  const { stack, cluster } = azureCluster({ keepAzureDefaultRules: b.keepAzureDefaultRules, ...options }, 'test');
  const domum = b.domum ? new DomumGateway(stack, 'Domum', { resourceGroupName: 'rg', location: 'brazilsouth', cluster, keepAzureDefaultRules: b.keepAzureDefaultRules }) : undefined;
  const tf = JSON.parse(Testing.synth(stack));
  const model = new NsgModel(tf);
  const clusterNsg = model.ref('azurerm_network_security_group', 'segura-nsg', 'name');
  const instances: Entity[] = [
    { name: 'PRD', ip: '10.0.1.4', asgs: [model.ref('azurerm_application_security_group', 'segura-prd-asg')], tags: [], nsg: clusterNsg, roles: [Role.PRD] },
    { name: 'MBR1', ip: '10.0.1.5', asgs: [model.ref('azurerm_application_security_group', 'segura-mbr-asg')], tags: [], nsg: clusterNsg, roles: [Role.MBR] },
    { name: 'MBR2', ip: '10.0.1.6', asgs: [model.ref('azurerm_application_security_group', 'segura-mbr-asg')], tags: [], nsg: clusterNsg, roles: [Role.MBR] },
  ];
  if (domum) {
    instances.push({
      name: 'DOMUM',
      ip: '10.0.2.4',
      asgs: [model.ref('azurerm_application_security_group', 'segura-domum-asg')],
      tags: [],
      nsg: model.ref('azurerm_network_security_group', 'segura-domum-nsg', 'name'),
      roles: [Role.DOMUM],
    });
  }
  let evaluation: AzureEvaluation | undefined;
  return {
    tf,
    cluster,
    domum,
    model,
    instances,
    get evaluation() {
      evaluation ??= evaluateNsgs(model, instances, azurePeers(options), planOf(options as any, domum ? [Role.DOMUM] : []));
      return evaluation;
    },
  };
}

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
