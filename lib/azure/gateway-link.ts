/** The only way a gateway talks to its cluster (not part of the public API). */
import type { Peer } from './peer';
import type { NsgTarget } from './render';
import { GatewayLinkBase } from '../core/render-context';
import { Role } from '../core/roles';

/**
 * What a gateway gets from the cluster it attaches to (`SeguraCluster._attachGateway`):
 * its share of the plan, the cluster's render context, the nodes' ASGs as peers, and
 * the cluster's NSG, on which the gateway writes the nodes' side of its flows.
 */
export interface GatewayLink extends GatewayLinkBase {
  /** The ASG of each node role (PRD, MBR), as a peer. */
  readonly nodePeers: ReadonlyMap<Role, Peer>;
  /** The cluster's NSG, its holders (the nodes' ASGs) and the peers of its other roles; the gateway's own role has none yet. */
  readonly clusterNsg: NsgTarget;
}
