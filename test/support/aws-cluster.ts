/**
 * The AWS cluster the tests build: an App, a stack and a one-zone VPC of isolated
 * subnets (no NAT gateway, nothing else synthesized), and a SeguraCluster in it with the
 * props as a test writes them (bad ones too). One helper, so that a change to what every
 * test cluster needs is made here.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { SeguraCluster } from '../../lib/aws';

export interface AwsTestStack {
  readonly app: App;
  readonly stack: Stack;
  readonly vpc: ec2.Vpc;
}

/** A fresh App with the stack `id` and its one-zone VPC. */
export function awsStack(id = 'S'): AwsTestStack {
  const app = new App();
  const stack = new Stack(app, id);
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  return { app, stack, vpc };
}

/** A SeguraCluster `Segura` in a fresh test stack, with `props` beside the VPC (untyped: bad inputs are tests too). */
export function awsCluster(props: object = {}, id = 'S'): AwsTestStack & { readonly cluster: SeguraCluster } {
  const at = awsStack(id);
  return { ...at, cluster: new SeguraCluster(at.stack, 'Segura', { vpc: at.vpc, ...props }) };
}

/** A test address as AWS's peer type. */
export const awsPeer = (cidr: string): ec2.IPeer => (cidr.includes(':') ? ec2.Peer.ipv6(cidr) : ec2.Peer.ipv4(cidr));
