/**
 * A gateway on AWS (the Domum Gateway, ...): a host with security groups of its own,
 * attached to one cluster and wired to its nodes through group references for its
 * share of the plan. Every rule it adds, on either side, lives in the gateway's
 * stack, so that stack depends on the cluster's and never the other way round.
 */
import { Annotations, Aspects, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { attachGroups } from './attach';
import { ISeguraCluster, SeguraCluster } from './cluster';
import { checkLayoutFile } from './layout-file';
import { AwsQuotaOptions } from './options';
import { checkQuotas, checkVpc, createGroups, holderRules, layoutWithFile, writeRules } from './rules';
import { dependencyChain } from './stacks';
import { rejectUnknownKeys } from '../core/config';
import { SeguraValidationError } from '../core/errors';
import { registerGatewayGroup } from '../core/identity';
import { copyProps, notPlainProps } from '../core/props';
import { Role, ROLES } from '../core/roles';

/** Properties of every gateway. */
export interface SeguraGatewayProps extends AwsQuotaOptions {
  /** The VPC of the gateway. */
  readonly vpc: ec2.IVpc;

  /** The Segura cluster the gateway talks to. A cluster takes one gateway of each kind. */
  readonly cluster: ISeguraCluster;
}

/**
 * A host attached to a SeguraCluster with a security group of its own: the base of
 * `DomumGateway`. Its share of the plan is wired in both directions, for the Primary
 * and the members, through security-group references.
 */
export abstract class SeguraGateway extends Construct {
  /** The gateway's first security group: the one other groups' rules reference. */
  public readonly securityGroup: ec2.ISecurityGroup;

  /** Every security group the gateway's instances must wear (the first is `securityGroup`). */
  public readonly securityGroups: ec2.ISecurityGroup[];

  /**
   * @param role the gateway's role in the matrix
   */
  protected constructor(scope: Construct, id: string, role: Role, props: SeguraGatewayProps) {
    super(scope, id);
    const { name } = ROLES[role].gateway!;
    // One read of the props: everything below reads the copy.
    props = copyProps(props, { name: 'props', notPlain: notPlainProps('the gateway\'s options'), records: {}, lists: [] }) as unknown as SeguraGatewayProps;
    rejectUnknownKeys('', props, ['vpc', 'cluster', 'ruleQuota', 'maxSecurityGroups', 'layoutFile']);
    checkVpc(props.vpc, `the ec2.IVpc of the ${name}`);
    if (!SeguraCluster.isSeguraCluster(props.cluster)) {
      throw new SeguraValidationError('cluster', 'is required: the SeguraCluster (from segura-constructs/aws) the gateway talks to');
    }
    const { quota, maxGroups } = checkQuotas(props.ruleQuota, props.maxSecurityGroups, this);
    const layoutFile = checkLayoutFile(props.layoutFile);
    checkReach(this, props.cluster, name, props.vpc);
    const link = props.cluster._attachGateway(role, this);

    // The gateway's side: toward each node's first group.
    const rules = holderRules(link.context, link.flows, [role], r => [r])[0];
    const holder = { rules, where: `${this.node.path}/SecurityGroup (${role})`, file: { key: `${this.node.path}/SecurityGroup`, baseId: 'SecurityGroup' } };
    const [layout] = layoutWithFile(this, layoutFile, [holder], quota, maxGroups, new Map());
    const groups = createGroups(this, 'SecurityGroup', layout.groups, props.vpc, `Segura ${name} (${role}): rules of the Segura firewall matrix`);
    const references = new Map<Role, ec2.IPeer>([...link.nodes].map(([r, node]) => [r, node.groups[0]]));
    references.set(role, groups[0]);
    writeRules(link.context, { rules, layout, groups }, { references });
    // The nodes' side, in the room their layout kept for this gateway; from another
    // stack, those rules live in this one.
    const remote = Stack.of(this) !== Stack.of(props.cluster);
    if (remote) checkStackOrder(this, props.cluster, role);
    for (const node of link.nodes.values()) writeRules(link.context, node, { references, remote, unit: `role:${role}` });

    for (const g of groups) registerGatewayGroup(g, { name, gateway: this.node.path, cluster: props.cluster.node.path });
    this.securityGroups = groups;
    this.securityGroup = groups[0];
    // What the groups will hold, checked when the App synthesizes (your own rules included).
    this.node.addValidation({
      validate: () => groups.flatMap(g => [...g.check(`${g.node.path} (${role})`, quota), ...g.checkRules(`${g.node.path} (${role})`, () => true)]),
    });
  }

  /**
   * Give the gateway's instances every group they must wear: `target` is an
   * ec2.Instance, an ec2.LaunchTemplate created with a securityGroup, or an
   * autoscaling.AutoScalingGroup.
   */
  public attachGroups(target: ec2.IConnectable): void {
    attachGroups(this.securityGroups, target);
  }
}

/**
 * A gateway's stack comes after its cluster's: its rules reference the cluster's groups.
 * Checked when the App synthesizes (every dependency known, before aws-cdk-lib wires the
 * references and would report a cycle by its raw references).
 */
function checkStackOrder(gateway: Construct, cluster: SeguraCluster, role: Role): void {
  const [here, there] = [Stack.of(gateway), Stack.of(cluster)];
  const { name, slug } = ROLES[role].gateway!;
  // Read-only, so last among the aspects (priority 1000, AspectPriority.READONLY; older aws-cdk-lib: in order).
  Aspects.of(gateway).add({
    visit: node => {
      if (node !== gateway) return;
      const chain = dependencyChain(there, here);
      if (chain === undefined) return;
      throw new SeguraValidationError('cluster', `the ${name}'s stack ${here.stackName} is one the SeguraCluster's stack ${there.stackName} depends on (${chain}); `
        + `the ${name}'s rules reference the cluster's security groups, so ${here.stackName} would depend on ${there.stackName} too: a cycle. `
        + `Put the ${name} in a stack of its own (e.g. new Stack(app, 'Segura${slug[0].toUpperCase()}${slug.slice(1)}')), which then depends on both`);
    },
  }, { priority: 1000 });
}

/**
 * A gateway and its cluster reference each other's security groups: they must be in
 * one App, one account and one region. Another VPC works only when it is peered with
 * the cluster's (in the same region): said as a note at synth.
 */
function checkReach(gateway: Construct, cluster: SeguraCluster, name: string, vpc: ec2.IVpc): void {
  const [here, there] = [Stack.of(gateway), Stack.of(cluster)];
  if (here.node.root !== there.node.root) {
    throw new SeguraValidationError('cluster', `the SeguraCluster ${cluster.node.path} belongs to another App; the ${name} and its cluster must be in one App`);
  }
  for (const [what, mine, theirs] of [['region', here.region, there.region], ['account', here.account, there.account]] as const) {
    if (!Token.isUnresolved(mine) && !Token.isUnresolved(theirs) && mine !== theirs) {
      throw new SeguraValidationError('cluster', `the ${name}'s stack ${here.stackName} is in ${what} ${mine}, the SeguraCluster's stack ${there.stackName} in ${theirs}; `
        + `security-group references ${what === 'region' ? 'do not cross regions' : 'across accounts need VPC peering and the owner\'s account ID'}: `
        + `put the ${name} in the cluster's ${what}`);
    }
  }
  if (vpc.vpcId !== cluster.vpc.vpcId) {
    Annotations.of(gateway).addInfo(`The ${name}'s VPC is not the cluster's: security-group references between them work only when the two VPCs `
      + 'are peered, in the same region.');
  }
}
