/**
 * A complete CDK app: a VPC; a Segura cluster of a Primary and two members with every
 * integration; a Domum Gateway and an Arbitrator, each in a stack of its own. Every
 * node wears all the groups of its role (`attach...Groups`) and sits in a private
 * subnet of its own Availability Zone (`zone`): one zone's failure never takes every
 * instance, nor the Primary with the Arbitrator. `cdk.json` runs main.ts.
 */
import { App, Environment, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
// In your app: import { DomumGateway, SeguraArbitrator, SeguraCluster } from 'segura-constructs/aws';
import { DomumGateway, SeguraArbitrator, SeguraCluster } from '../../lib/aws';

export class SeguraNetworkStack extends Stack {
  public readonly vpc: ec2.Vpc;
  public readonly cluster: SeguraCluster;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.vpc = exampleVpc(this);

    this.cluster = new SeguraCluster(this, 'Segura', {
      vpc: this.vpc,
      users: [ec2.Peer.ipv4('10.10.0.0/16')],
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
    this.cluster.attachPrimaryGroups(node(this, 'Primary', this.vpc, this.cluster.primarySecurityGroup, zone(this.vpc, 0)));
    this.cluster.attachMemberGroups(node(this, 'Member1', this.vpc, this.cluster.memberSecurityGroup, zone(this.vpc, 1)));
    this.cluster.attachMemberGroups(node(this, 'Member2', this.vpc, this.cluster.memberSecurityGroup, zone(this.vpc, 2)));
  }
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
