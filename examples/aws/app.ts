/**
 * A complete CDK app: a VPC; a Segura cluster of a Primary and two members with every
 * integration; in front of them an Application Load Balancer (HTTPS 443 and HTTP 80) and
 * a Network Load Balancer (the SSH and RDP proxies, 22 and 3389), both internal, across
 * two zones; a Domum Gateway and an Arbitrator, each in a stack of its own. Every node
 * wears all the groups of its role (`attach...Groups`) and sits in a private subnet of
 * its own Availability Zone (`zone`): one zone's failure never takes every instance, nor
 * the Primary with the Arbitrator. `cdk.json` runs main.ts.
 */
import * as cdk from 'aws-cdk-lib';
import { App, Environment, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import { Construct, IConstruct } from 'constructs';
// In your app: import { DomumGateway, SeguraArbitrator, SeguraCluster } from 'segura-constructs/aws';
import { DomumGateway, SeguraArbitrator, SeguraCluster } from '../../lib/aws';

/** The users' networks: they reach the balancers, and through them the nodes. */
export const USERS = ec2.Peer.ipv4('10.10.0.0/16');

export class SeguraNetworkStack extends Stack {
  public readonly vpc: ec2.Vpc;
  public readonly cluster: SeguraCluster;
  /** The load balancers in front of the nodes: the web application's (ALB) and the SSH and RDP proxies' (NLB). */
  public readonly balancers: ExampleBalancers;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.vpc = exampleVpc(this);
    // The balancers' groups first: the cluster takes them as its load balancers' peers.
    const groups = balancerGroups(this, this.vpc);

    this.cluster = new SeguraCluster(this, 'Segura', {
      vpc: this.vpc,
      // Only the balancers reach the nodes on the users' ports (rows LB-*: forwarded sessions and health checks).
      // The users reach the balancers; no users' row is needed (the rows USR-* would let them past the balancers).
      loadBalancers: [groups.application, groups.network],
      devices: [ec2.Peer.ipv4('10.20.0.0/16'), ec2.Peer.ipv4('192.168.50.0/24')],
      management: {
        ntp: [ec2.Peer.ipv4('10.30.0.10/32')],
        dns: [ec2.Peer.ipv4('10.0.0.2/32')],
        mail: [ec2.Peer.ipv4('10.30.0.25/32')],
        ldap: [ec2.Peer.ipv4('10.30.0.30/32'), ec2.Peer.ipv4('10.30.0.31/32')],
        radius: [ec2.Peer.ipv4('10.30.0.40/32')],
        tacacs: [ec2.Peer.ipv4('10.30.0.41/32')],
        syslog: [ec2.Peer.ipv4('10.30.0.50/32')],
        backup: [ec2.Peer.ipv4('10.30.0.60/32')],
      },
      packageMirrors: [ec2.Peer.ipv4('203.0.113.10/32'), ec2.Peer.ipv4('203.0.113.11/32')],
      // The document's SMTP port is 420; this mail relay listens on 587.
      portOverrides: { 'MGT-SMTP': 587 },
      // No Telnet toward devices.
      disabledRules: ['DVC-TELNET'],
    });

    // The Primary and two members, each wearing every group of its role, in turn over the zones.
    const nodes = [
      node(this, 'Primary', this.vpc, this.cluster.primarySecurityGroup, zone(this.vpc, 0)),
      node(this, 'Member1', this.vpc, this.cluster.memberSecurityGroup, zone(this.vpc, 1)),
      node(this, 'Member2', this.vpc, this.cluster.memberSecurityGroup, zone(this.vpc, 2)),
    ];
    this.cluster.attachPrimaryGroups(nodes[0]);
    nodes.slice(1).forEach(member => this.cluster.attachMemberGroups(member));
    this.balancers = exampleBalancers(this, this.vpc, groups, [this.cluster.primarySecurityGroup, this.cluster.memberSecurityGroup], nodes);
  }
}

/** The example's load balancers and their security groups. */
export interface ExampleBalancers {
  /** The web application's: HTTPS 443 (the application's certificate) and HTTP 80. */
  readonly application: elbv2.ApplicationLoadBalancer;
  /** The SSH and RDP proxies': TCP 22 and 3389, the clients' addresses preserved. */
  readonly network: elbv2.NetworkLoadBalancer;
  /** Their security groups: the cluster's `loadBalancers` peers. */
  readonly groups: { readonly application: ec2.SecurityGroup; readonly network: ec2.SecurityGroup };
}

/** A group for each balancer, no egress but the rules added below. */
export function balancerGroups(scope: Construct, vpc: ec2.IVpc) {
  const group = (id: string, description: string) => new ec2.SecurityGroup(scope, id, { vpc, description, allowAllOutbound: false });
  return {
    application: group('WebBalancerSecurityGroup', 'Segura web application load balancer'),
    network: group('ProxyBalancerSecurityGroup', 'Segura SSH and RDP proxy load balancer'),
  };
}

