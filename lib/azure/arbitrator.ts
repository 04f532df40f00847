import { Construct } from 'constructs';
import { SeguraGateway, SeguraGatewayProps } from './gateway';
import { Role } from '../core/roles';

/** Properties of an Azure SeguraArbitrator. */
export interface SeguraArbitratorProps extends SeguraGatewayProps {}

/**
 * The Arbitrator of a two-instance Segura deployment on Azure: its own NSG and ASG,
 * wired to the cluster for the vendor's Arbitrator requirements (TCP 9300, 3306,
 * 4567, 4568, 4444 and UDP 4567) in both directions, with the Primary and every
 * member, matched by ASGs. Nothing else reaches it. For an Arbitrator outside Azure,
 * give its addresses as the cluster's `arbitrator` peers instead.
 */
export class SeguraArbitrator extends SeguraGateway {
  constructor(scope: Construct, id: string, props: SeguraArbitratorProps) {
    super(scope, id, Role.ARB, props);
  }
}
