/** The only way a gateway talks to its cluster (not part of the public API). */
import type { HolderGroups } from './rules';
import { GatewayLinkBase } from '../core/render-context';
import { Role } from '../core/roles';

/**
 * What a gateway gets from the cluster it attaches to (`SeguraCluster._attachGateway`):
 * its share of the plan, the cluster's render context, and for each node role (PRD,
 * MBR) its groups with the room kept for the gateway's rules.
 */
export interface GatewayLink extends GatewayLinkBase {
  /** Each node role's groups, rules and layout. */
  readonly nodes: ReadonlyMap<Role, HolderGroups>;
}