/** The certificate of the application's HTTPS, by ARN: the context value `segura:certificateArn`, or a placeholder to replace. */
export const CERTIFICATE_CONTEXT = 'segura:certificateArn';

/**
 * The balancers, internal, in the private subnets of two zones, in front of every node
 * (any member may become the Primary), registered by instance ID (so that aws-cdk-lib adds
 * no rule of its own to the cluster's groups). Health checks as the vendor documents them:
 * `GET /flow/orbit/mntr` over HTTPS 443 (200 when the node serves users) for the web
 * application, each proxy's TCP port for SSH and RDP. The balancers' own rules: the users
 * in, and out only to the nodes' groups (`nodeGroups`: each node's first group), on their
 * listeners' ports.
 */
export function exampleBalancers(scope: Stack, vpc: ec2.IVpc, groups: ExampleBalancers['groups'], nodeGroups: ec2.ISecurityGroup[],
  nodes: ec2.Instance[]): ExampleBalancers {
  const vpcSubnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, onePerAz: true };
  const instanceTargets = () => nodes.map(n => new targets.InstanceIdTarget(n.instanceId));
  const certificateArn: string = scope.node.tryGetContext(CERTIFICATE_CONTEXT)
    ?? scope.formatArn({ service: 'acm', resource: 'certificate', resourceName: '00000000-0000-0000-0000-000000000000' });

  const application = new elbv2.ApplicationLoadBalancer(scope, 'WebBalancer', { vpc, vpcSubnets, internetFacing: false, securityGroup: groups.application });
  const webHealth: elbv2.HealthCheck = { protocol: elbv2.Protocol.HTTPS, port: '443', path: '/flow/orbit/mntr', healthyHttpCodes: '200' };
  const webTargets = (id: string, port: number, protocol: elbv2.ApplicationProtocol) => new elbv2.ApplicationTargetGroup(scope, id, {
    vpc,
    port,
    protocol,
    targetType: elbv2.TargetType.INSTANCE,
    targets: instanceTargets(),
    healthCheck: webHealth,
    // The application is stateful: sessions stay on their node.
    stickinessCookieDuration: cdk.Duration.hours(8),
  });
  application.addListener('Https', {
    port: 443,
    protocol: elbv2.ApplicationProtocol.HTTPS,
    open: false,
    certificates: [elbv2.ListenerCertificate.fromArn(certificateArn)],
    defaultTargetGroups: [webTargets('WebHttpsTargets', 443, elbv2.ApplicationProtocol.HTTPS)],
  });
  application.addListener('Http', {
    port: 80,
    protocol: elbv2.ApplicationProtocol.HTTP,
    open: false,
    defaultTargetGroups: [webTargets('WebHttpTargets', 80, elbv2.ApplicationProtocol.HTTP)],
  });

  const network = new elbv2.NetworkLoadBalancer(scope, 'ProxyBalancer', { vpc, vpcSubnets, internetFacing: false, crossZoneEnabled: true });
  // The balancer's security group (aws-cdk-lib 2.51, the floor, has no prop for it): the nodes reference it, which AWS
  // documents lets the balancer's traffic in even with client IP preservation (on for instance targets).
  (network.node.defaultChild as elbv2.CfnLoadBalancer).securityGroups = [groups.network.securityGroupId];
  for (const port of [22, 3389]) {
    network.addListener(`Tcp${port}`, {
      port,
      protocol: elbv2.Protocol.TCP,
      defaultTargetGroups: [new elbv2.NetworkTargetGroup(scope, `ProxyTargets${port}`, {
        vpc,
        port,
        protocol: elbv2.Protocol.TCP,
        targetType: elbv2.TargetType.INSTANCE,
        targets: instanceTargets(),
        healthCheck: { protocol: elbv2.Protocol.TCP, port: String(port) },
      })],
    });
  }

  // The balancers' own rules: from the users on their listeners' ports, and to the nodes on the same ports.
  const rules: Array<[ec2.SecurityGroup, number[]]> = [[groups.application, [443, 80]], [groups.network, [22, 3389]]];
  for (const [group, ports] of rules) {
    for (const port of ports) {
      group.addIngressRule(USERS, ec2.Port.tcp(port), `Segura users to the balancer, ${port}/tcp`);
      for (const nodeGroup of nodeGroups) {
        group.addEgressRule(nodeGroup, ec2.Port.tcp(port), `to the Segura nodes, ${port}/tcp`);
      }
    }
  }
  // Access logs need a bucket and a delivery policy per region: outside what this example shows (the firewall).
  for (const balancer of [application, network]) {
    acknowledge(balancer, 'AwsSolutions::AwsSolutions-ELB2', 'Access logs are the deployment\'s choice (a bucket of its own); this example shows the firewall');
  }
  return { application, network, groups };
}

