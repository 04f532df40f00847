/**
 * A gateway on AWS (the Domum Gateway, ...): a host with a security group of its own,
 * attached to one cluster and wired to its nodes through group references for its
 * share of the plan. Every rule it adds, on either side, lives in the gateway's
 * stack, so that stack depends on the cluster's and never the other way round.
 */
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { SeguraCluster } from './cluster';
import { DEFAULT_RULE_QUOTA, renderFlows, RuleLedger } from './rules';
import { rejectUnknownKeys } from '../core/config';
import { SeguraValidationError } from '../core/errors';
import { Role, ROLES } from '../core/roles';

/** Properties of every gateway. */
export interface SeguraGatewayProps {
  /** The VPC of the gateway. */
  readonly vpc: ec2.IVpc;

  /** The Segura cluster the gateway talks to. A cluster takes one gateway of each kind. */
  readonly cluster: SeguraCluster;

  /**
   * The inbound (and outbound) rules the gateway's security group may hold.
   *
   * @default 60 (AWS's default quota)
   */
  readonly ruleQuota?: number;
}

/**
 * A host attached to a SeguraCluster with a security group of its own: the base of
 * `DomumGateway`. Its share of the plan is wired in both directions, for the Primary
 * and the members, through security-group references.
 */
export abstract class SeguraGateway extends Construct {
  /** The gateway's security group. */
  public readonly securityGroup: ec2.ISecurityGroup;

  /**
   * @param role the gateway's role in the matrix
   */
  protected constructor(scope: Construct, id: string, role: Role, props: SeguraGatewayProps) {
    super(scope, id);
    const { name } = ROLES[role].gateway!;
    rejectUnknownKeys('', props, ['vpc', 'cluster', 'ruleQuota']);
    if (!props.vpc) throw new SeguraValidationError('vpc', `is required (the ec2.IVpc of the ${name})`);
    if (!(props.cluster instanceof SeguraCluster)) {
      throw new SeguraValidationError('cluster', 'is required: the SeguraCluster (from segura-constructs/aws) the gateway talks to');
    }
    const link = props.cluster._attachGateway(role, this);
    const group = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      allowAllOutbound: false,
      description: `Segura ${name} (${role}): rules of the Segura firewall matrix`,
    });
    this.securityGroup = group;
    const ledger = new RuleLedger();
    const groups = new Map<Role, ec2.ISecurityGroup>([...link.groups, [role, group]]);
    const otherStack = Stack.of(this) !== Stack.of(props.cluster);
    renderFlows(link.flows, groups,
      r => [groups.get(r)!],
      r => r === role ? ledger : link.ledgerOf(r),
      holder => otherStack && holder !== role);
    const quota = props.ruleQuota ?? DEFAULT_RULE_QUOTA;
    this.node.addValidation({ validate: () => ledger.check(`${group.node.path} (${role})`, quota) });
  }
}
