import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import type { GatewayLink } from './gateway-link';
import { PeerOptions } from './peer-options';
import { DEFAULT_RULE_QUOTA, isUnresolved, renderFlows, RuleLedger, validateAwsPeer } from './rules';
import { RuleOptions } from '../core/config';
import { SeguraValidationError } from '../core/errors';
import { Flow } from '../core/plan';
import { isNode, NODE_ROLES, Role } from '../core/roles';
import { ClusterTopology } from '../core/topology';

/** Which peers Segura talks to, how the document's rows are opened, and AWS's quota. */
export interface SeguraClusterOptions extends PeerOptions, RuleOptions {
  /**
   * The inbound (and outbound) rules a security group may hold in your account;
   * synth fails above it.
   *
   * @default 60 (AWS's default quota)
   */
  readonly ruleQuota?: number;
}

/** Properties of a SeguraCluster. */
export interface SeguraClusterProps extends SeguraClusterOptions {
  /** The VPC of the Segura nodes. */
  readonly vpc: ec2.IVpc;
}

/** The props only the AWS cluster takes; the peer properties and rule options come from core. */
const AWS_CLUSTER_KEYS = ['vpc', 'ruleQuota'];

/**
 * Security groups for a Segura cluster: one for the Primary (PRD) and one for the
 * secondary members (MBR), holding exactly the rows of the Segura firewall matrix
 * that the configuration asks for. PRD and MBR reach each other through
 * security-group references; every rule of the Primary holds for the members too.
 */
export class SeguraCluster extends Construct {
  /** The Primary's security group (PRD). */
  public readonly primarySecurityGroup: ec2.ISecurityGroup;

  /** The secondary members' security group (MBR). */
  public readonly memberSecurityGroup: ec2.ISecurityGroup;

  /** The VPC of the nodes. */
  public readonly vpc: ec2.IVpc;

  /** The flows this cluster opens, those of its attached gateways included. */
  public get flows(): Flow[] {
    return this.topology.flows;
  }

  private readonly topology: ClusterTopology<ec2.IPeer>;
  private readonly ledgers = new Map<Role, RuleLedger>();

  constructor(scope: Construct, id: string, props: SeguraClusterProps) {
    super(scope, id);
    this.topology = new ClusterTopology<ec2.IPeer>({
      cluster: this, props, backendKeys: AWS_CLUSTER_KEYS, validatePeer: validateAwsPeer, isUnresolved,
    });
    if (!props.vpc) throw new SeguraValidationError('vpc', 'is required (the ec2.IVpc of the Segura nodes)');
    const quota = props.ruleQuota ?? DEFAULT_RULE_QUOTA;
    if (!isUnresolved(quota) && !(Number.isInteger(quota) && quota >= 1 && quota <= 1000)) {
      throw new SeguraValidationError('ruleQuota', `${quota} is not a rule quota; expected an integer within 1-1000`);
    }
    this.vpc = props.vpc;

    const primary = new ec2.SecurityGroup(this, 'PrimarySecurityGroup', {
      vpc: props.vpc,
      allowAllOutbound: false,
      description: 'Segura Primary application (PRD): rules of the Segura firewall matrix',
    });
    const member = new ec2.SecurityGroup(this, 'MemberSecurityGroup', {
      vpc: props.vpc,
      allowAllOutbound: false,
      description: 'Segura secondary cluster members (MBR): rules of the Segura firewall matrix',
    });
    this.primarySecurityGroup = primary;
    this.memberSecurityGroup = member;
    const groups = this.nodeGroups();
    for (const role of NODE_ROLES) this.ledgers.set(role, new RuleLedger());

    renderFlows(this.topology.ownFlows, groups, role => isNode(role) ? [groups.get(role)!] : this.topology.peers.get(role) ?? [],
      role => this.ledgers.get(role)!, () => false);

    this.node.addValidation({
      validate: () => [
        ...NODE_ROLES.flatMap(role => this.ledgers.get(role)!.check(`${groups.get(role)!.node.path} (${role})`, quota)),
        ...this.topology.validate(),
      ],
    });
  }

  /**
   * Attach `gateway` as the cluster's gateway of `role` (one of each) and give it
   * what it needs: its share of the plan and the nodes' groups. @internal
   */
  public _attachGateway(role: Role, gateway: Construct): GatewayLink {
    this.topology.attach(role, gateway);
    return { flows: this.topology.gatewayFlows(role), groups: this.nodeGroups(), ledgerOf: r => this.ledgers.get(r)! };
  }

  private nodeGroups(): Map<Role, ec2.ISecurityGroup> {
    return new Map([[Role.PRD, this.primarySecurityGroup], [Role.MBR, this.memberSecurityGroup]]);
  }
}
