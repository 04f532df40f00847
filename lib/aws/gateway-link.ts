/** The only way a gateway talks to its cluster (not part of the public API). */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type { RuleLedger } from './rules';
import { Flow } from '../core/plan';
import { Role } from '../core/roles';

/**
 * What a gateway gets from the cluster it attaches to (`SeguraCluster._attachGateway`):
 * its share of the plan, and the Segura nodes' groups, which its rules reference and
 * on which it writes the nodes' side of its flows. The only way a gateway talks to
 * its cluster.
 */
export interface GatewayLink {
  /** The flows between the gateway's role and the Segura nodes. */
  readonly flows: Flow[];
  /** The security group of each node role (PRD, MBR). */
  readonly groups: ReadonlyMap<Role, ec2.ISecurityGroup>;
  /** The quota ledger of a node role's group. */
  readonly ledgerOf: (role: Role) => RuleLedger;
}
