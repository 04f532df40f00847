/**
 * A gateway on Azure (the Domum Gateway, ...): its own NSG and ASG, attached to one
 * cluster. Its share of the plan is wired in both directions, for the Primary and
 * the members: the gateway's side on its own NSG, the nodes' side on the cluster's
 * NSG, matched by ASGs.
 */
import { ApplicationSecurityGroup } from '@cdktf/provider-azurerm/lib/application-security-group';
import type { NetworkInterfaceApplicationSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/network-interface-application-security-group-association';
import type { NetworkInterfaceSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/network-interface-security-group-association';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import type { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { Construct } from 'constructs';
import { addNicToAsg, associateNsgWithNic, associateNsgWithSubnet } from './attach';
import { nsgErrors } from './checks';
import { ISeguraCluster, SeguraCluster } from './cluster';
import { AzurePlacementOptions } from './options';
import { Peer } from './peer';
import { isUnresolved } from './peers';
import { checkPlacement, claimNames, normalizeLocation, PLACEMENT_RECORDS } from './placement';
import { newUsage, renderDenyAll, renderNsgRules } from './render';
import { NSG_KINDS } from './slots';
import { rejectUnknownKeys } from '../core/config';
import { SeguraValidationError } from '../core/errors';
import { registerGatewayGroup } from '../core/identity';
import { copyProps, notPlainProps } from '../core/props';
import { Role, ROLES } from '../core/roles';

/** Properties of every gateway. */
export interface SeguraGatewayProps extends AzurePlacementOptions {
  /** The Segura cluster the gateway talks to. A cluster takes one gateway of each kind. */
  readonly cluster: ISeguraCluster;
}

/**
 * A host attached to a SeguraCluster with an NSG and an ASG of its own: the base of
 * `DomumGateway`.
 */
export abstract class SeguraGateway extends Construct {
  /** The gateway's NSG: associate it with the gateway's subnet or NIC. */
  public readonly networkSecurityGroup: NetworkSecurityGroup;
  /** The ASG of the gateway's NIC. */
  public readonly applicationSecurityGroup: ApplicationSecurityGroup;

  /**
   * @param role the gateway's role in the matrix
   */
  protected constructor(scope: Construct, id: string, role: Role, props: SeguraGatewayProps) {
    super(scope, id);
    // One read of the props: everything below reads the copy.
    props = copyProps(props, { name: 'props', notPlain: notPlainProps('the gateway\'s options'), records: PLACEMENT_RECORDS, lists: [] }) as unknown as SeguraGatewayProps;
    rejectUnknownKeys('', props, ['cluster', 'resourceGroupName', 'location', 'namePrefix', 'keepAzureDefaultRules', 'tags']);
    checkPlacement(props);
    if (!SeguraCluster.isSeguraCluster(props.cluster)) {
      throw new SeguraValidationError('cluster', 'is required: the SeguraCluster (from segura-constructs/azure) the gateway talks to');
    }
    checkReach(this, props.cluster, ROLES[role].gateway!.name, props.location);
    const link = props.cluster._attachGateway(role, this);

    const prefix = props.namePrefix ?? `${props.cluster.namePrefix}-${ROLES[role].gateway!.slug}`;
    claimNames(this, props.resourceGroupName, [`${prefix}-asg`, `${prefix}-nsg`]);
    const common = { resourceGroupName: props.resourceGroupName, location: props.location, ...(props.tags ? { tags: props.tags } : {}) };
    this.applicationSecurityGroup = new ApplicationSecurityGroup(this, 'ApplicationSecurityGroup', { name: `${prefix}-asg`, ...common });
    this.networkSecurityGroup = new NetworkSecurityGroup(this, 'NetworkSecurityGroup', { name: `${prefix}-nsg`, ...common });

    const owner = { name: ROLES[role].gateway!.name, gateway: this.node.path, cluster: props.cluster.node.path };
    registerGatewayGroup(this.applicationSecurityGroup, owner);
    const self = Peer.applicationSecurityGroupId(this.applicationSecurityGroup.id);
    // The nodes' side, on the cluster's NSG.
    renderNsgRules(this, link.context, link.flows, { ...link.clusterNsg, peersOf: r => r === role ? [self] : link.clusterNsg.peersOf(r) });
    // The gateway's side, on its own NSG (the Primary and the members share its rules: same ports).
    renderNsgRules(this, link.context, link.flows, {
      nsg: this.networkSecurityGroup,
      resourceGroupName: props.resourceGroupName,
      kind: NSG_KINDS.find(k => k.name === role)!,
      holders: new Map([[role, this.applicationSecurityGroup.id]]),
      peersOf: r => r === role ? [self] : [link.nodePeers.get(r)!],
      usage: newUsage(),
    });
    if (!props.keepAzureDefaultRules) renderDenyAll(this, this.networkSecurityGroup, props.resourceGroupName);
    // What the NSG will hold, checked when the App synthesizes (your own rules included).
    const denyAll = !props.keepAzureDefaultRules;
    this.node.addValidation({ validate: () => nsgErrors(this.networkSecurityGroup, () => true, denyAll) });
  }

  /** Associate the gateway's NSG with its subnet. */
  public associateWithSubnet(id: string, subnetId: string): SubnetNetworkSecurityGroupAssociation {
    return associateNsgWithSubnet(this, id, this.networkSecurityGroup, subnetId);
  }

  /** Associate the gateway's NSG with its NIC. */
  public associateWithNetworkInterface(id: string, networkInterfaceId: string): NetworkInterfaceSecurityGroupAssociation {
    return associateNsgWithNic(this, id, this.networkSecurityGroup, networkInterfaceId);
  }

  /** Put the gateway's NIC in its ASG. */
  public addNetworkInterface(id: string, networkInterfaceId: string): NetworkInterfaceApplicationSecurityGroupAssociation {
    return addNicToAsg(this, id, this.applicationSecurityGroup, networkInterfaceId);
  }
}

/**
 * A gateway and its cluster name each other's ASGs in NSG rules: they must be in one
 * App and one region (ASGs in a rule share a VNet).
 */
function checkReach(gateway: Construct, cluster: SeguraCluster, name: string, location: string): void {
  if (gateway.node.root !== cluster.node.root) {
    throw new SeguraValidationError('cluster', `the SeguraCluster ${cluster.node.path} belongs to another App; the ${name} and its cluster must be in one App`);
  }
  if (!isUnresolved(location) && !isUnresolved(cluster.location) && normalizeLocation(location) !== normalizeLocation(cluster.location)) {
    throw new SeguraValidationError('location', `"${location}" is not the SeguraCluster's location ("${cluster.location}"); `
      + `the ${name}'s and the nodes' ASGs must be in one region and VNet: put the ${name} in the cluster's location`);
  }
}
