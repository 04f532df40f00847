import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { SeguraCluster } from './cluster';
import { DEFAULT_RULE_QUOTA, renderFlows, RuleLedger } from './rules';
import { rejectUnknownKeys } from '../core/config';
import { SeguraValidationError } from '../core/errors';
import { Role } from '../core/matrix';

/** Properties of a DomumGateway. */
export interface DomumGatewayProps {
  /** The VPC of the Domum Gateway. */
  readonly vpc: ec2.IVpc;

  /** The Segura cluster the gateway talks to. A cluster takes one Domum Gateway. */
  readonly cluster: SeguraCluster;

  /**
   * The inbound (and outbound) rules the gateway's security group may hold.
   *
   * @default 60 (AWS's default quota)
   */
  readonly ruleQuota?: number;
}

/**
 * The Domum Gateway's security group, wired to the cluster's: the document's Domum
 * table in both directions, for the Primary and (cluster note) the members, through
 * security-group references. It may live in another stack than the cluster: every
 * rule it adds, on either side, lives in the gateway's stack, so the gateway's stack
 * depends on the cluster's and never the other way round.
 */
export class DomumGateway extends Construct {
  /** The gateway's security group (DOMUM). */
  public readonly securityGroup: ec2.ISecurityGroup;

  constructor(scope: Construct, id: string, props: DomumGatewayProps) {
    super(scope, id);
    rejectUnknownKeys('', props, ['vpc', 'cluster', 'ruleQuota']);
    if (!props.vpc) throw new SeguraValidationError('vpc', 'is required (the ec2.IVpc of the Domum Gateway)');
    if (!(props.cluster instanceof SeguraCluster)) {
      throw new SeguraValidationError('cluster', 'is required: the SeguraCluster (from segura-constructs/aws) the gateway talks to');
    }
    const cluster = props.cluster;
    cluster._attachDomum(this);

    const group = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      allowAllOutbound: false,
      description: 'Segura Domum Gateway (DOMUM): rules of the Segura firewall matrix',
    });
    this.securityGroup = group;
    const ledger = new RuleLedger();
    const groups = new Map<Role, ec2.ISecurityGroup>([...cluster._groups(), [Role.DOMUM, group]]);
    const otherStack = Stack.of(this) !== Stack.of(cluster);
    renderFlows(cluster._domumFlows(), groups,
      role => [groups.get(role)!],
      role => role === Role.DOMUM ? ledger : cluster._ledgerOf(role),
      holder => otherStack && holder !== Role.DOMUM);

    const quota = props.ruleQuota ?? DEFAULT_RULE_QUOTA;
    this.node.addValidation({ validate: () => ledger.check(`${group.node.path} (DOMUM)`, quota) });
  }
}