/**
 * Acknowledge a validation finding on a construct, through aws-cdk-lib's `Validations`
 * (what cdk-nag 3 reads); older aws-cdk-lib versions have neither it nor cdk-nag 3.
 */
function acknowledge(scope: IConstruct, id: string, reason: string): void {
  const api = (cdk as { Validations?: { of(c: IConstruct): { acknowledge(...rules: Array<{ id: string; reason: string }>): void } } }).Validations;
  api?.of(scope).acknowledge({ id, reason });
}

export interface GatewayStackProps extends StackProps {
  readonly network: SeguraNetworkStack;
}

/** The Domum Gateway, in a stack of its own (no dependency cycle). */
export class DomumStack extends Stack {
  public readonly domum: DomumGateway;

  constructor(scope: Construct, id: string, props: GatewayStackProps) {
    super(scope, id, props);
    this.domum = new DomumGateway(this, 'Domum', { vpc: props.network.vpc, cluster: props.network.cluster });
    this.domum.attachGroups(node(this, 'DomumGateway', props.network.vpc, this.domum.securityGroup, zone(props.network.vpc, 1)));
  }
}

/** The Arbitrator, in a stack of its own, in the last zone: never the Primary's. */
export class ArbitratorStack extends Stack {
  public readonly arbitrator: SeguraArbitrator;

  constructor(scope: Construct, id: string, props: GatewayStackProps) {
    super(scope, id, props);
    this.arbitrator = new SeguraArbitrator(this, 'Arbitrator', { vpc: props.network.vpc, cluster: props.network.cluster });
    this.arbitrator.attachGroups(node(this, 'ArbitratorHost', props.network.vpc, this.arbitrator.securityGroup, zone(props.network.vpc, -1)));
  }
}

/**
 * The example's VPC: up to three Availability Zones, a public and a private subnet in
 * each, flow logs. A stack without an account and region (as here: it synthesizes
 * offline) sees two zones; with `env` and the region's zones, three.
 */
export function exampleVpc(scope: Construct): ec2.Vpc {
  return new ec2.Vpc(scope, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
    maxAzs: 3,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      { name: 'segura', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 },
    ],
    flowLogs: { all: { trafficType: ec2.FlowLogTrafficType.ALL } },
  });
}

/**
 * The private subnet of the `i`-th Availability Zone, in turn (`i` past the last zone
 * wraps around; -1 is the last zone). One private subnet per zone: choosing the subnet
 * chooses the zone.
 */
export function zone(vpc: ec2.IVpc, i: number): ec2.SubnetSelection {
  const subnets = vpc.privateSubnets;
  return { subnets: [subnets[((i % subnets.length) + subnets.length) % subnets.length]] };
}

/**
 * A host of the deployment in a private subnet (`where`: one zone), from the AMI whose
 * ID you publish in the SSM parameter /segura/ami-id: encrypted disk, IMDSv2, detailed
 * monitoring, termination protection. It starts with the first group of its role (so
 * that no default, open group is made for it); the rest are attached after.
 */
export function node(scope: Construct, id: string, vpc: ec2.IVpc, securityGroup: ec2.ISecurityGroup, where: ec2.SubnetSelection): ec2.Instance {
  const instance = new ec2.Instance(scope, id, {
    vpc,
    securityGroup,
    vpcSubnets: where,
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.M6I, ec2.InstanceSize.XLARGE),
    machineImage: ec2.MachineImage.fromSsmParameter('/segura/ami-id'),
    requireImdsv2: true,
    detailedMonitoring: true,
    blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(100, { encrypted: true }) }],
  });
  // Termination protection on the CloudFormation resource: the InstanceProps setting
  // exists only in recent aws-cdk-lib versions, and the example runs on the peer floor too.
  (instance.node.defaultChild as ec2.CfnInstance).disableApiTermination = true;
  return instance;
}

/**
 * Build the example app (used by main.ts and by the tests). Without `env` the stacks
 * are environment-agnostic: they synthesize offline, with no account or credentials.
 */
export function buildAwsExample(app: App = new App(), env?: Environment): {
  app: App; network: SeguraNetworkStack; domum: DomumStack; arbitrator: ArbitratorStack;
} {
  // Keep the producer-protecting ("strong") cross-stack references explicitly.
  app.node.setContext('@aws-cdk/core:defaultCrossStackReferences', 'strong');
  const network = new SeguraNetworkStack(app, 'SeguraNetwork', { env });
  const domum = new DomumStack(app, 'SeguraDomum', { network, env });
  const arbitrator = new ArbitratorStack(app, 'SeguraArbitrator', { network, env });
  return { app, network, domum, arbitrator };
}
