import { Construct } from 'constructs';
import { SeguraGateway, SeguraGatewayProps } from './gateway';
import { Role } from '../core/roles';

/** Properties of a SeguraArbitrator. */
export interface SeguraArbitratorProps extends SeguraGatewayProps {}

/**
 * The Arbitrator of a two-instance Segura deployment, in the cloud: its security
 * group, wired to the cluster's for the vendor's Arbitrator requirements (TCP 9300,
 * 3306, 4567, 4568, 4444 and UDP 4567) in both directions, with the Primary and every
 * member. Nothing else reaches it. It may live in another stack than the cluster, like
 * the DomumGateway. For an Arbitrator outside the cloud, give its addresses as the
 * cluster's `arbitrator` peers instead.
 */
export class SeguraArbitrator extends SeguraGateway {
  constructor(scope: Construct, id: string, props: SeguraArbitratorProps) {
    super(scope, id, Role.ARB, props);
  }
}
