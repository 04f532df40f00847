import { Annotations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct, IConstruct } from 'constructs';
import { attachGroups } from './attach';
import type { GatewayLink } from './gateway-link';
import { checkLayoutFile } from './layout-file';
import { AwsQuotaOptions } from './options';
import { PeerOptions } from './peer-options';
import { aggregatePeers, cidrOfAwsPeer, isUnresolved, validateAwsPeer, worldOpenAwsPeer } from './peers';
import { checkQuotas, checkVpc, createGroups, HolderGroups, holderRules, layoutWithFile, RulePeer, writeRules } from './rules';
import { RuleOptions } from '../core/config';
import { hasIdentity, markIdentity } from '../core/identity';
import { Flow } from '../core/plan';
import { isNode, NODE_ROLES, propertyOf, Role, ROLES } from '../core/roles';
import { ClusterTopology } from '../core/topology';

/** Which peers Segura talks to, how the document's rows are opened, and AWS's quotas. */
export interface SeguraClusterOptions extends PeerOptions, RuleOptions, AwsQuotaOptions {}

/** Properties of a SeguraCluster. */
export interface SeguraClusterProps extends SeguraClusterOptions {
  /** The VPC of the Segura nodes. */
  readonly vpc: ec2.IVpc;
}

/** A Segura cluster on AWS, as its gateways (`DomumGateway`, `SeguraArbitrator`) and your code see it. */
export interface ISeguraCluster extends IConstruct {
  /** The Primary's first security group: the one other groups' rules reference. */
  readonly primarySecurityGroup: ec2.ISecurityGroup;
  /** The members' first security group: the one other groups' rules reference. */
  readonly memberSecurityGroup: ec2.ISecurityGroup;
  /** Every security group the Primary's instances must wear (the first is `primarySecurityGroup`). */
  readonly primarySecurityGroups: ec2.ISecurityGroup[];
  /** Every security group the members' instances must wear (the first is `memberSecurityGroup`). */
  readonly memberSecurityGroups: ec2.ISecurityGroup[];
  /** The VPC of the nodes. */
  readonly vpc: ec2.IVpc;
  /** The flows this cluster opens, those of its attached gateways included. */
  readonly flows: Flow[];
}

const CLUSTER_ID = 'segura-constructs/aws.SeguraCluster';

/** The props only the AWS cluster takes; the peer properties and rule options come from core. */
const AWS_CLUSTER_KEYS = ['vpc', 'ruleQuota', 'maxSecurityGroups', 'layoutFile'];

/** The construct IDs of each node role's groups (a contract): `PrimarySecurityGroup`, `PrimarySecurityGroup2`, ... */
const GROUP_IDS: Readonly<Record<string, { id: string; description: string }>> = {
  [Role.PRD]: { id: 'PrimarySecurityGroup', description: 'Segura Primary application (PRD): rules of the Segura firewall matrix' },
  [Role.MBR]: { id: 'MemberSecurityGroup', description: 'Segura secondary cluster members (MBR): rules of the Segura firewall matrix' },
};

/**
 * Security groups for a Segura cluster: for the Primary (PRD) and for the secondary
 * members (MBR), holding exactly the rows of the Segura firewall matrix that the
 * configuration asks for. PRD and MBR reach each other through security-group
 * references; every rule of the Primary holds for the members too. When a role's
 * rules exceed the quota they spread over more groups of that role: give the
 * instances every group (`primarySecurityGroups`, `attachPrimaryGroups()`).
 */
export class SeguraCluster extends Construct implements ISeguraCluster {
  /**
   * True when `x` is a SeguraCluster of this backend, made by any copy of this package
   * (checked by a `Symbol.for` mark, as aws-cdk-lib does, rather than `instanceof`).
   */
  public static isSeguraCluster(x: any): x is SeguraCluster {
    return hasIdentity(x, CLUSTER_ID);
  }

  /**
   * The Primary's first security group: the one other groups' rules reference.
   * With many peers the Primary wears more: see `primarySecurityGroups`.
   */
  public readonly primarySecurityGroup: ec2.ISecurityGroup;

  /**
   * The members' first security group: the one other groups' rules reference.
   * With many peers the members wear more: see `memberSecurityGroups`.
   */
  public readonly memberSecurityGroup: ec2.ISecurityGroup;

  /** Every security group the Primary's instances must wear (the first is `primarySecurityGroup`). */
  public readonly primarySecurityGroups: ec2.ISecurityGroup[];

  /** Every security group the members' instances must wear (the first is `memberSecurityGroup`). */
  public readonly memberSecurityGroups: ec2.ISecurityGroup[];

  /** The VPC of the nodes. */
  public readonly vpc: ec2.IVpc;

  /** The flows this cluster opens, those of its attached gateways included. */
  public get flows(): Flow[] {
    return this.topology.flows;
  }

  private readonly topology: ClusterTopology<ec2.IPeer>;
  /** Each node role's groups, with the rules and layout they were made for (gateways write their share there too). */
  private readonly nodes = new Map<Role, HolderGroups>();

