import { Construct } from 'constructs';
import { SeguraGateway, SeguraGatewayProps } from './gateway';
import { Role } from '../core/roles';

/** Properties of an Azure DomumGateway. */
export interface DomumGatewayProps extends SeguraGatewayProps {}

/**
 * The Domum Gateway on Azure: its own NSG and ASG. The Domum table is wired in both
 * directions, for the Primary and (cluster note) the members: Domum's side on the
 * gateway's NSG, Segura's side on the cluster's NSG, matched by ASGs.
 */
export class DomumGateway extends SeguraGateway {
  constructor(scope: Construct, id: string, props: DomumGatewayProps) {
    super(scope, id, Role.DOMUM, props);
  }
}
