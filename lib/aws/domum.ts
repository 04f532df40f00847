import { Construct } from 'constructs';
import { SeguraGateway, SeguraGatewayProps } from './gateway';
import { Role } from '../core/roles';

/** Properties of a DomumGateway. */
export interface DomumGatewayProps extends SeguraGatewayProps {}

/**
 * The Domum Gateway's security group, wired to the cluster's: the document's Domum
 * table in both directions, for the Primary and (cluster note) the members, through
 * security-group references. It may live in another stack than the cluster: every
 * rule it adds, on either side, lives in the gateway's stack, so the gateway's stack
 * depends on the cluster's and never the other way round.
 */
export class DomumGateway extends SeguraGateway {
  constructor(scope: Construct, id: string, props: DomumGatewayProps) {
    super(scope, id, Role.DOMUM, props);
  }
}
