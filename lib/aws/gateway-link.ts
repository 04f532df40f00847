/** The only way a gateway talks to its cluster (not part of the public API). */
import type { QuotaSecurityGroup } from './group';
import type { Layout } from './layout';
import type { HolderRules } from './rules';
import { Flow } from '../core/plan';
import { Role } from '../core/roles';

/** A node role's groups, with the rules and layout they were made for. */
export interface NodeShare {
  /** The node's rules: its own and those kept for the gateways (units `role:DOMUM`, ...). */
  readonly rules: HolderRules;
  /** Where each unit's rules go. */
  readonly layout: Layout;
  /** The node's groups; the first is the one rules reference. */
  readonly groups: readonly QuotaSecurityGroup[];
}

/**
 * What a gateway gets from the cluster it attaches to (`SeguraCluster._attachGateway`):
 * its share of the plan, and for each node role (PRD, MBR) its groups with the room
 * kept for the gateway's rules.
 */
export interface GatewayLink {
  /** The flows between the gateway's role and the Segura nodes. */
  readonly flows: Flow[];
  /** Each node role's share. */
  readonly nodes: ReadonlyMap<Role, NodeShare>;
}