  constructor(scope: Construct, id: string, props: SeguraClusterProps) {
    super(scope, id);
    markIdentity(this, CLUSTER_ID);
    this.topology = new ClusterTopology<ec2.IPeer>({
      cluster: this,
      props,
      backendKeys: AWS_CLUSTER_KEYS,
      validatePeer: validateAwsPeer,
      isUnresolved,
      worldOpen: worldOpenAwsPeer,
      cidrOf: cidrOfAwsPeer,
    });
    // From here on, only the copy the topology took is read.
    props = this.topology.props as unknown as SeguraClusterProps;
    checkVpc(props.vpc, 'the ec2.IVpc of the Segura nodes');
    const { quota, maxGroups } = checkQuotas(props.ruleQuota, props.maxSecurityGroups, this);
    const layoutFile = checkLayoutFile(props.layoutFile);
    this.vpc = props.vpc;
    this.createNodeGroups(this.aggregatedPeers(), quota, maxGroups, layoutFile);

    this.primarySecurityGroups = [...this.nodes.get(Role.PRD)!.groups];
    this.memberSecurityGroups = [...this.nodes.get(Role.MBR)!.groups];
    this.primarySecurityGroup = this.primarySecurityGroups[0];
    this.memberSecurityGroup = this.memberSecurityGroups[0];

    // What the groups will hold, checked when the App synthesizes (your own rules and the gateways' included).
    const allowed = (role: Role) => this.topology.anyAddress.has(propertyOf(role));
    this.node.addValidation({
      validate: () => [
        ...[...this.nodes].flatMap(([role, { groups }]) => groups.flatMap(g => [...g.check(`${g.node.path} (${role})`, quota),
          ...g.checkRules(`${g.node.path} (${role})`, allowed)])),
        ...this.topology.validate(),
      ],
    });
  }

  /**
   * Give the Primary's instances every group they must wear: `target` is an
   * ec2.Instance, an ec2.LaunchTemplate created with a securityGroup, or an
   * autoscaling.AutoScalingGroup. Groups it already wears are skipped.
   */
  public attachPrimaryGroups(target: ec2.IConnectable): void {
    attachGroups(this.primarySecurityGroups, target);
  }

  /** Give a member's instances every group they must wear (see `attachPrimaryGroups`). */
  public attachMemberGroups(target: ec2.IConnectable): void {
    attachGroups(this.memberSecurityGroups, target);
  }

  /**
   * Attach `gateway` as the cluster's gateway of `role` (one of each) and give it
   * what it needs: its share of the plan, the render context and the nodes' groups,
   * rules and layouts (room for its rules is kept in each node's first group). @internal
   */
  public _attachGateway(role: Role, gateway: Construct): GatewayLink {
    this.topology.attach(role, gateway);
    if (!ROLES[role].gateway) throw new Error(`segura-constructs: ${role} is not a gateway role (please report this bug)`);
    return { flows: this.topology.gatewayFlows(role), context: this.topology.context, nodes: this.nodes };
  }

  /** Each configured role's CIDRs, canonical and aggregated (the same addresses, fewer rules). */
  private aggregatedPeers(): Map<Role, ec2.IPeer[]> {
    const peers = new Map<Role, ec2.IPeer[]>();
    for (const [role, list] of this.topology.peers) {
      const { peers: aggregated, summary } = aggregatePeers(list);
      if (summary) Annotations.of(this).addInfo(`${propertyOf(role)}: ${summary}; the same addresses, fewer rules`);
      peers.set(role, aggregated);
    }
    return peers;
  }

  /**
   * The nodes' groups, laid out for their rules with room kept in the first group for
   * each gateway that may attach, and the nodes' own rules written on them.
   */
  private createNodeGroups(peers: ReadonlyMap<Role, ec2.IPeer[]>, quota: number, maxGroups: number, layoutFile: string | undefined): void {
    const { context } = this.topology;
    const peersOf = (role: Role): RulePeer[] => (isNode(role) ? [role] : peers.get(role) ?? []);
    const own = holderRules(context, this.topology.ownFlows, NODE_ROLES, peersOf);
    const reserved = this.topology.awaitedGateways.map(g => holderRules(context, this.topology.gatewayFlows(g), NODE_ROLES, r => [r]));
    const nodes = NODE_ROLES.map((holder, i) => ({
      rules: {
        holder,
        units: [...own[i].units, ...reserved.flatMap(r => r[i].units)],
        rules: new Map([...own[i].rules, ...reserved.flatMap(r => [...r[i].rules])]),
      },
      where: `${this.node.path}/${GROUP_IDS[holder].id} (${holder})`,
      file: { key: `${this.node.path}/${GROUP_IDS[holder].id}`, baseId: GROUP_IDS[holder].id },
    }));
    const layouts = layoutWithFile(this, layoutFile, nodes, quota, maxGroups, peers);
    for (const [i, { rules }] of nodes.entries()) {
      const { id: groupId, description } = GROUP_IDS[rules.holder];
      this.nodes.set(rules.holder, { rules, layout: layouts[i], groups: createGroups(this, groupId, layouts[i].groups, this.vpc, description) });
    }
    const references = new Map([...this.nodes].map(([role, { groups }]) => [role, groups[0]]));
    for (const [i, holder] of NODE_ROLES.entries()) writeRules(context, { ...this.nodes.get(holder)!, rules: own[i] }, { references });
  }
}
