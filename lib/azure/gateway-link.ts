/** The only way a gateway talks to its cluster (not part of the public API). */
import { Construct } from 'constructs';
import type { Peer } from './peer';
import { Flow } from '../core/plan';
import { Role } from '../core/roles';

/**
 * What a gateway gets from the cluster it attaches to (`SeguraCluster._attachGateway`):
 * its share of the plan, the nodes' ASGs as peers, and a way to write the nodes'
 * side of its flows on the cluster's NSG. The only way a gateway talks to its cluster.
 */
export interface GatewayLink {
  /** The flows between the gateway's role and the Segura nodes. */
  readonly flows: Flow[];
  /** The ASG of each node role (PRD, MBR), as a peer. */
  readonly nodePeers: ReadonlyMap<Role, Peer>;
  /** Write the nodes' side of `flows` on the cluster's NSG, under `scope`, with the gateway as `gatewayPeer`. */
  readonly renderClusterSide: (scope: Construct, gatewayPeer: Peer) => void;
}
