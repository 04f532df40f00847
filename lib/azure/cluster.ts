import { ApplicationSecurityGroup } from '@cdktf/provider-azurerm/lib/application-security-group';
import type { NetworkInterfaceApplicationSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/network-interface-application-security-group-association';
import type { NetworkInterfaceSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/network-interface-security-group-association';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import type { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { Annotations } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { addNicToAsg, associateNsgWithNic, associateNsgWithSubnet } from './attach';
import { nsgErrors } from './checks';
import type { GatewayLink } from './gateway-link';
import { AzurePlacementOptions } from './options';
import { Peer } from './peer';
import { PeerOptions } from './peer-options';
import { aggregatePeers, cidrOfAzurePeer, isUnresolved, validateAzurePeer, worldOpenAzurePeer } from './peers';
import { checkPlacement, claimNames, pathPrefix, PLACEMENT_RECORDS } from './placement';
import { newUsage, NsgTarget, renderDenyAll, renderNsgRules } from './render';
import { NSG_KINDS } from './slots';
import { RuleOptions } from '../core/config';
import { hasIdentity, markIdentity } from '../core/identity';
import { Flow } from '../core/plan';
import { isNode, NODE_ROLES, propertyOf, Role } from '../core/roles';
import { ClusterTopology } from '../core/topology';

/** Which peers Segura talks to, and how the document's rows are opened. */
export interface SeguraClusterOptions extends PeerOptions, RuleOptions {}

/** Properties of an Azure SeguraCluster. */
export interface SeguraClusterProps extends SeguraClusterOptions, AzurePlacementOptions {}

/** A Segura cluster on Azure, as its gateways (`DomumGateway`, `SeguraArbitrator`) and your code see it. */
export interface ISeguraCluster extends IConstruct {
  /** The NSG of the Segura nodes: associate it with their subnet or NICs. */
  readonly networkSecurityGroup: NetworkSecurityGroup;
  /** The ASG of the Primary's NIC (PRD). */
  readonly primaryApplicationSecurityGroup: ApplicationSecurityGroup;
  /** The ASG of the members' NICs (MBR). */
  readonly memberApplicationSecurityGroup: ApplicationSecurityGroup;
  /** The resource group of the NSG and ASGs. */
  readonly resourceGroupName: string;
  /** The region. */
  readonly location: string;
  /** The prefix of the cluster's resource names (and, by default, of its gateways'). */
  readonly namePrefix: string;
  /** The flows the cluster's NSG allows, those of its attached gateways included. */
  readonly flows: Flow[];
}

const CLUSTER_ID = 'segura-constructs/azure.SeguraCluster';

/** The props only the Azure cluster takes; the peer properties and rule options come from core. */
const AZURE_CLUSTER_KEYS = ['resourceGroupName', 'location', 'namePrefix', 'keepAzureDefaultRules', 'tags'];

/**
 * A Segura cluster on Azure: one NSG for the nodes' subnet or NICs, and an ASG for
 * the Primary's NIC and one for the members' NICs. The NSG allows exactly the rows
 * of the Segura firewall matrix that the configuration asks for, then denies the rest.
 */
export class SeguraCluster extends Construct implements ISeguraCluster {
  /**
   * True when `x` is a SeguraCluster of this backend, made by any copy of this package
   * (checked by a `Symbol.for` mark, as aws-cdk-lib does, rather than `instanceof`).
   */
  public static isSeguraCluster(x: any): x is SeguraCluster {
    return hasIdentity(x, CLUSTER_ID);
  }

  /** The NSG of the Segura nodes: associate it with their subnet or NICs. */
  public readonly networkSecurityGroup: NetworkSecurityGroup;
  /** The ASG of the Primary's NIC (PRD). */
  public readonly primaryApplicationSecurityGroup: ApplicationSecurityGroup;
  /** The ASG of the members' NICs (MBR). */
  public readonly memberApplicationSecurityGroup: ApplicationSecurityGroup;
  /** The resource group of the NSG and ASGs. */
  public readonly resourceGroupName: string;
  /** The region. */
  public readonly location: string;
  /** The prefix of the cluster's resource names (and, by default, of its gateways'). */
  public readonly namePrefix: string;

  /** The flows the cluster's NSG allows, those of its attached gateways included. */
  public get flows(): Flow[] {
    return this.topology.flows;
  }

  private readonly topology: ClusterTopology<Peer>;
  /** Each configured role's peers, aggregated. */
  private readonly peers = new Map<Role, Peer[]>();
  /** The cluster NSG's rules and ASGs (gateways write the nodes' side of their flows there too). */
  private readonly usage = newUsage();

  constructor(scope: Construct, id: string, props: SeguraClusterProps) {
    super(scope, id);
    markIdentity(this, CLUSTER_ID);
    this.topology = new ClusterTopology<Peer>({
      cluster: this,
      props,
      backendKeys: AZURE_CLUSTER_KEYS,
      backendRecords: PLACEMENT_RECORDS,
      validatePeer: validateAzurePeer,
      isUnresolved,
      worldOpen: worldOpenAzurePeer,
      cidrOf: cidrOfAzurePeer,
    });
    // From here on, only the copy the topology took is read.
    props = this.topology.props as unknown as SeguraClusterProps;
    checkPlacement(props);
    this.resourceGroupName = props.resourceGroupName;
    this.location = props.location;

    const prefix = props.namePrefix ?? pathPrefix(this);
    this.namePrefix = prefix;
    claimNames(this, props.resourceGroupName, [`${prefix}-prd-asg`, `${prefix}-mbr-asg`, `${prefix}-nsg`]);
    const common = { resourceGroupName: props.resourceGroupName, location: props.location, ...(props.tags ? { tags: props.tags } : {}) };
    this.primaryApplicationSecurityGroup = new ApplicationSecurityGroup(this, 'PrimaryApplicationSecurityGroup', { name: `${prefix}-prd-asg`, ...common });
    this.memberApplicationSecurityGroup = new ApplicationSecurityGroup(this, 'MemberApplicationSecurityGroup', { name: `${prefix}-mbr-asg`, ...common });
    this.networkSecurityGroup = new NetworkSecurityGroup(this, 'NetworkSecurityGroup', { name: `${prefix}-nsg`, ...common });

    // Each role's prefixes, canonical and aggregated (the same addresses, fewer prefixes).
    for (const [role, list] of this.topology.peers) {
      const { peers, summary } = aggregatePeers(list);
      if (summary) Annotations.of(this).addInfo(`${propertyOf(role)}: ${summary}; the same addresses, fewer prefixes`);
      this.peers.set(role, peers);
    }
    renderNsgRules(this, this.topology.context, this.topology.ownFlows, this.nsgTarget());
    if (!props.keepAzureDefaultRules) renderDenyAll(this, this.networkSecurityGroup, props.resourceGroupName);

    // What the NSG will hold, checked when the App synthesizes (the gateways' rules and your own included).
    const denyAll = !props.keepAzureDefaultRules;
    const allowed = (role: Role) => this.topology.anyAddress.has(propertyOf(role));
    this.node.addValidation({ validate: () => [...nsgErrors(this.networkSecurityGroup, allowed, denyAll), ...this.topology.validate()] });
  }

  /** Associate the cluster's NSG with a subnet of the Segura nodes. */
  public associateWithSubnet(id: string, subnetId: string): SubnetNetworkSecurityGroupAssociation {
    return associateNsgWithSubnet(this, id, this.networkSecurityGroup, subnetId);
  }

  /** Associate the cluster's NSG with a node's NIC. */
  public associateWithNetworkInterface(id: string, networkInterfaceId: string): NetworkInterfaceSecurityGroupAssociation {
    return associateNsgWithNic(this, id, this.networkSecurityGroup, networkInterfaceId);
  }

  /** Put the Primary's NIC in the Primary's ASG. */
  public addPrimaryNetworkInterface(id: string, networkInterfaceId: string): NetworkInterfaceApplicationSecurityGroupAssociation {
    return addNicToAsg(this, id, this.primaryApplicationSecurityGroup, networkInterfaceId);
  }

  /** Put a member's NIC in the members' ASG. */
  public addMemberNetworkInterface(id: string, networkInterfaceId: string): NetworkInterfaceApplicationSecurityGroupAssociation {
    return addNicToAsg(this, id, this.memberApplicationSecurityGroup, networkInterfaceId);
  }

  /**
   * Attach `gateway` as the cluster's gateway of `role` (one of each) and give it
   * what it needs: its share of the plan, the nodes' ASGs, and the cluster's NSG for
   * the nodes' side of its flows. @internal
   */
  public _attachGateway(role: Role, gateway: Construct): GatewayLink {
    this.topology.attach(role, gateway);
    return { flows: this.topology.gatewayFlows(role), context: this.topology.context, nodePeers: this.nodePeers(), clusterNsg: this.nsgTarget() };
  }

  private nodePeers(): Map<Role, Peer> {
    return new Map([
      [Role.PRD, Peer.applicationSecurityGroupId(this.primaryApplicationSecurityGroup.id)],
      [Role.MBR, Peer.applicationSecurityGroupId(this.memberApplicationSecurityGroup.id)],
    ]);
  }

  /** The cluster's NSG as a target: the nodes' ASGs, and each other role's peers. */
  private nsgTarget(): NsgTarget {
    const nodes = this.nodePeers();
    return {
      nsg: this.networkSecurityGroup,
      resourceGroupName: this.resourceGroupName,
      kind: NSG_KINDS[0],
      holders: new Map(NODE_ROLES.map(r => [r, nodes.get(r)!.value])),
      peersOf: role => isNode(role) ? [nodes.get(role)!] : this.peers.get(role) ?? [],
      usage: this.usage,
    };
  }
}
