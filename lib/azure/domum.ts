import { ApplicationSecurityGroup } from '@cdktf/provider-azurerm/lib/application-security-group';
import type { NetworkInterfaceApplicationSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/network-interface-application-security-group-association';
import type { NetworkInterfaceSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/network-interface-security-group-association';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import type { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { Construct } from 'constructs';
import { AzurePlacementOptions, SeguraCluster } from './cluster';
import { Peer } from './peer';
import { associations, catalogOf, checkPlacement, renderDenyAll, renderNsgRules } from './rules';
import { rejectUnknownKeys } from '../core/config';
import { SeguraValidationError } from '../core/errors';
import { Role } from '../core/matrix';

/** The Segura nodes, as Domum sees them. */
const SEGURA_NODES = [Role.PRD, Role.MBR];

/** Properties of an Azure DomumGateway. */
export interface DomumGatewayProps extends AzurePlacementOptions {
  /** The Segura cluster the gateway talks to. A cluster takes one Domum Gateway. */
  readonly cluster: SeguraCluster;
}

/**
 * The Domum Gateway on Azure: its own NSG and ASG. The Domum table is wired in both
 * directions, for the Primary and (cluster note) the members: Domum's side on the
 * gateway's NSG, Segura's side on the cluster's NSG, matched by ASGs.
 */
export class DomumGateway extends Construct {
  /** The gateway's NSG. */
  public readonly networkSecurityGroup: NetworkSecurityGroup;
  /** The ASG of the gateway's NIC (DOMUM). */
  public readonly applicationSecurityGroup: ApplicationSecurityGroup;

  constructor(scope: Construct, id: string, props: DomumGatewayProps) {
    super(scope, id);
    rejectUnknownKeys('', props, ['cluster', 'resourceGroupName', 'location', 'namePrefix', 'keepAzureDefaultRules', 'tags']);
    checkPlacement(props);
    if (!(props.cluster instanceof SeguraCluster)) {
      throw new SeguraValidationError('cluster', 'is required: the SeguraCluster (from segura-constructs/azure) the gateway talks to');
    }
    const cluster = props.cluster;
    cluster._attachDomum(this);

    const prefix = props.namePrefix ?? 'segura-domum';
    const common = { resourceGroupName: props.resourceGroupName, location: props.location, ...(props.tags ? { tags: props.tags } : {}) };
    this.applicationSecurityGroup = new ApplicationSecurityGroup(this, 'ApplicationSecurityGroup', { name: `${prefix}-asg`, ...common });
    this.networkSecurityGroup = new NetworkSecurityGroup(this, 'NetworkSecurityGroup', { name: `${prefix}-nsg`, ...common });

    const flows = cluster._domumFlows();
    // Segura's side, on the cluster's NSG (DOMUM is an ASG peer there).
    const domumPeer = Peer.applicationSecurityGroupId(this.applicationSecurityGroup.id);
    cluster._renderOnNsg(this, flows, domumPeer);
    // Domum's side, on its own NSG.
    renderNsgRules(flows, {
      scope: this,
      nsg: this.networkSecurityGroup,
      resourceGroupName: props.resourceGroupName,
      owned: new Map([[Role.DOMUM, this.applicationSecurityGroup.id]]),
      catalog: catalogOf([Role.DOMUM], SEGURA_NODES),
      peersOf: role => role === Role.DOMUM ? [domumPeer] : cluster._peersOf(role),
      names: new Set(),
      // The Primary and the members reach Domum on the same ports: one rule each way, both ASGs.
      combinedPeers: SEGURA_NODES,
    });
    if (!props.keepAzureDefaultRules) renderDenyAll(this, this.networkSecurityGroup, props.resourceGroupName);
  }

  /** Associate the gateway's NSG with its subnet. */
  public associateWithSubnet(id: string, subnetId: string): SubnetNetworkSecurityGroupAssociation {
    return new (associations.subnetNsg())(this, id, { subnetId, networkSecurityGroupId: this.networkSecurityGroup.id });
  }

  /** Associate the gateway's NSG with its NIC. */
  public associateWithNetworkInterface(id: string, networkInterfaceId: string): NetworkInterfaceSecurityGroupAssociation {
    return new (associations.nicNsg())(this, id, { networkInterfaceId, networkSecurityGroupId: this.networkSecurityGroup.id });
  }

  /** Put the gateway's NIC in its ASG. */
  public addNetworkInterface(id: string, networkInterfaceId: string): NetworkInterfaceApplicationSecurityGroupAssociation {
    return new (associations.nicAsg())(this, id, {
      networkInterfaceId, applicationSecurityGroupId: this.applicationSecurityGroup.id,
    });
  }
}
