import { ApplicationSecurityGroup } from '@cdktf/provider-azurerm/lib/application-security-group';
import type { NetworkInterfaceApplicationSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/network-interface-application-security-group-association';
import type { NetworkInterfaceSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/network-interface-security-group-association';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import type { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { Construct } from 'constructs';
import { Peer } from './peer';
import { associations, catalogOf, checkPlacement, isUnresolved, renderDenyAll, renderNsgRules, validateAzurePeer } from './rules';
import { collectPeers, planOptionsOf, rejectUnknownKeys, RuleOptions } from '../core/config';
import { DomumAttachment } from '../core/domum';
import { Role } from '../core/matrix';
import { Flow, planFlows } from '../core/plan';

/** Management servers Segura talks to, each a list of peers. A server left out gets no rules. */
export interface ManagementPeers {
  /** NTP servers (MGT-NTP, 123/udp). @default - no NTP rules */
  readonly ntp?: Peer[];
  /** DNS servers (MGT-DNS, 53/udp). @default - no DNS rules */
  readonly dns?: Peer[];
  /** Mail servers (MGT-SMTP, documented as 420/tcp). @default - no mail rules */
  readonly mail?: Peer[];
  /** LDAP servers (MGT-LDAP 389/tcp, MGT-LDAPS 636/tcp). @default - no LDAP rules */
  readonly ldap?: Peer[];
  /** RADIUS servers (MGT-RADIUS, 1812/udp). @default - no RADIUS rules */
  readonly radius?: Peer[];
  /** TACACS servers (MGT-TACACS-TCP/UDP, 49). @default - no TACACS rules */
  readonly tacacs?: Peer[];
  /** Syslog servers, the document's LOG SERVER (514/tcp, 6514/udp). @default - no syslog rules */
  readonly syslog?: Peer[];
  /** Backup servers (SSH, NFS, SMB both ways). @default - no backup rules */
  readonly backup?: Peer[];
}

/** An APT proxy through which the instances reach the vendor's package mirrors. */
export interface AptProxyPeers {
  /** The proxy's addresses. */
  readonly peers: Peer[];
  /**
   * The proxy's port (row UPD-APT-PROXY).
   *
   * @default 3142
   */
  readonly port?: number;
}

/** Where the Azure resources go and how they are named. */
export interface AzurePlacementOptions {
  /** The resource group of the NSGs and ASGs. */
  readonly resourceGroupName: string;
  /** The Azure region, e.g. `brazilsouth`. */
  readonly location: string;
  /**
   * Prefix of the Azure resource names.
   *
   * @default 'segura' for the cluster, 'segura-domum' for a Domum Gateway
   */
  readonly namePrefix?: string;
  /**
   * Keep Azure's default rules in effect (AllowVnetInBound, AllowAzureLoadBalancerInBound,
   * AllowVnetOutBound, AllowInternetOutBound) instead of ending the NSG with explicit
   * deny-all rules. WEAKER: the whole VNet, the load balancer and, outbound, the Internet
   * are then allowed beside the matrix.
   *
   * @default false
   */
  readonly keepAzureDefaultRules?: boolean;
  /**
   * Tags on the NSGs and ASGs.
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };
}

/** Which peers Segura talks to, and how the document's rows are opened. */
export interface SeguraClusterOptions extends RuleOptions {
  /** User workstations (USERW). @default - no user rules */
  readonly users?: Peer[];
  /** Managed devices (DVC). @default - no device rules */
  readonly devices?: Peer[];
  /** Management servers. @default - no management rules */
  readonly management?: ManagementPeers;
  /** The vendor's package mirrors, on 443/tcp (UPD-MIRROR). @default - no mirror rule */
  readonly packageMirrors?: Peer[];
  /** An APT proxy in front of the mirrors (UPD-APT-PROXY), instead of `packageMirrors`. @default - no proxy rule */
  readonly aptProxy?: AptProxyPeers;
}

/** Properties of an Azure SeguraCluster. */
export interface SeguraClusterProps extends SeguraClusterOptions, AzurePlacementOptions {}

const KNOWN_PROPS = ['resourceGroupName', 'location', 'namePrefix', 'keepAzureDefaultRules', 'tags',
  'users', 'devices', 'management', 'packageMirrors', 'aptProxy', 'portOverrides', 'disabledRules'];
const NODE_ROLES: Role[] = [Role.PRD, Role.MBR];

/**
 * A Segura cluster on Azure: one NSG for the nodes' subnet or NICs, and an ASG for
 * the Primary's NIC and one for the members' NICs. The NSG allows exactly the rows
 * of the Segura firewall matrix that the configuration asks for, then denies the rest.
 */
export class SeguraCluster extends Construct {
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

  /** The flows the cluster's NSG allows, Domum's included once a Domum Gateway is attached. */
  public get flows(): Flow[] {
    return [...this.ownFlows, ...(this.domum.attached ? this.domumFlows : [])];
  }

  private readonly peers = new Map<Role, Peer[]>();
  private readonly ownFlows: Flow[];
  private readonly domumFlows: Flow[];
  private readonly ruleNames = new Set<string>();
  private readonly domum: DomumAttachment;

  constructor(scope: Construct, id: string, props: SeguraClusterProps) {
    super(scope, id);
    rejectUnknownKeys('', props, KNOWN_PROPS);
    checkPlacement(props);
    for (const { role, peers } of collectPeers<Peer>(props, validateAzurePeer)) this.peers.set(role, peers);
    // Validate the options against the full plan, Domum rows included (a Domum Gateway
    // may be attached later); the cluster renders its own flows now, the gateway its share.
    const all = planFlows(planOptionsOf([...this.peers.keys(), Role.DOMUM], props), isUnresolved);
    this.ownFlows = all.filter(f => f.source !== Role.DOMUM && f.destination !== Role.DOMUM);
    this.domumFlows = all.filter(f => f.source === Role.DOMUM || f.destination === Role.DOMUM);
    this.resourceGroupName = props.resourceGroupName;
    this.domum = new DomumAttachment(this, props);
    this.location = props.location;

    const prefix = props.namePrefix ?? 'segura';
    const common = { resourceGroupName: props.resourceGroupName, location: props.location, ...(props.tags ? { tags: props.tags } : {}) };
    this.primaryApplicationSecurityGroup = new ApplicationSecurityGroup(this, 'PrimaryApplicationSecurityGroup', { name: `${prefix}-prd-asg`, ...common });
    this.memberApplicationSecurityGroup = new ApplicationSecurityGroup(this, 'MemberApplicationSecurityGroup', { name: `${prefix}-mbr-asg`, ...common });
    this.networkSecurityGroup = new NetworkSecurityGroup(this, 'NetworkSecurityGroup', { name: `${prefix}-nsg`, ...common });

    this._renderOnNsg(this, this.ownFlows);
    if (!props.keepAzureDefaultRules) renderDenyAll(this, this.networkSecurityGroup, props.resourceGroupName);

    this.node.addValidation({ validate: () => this.domum.validate() });
  }

  /** Associate the cluster's NSG with a subnet of the Segura nodes. */
  public associateWithSubnet(id: string, subnetId: string): SubnetNetworkSecurityGroupAssociation {
    return new (associations.subnetNsg())(this, id, { subnetId, networkSecurityGroupId: this.networkSecurityGroup.id });
  }

  /** Associate the cluster's NSG with a node's NIC. */
  public associateWithNetworkInterface(id: string, networkInterfaceId: string): NetworkInterfaceSecurityGroupAssociation {
    return new (associations.nicNsg())(this, id, { networkInterfaceId, networkSecurityGroupId: this.networkSecurityGroup.id });
  }

  /** Put the Primary's NIC in the Primary's ASG. */
  public addPrimaryNetworkInterface(id: string, networkInterfaceId: string): NetworkInterfaceApplicationSecurityGroupAssociation {
    return new (associations.nicAsg())(this, id, {
      networkInterfaceId, applicationSecurityGroupId: this.primaryApplicationSecurityGroup.id,
    });
  }

  /** Put a member's NIC in the members' ASG. */
  public addMemberNetworkInterface(id: string, networkInterfaceId: string): NetworkInterfaceApplicationSecurityGroupAssociation {
    return new (associations.nicAsg())(this, id, {
      networkInterfaceId, applicationSecurityGroupId: this.memberApplicationSecurityGroup.id,
    });
  }

  /** Write flows' PRD/MBR sides on the cluster's NSG, from `scope`. @internal */
  public _renderOnNsg(scope: Construct, flows: Flow[], domum?: Peer): void {
    renderNsgRules(flows, {
      scope,
      nsg: this.networkSecurityGroup,
      resourceGroupName: this.resourceGroupName,
      owned: new Map([[Role.PRD, this.primaryApplicationSecurityGroup.id], [Role.MBR, this.memberApplicationSecurityGroup.id]]),
      catalog: catalogOf(NODE_ROLES),
      peersOf: role => role === Role.DOMUM && domum ? [domum] : this._peersOf(role),
      names: this.ruleNames,
    });
  }

  /** Peers of a role; PRD and MBR as their ASGs. @internal */
  public _peersOf(role: Role): Peer[] {
    if (role === Role.PRD) return [Peer.applicationSecurityGroupId(this.primaryApplicationSecurityGroup.id)];
    if (role === Role.MBR) return [Peer.applicationSecurityGroupId(this.memberApplicationSecurityGroup.id)];
    return this.peers.get(role) ?? [];
  }

  /** The Domum Gateway's share of the plan. @internal */
  public _domumFlows(): Flow[] {
    return this.domumFlows;
  }

  /** Record the Domum Gateway; a cluster has at most one. @internal */
  public _attachDomum(domum: Construct): void {
    this.domum.attach(domum);
  }
}
