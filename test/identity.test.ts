/**
 * Type identities by `Symbol.for` marks (as aws-cdk-lib's `Stack.isStack`): a cluster,
 * a peer and a gateway's group made by one copy of the package are recognised by
 * another copy (two versions in one app), where `instanceof` would fail.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { TerraformStack, Testing } from 'cdktf';
import * as aws from '../lib/aws';
import * as azure from '../lib/azure';

/** A second copy of a backend's modules (the same aws-cdk-lib, cdktf and constructs). */
function secondCopy<T>(entry: string): T {
  let copy: T | undefined;
  jest.isolateModules(() => {
    for (const shared of ['aws-cdk-lib', 'aws-cdk-lib/aws-ec2', 'cdktf', 'constructs']) {
      const module = jest.requireActual(shared);
      jest.doMock(shared, () => module);
    }
    copy = require(entry); // eslint-disable-line @typescript-eslint/no-require-imports
  });
  return copy!;
}

function awsStack() {
  const stack = new Stack(new App(), 'S');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  return { stack, vpc };
}

const azurePlacement = { resourceGroupName: 'rg', location: 'brazilsouth' };

describe('AWS', () => {
  test('isSeguraCluster: a cluster, not another construct nor a plain value', () => {
    const { stack, vpc } = awsStack();
    const cluster = new aws.SeguraCluster(stack, 'Segura', { vpc });
    expect(aws.SeguraCluster.isSeguraCluster(cluster)).toBe(true);
    expect(aws.SeguraCluster.isSeguraCluster(vpc)).toBe(false);
    expect(aws.SeguraCluster.isSeguraCluster({ vpc })).toBe(false);
    expect(aws.SeguraCluster.isSeguraCluster(undefined)).toBe(false);
    expect(azure.SeguraCluster.isSeguraCluster(cluster)).toBe(false);
  });

  test('a gateway of a second copy of the package attaches to a cluster of the first', () => {
    const other = secondCopy<typeof aws>('../lib/aws');
    expect(other.SeguraCluster).not.toBe(aws.SeguraCluster);
    const { stack, vpc } = awsStack();
    const cluster = new aws.SeguraCluster(stack, 'Segura', { vpc });
    expect(cluster instanceof other.SeguraCluster).toBe(false);
    expect(other.SeguraCluster.isSeguraCluster(cluster)).toBe(true);
    const domum = new other.DomumGateway(stack, 'Domum', { vpc, cluster });
    expect(cluster.flows.filter(f => f.source === aws.Role.DOMUM || f.destination === aws.Role.DOMUM).length).toBeGreaterThan(0);
    // The gateway's group, registered by the second copy, is refused as a peer by the first.
    expect(() => new aws.SeguraCluster(stack, 'Other', { vpc, arbitrator: [domum.securityGroup] }))
      .toThrow('arbitrator[0]: is the security group of the Domum Gateway S/Domum, which serves the SeguraCluster S/Segura');
  });

  test('a gateway refuses a cluster that is none', () => {
    const { stack, vpc } = awsStack();
    expect(() => new aws.DomumGateway(stack, 'Domum', { vpc, cluster: { node: stack.node } as any }))
      .toThrow('cluster: is required: the SeguraCluster (from segura-constructs/aws) the gateway talks to');
  });
});

describe('Azure', () => {
  const azureStack = () => new TerraformStack(Testing.app(), 'S');

  test('isSeguraCluster and Peer.isPeer', () => {
    const cluster = new azure.SeguraCluster(azureStack(), 'Segura', azurePlacement);
    expect(azure.SeguraCluster.isSeguraCluster(cluster)).toBe(true);
    expect(aws.SeguraCluster.isSeguraCluster(cluster)).toBe(false);
    expect(azure.SeguraCluster.isSeguraCluster({ location: 'brazilsouth' })).toBe(false);
    expect(azure.Peer.isPeer(azure.Peer.ipv4('10.0.0.0/8'))).toBe(true);
    expect(azure.Peer.isPeer({ kind: azure.PeerKind.ADDRESS_PREFIX, value: '10.0.0.0/8' })).toBe(false);
    expect(azure.Peer.isPeer(null)).toBe(false);
  });

  test('a second copy of the package: its peers, its gateways and their ASGs are recognised', () => {
    const other = secondCopy<typeof azure>('../lib/azure');
    expect(other.Peer).not.toBe(azure.Peer);
    const stack = azureStack();
    const cluster = new azure.SeguraCluster(stack, 'Segura', { ...azurePlacement, users: [other.Peer.ipv4('10.10.0.0/16')] });
    expect(cluster.flows.some(f => f.source === azure.Role.USERW)).toBe(true);
    const domum = new other.DomumGateway(stack, 'Domum', { ...azurePlacement, cluster });
    expect(cluster.flows.some(f => f.source === azure.Role.DOMUM || f.destination === azure.Role.DOMUM)).toBe(true);
    expect(() => new azure.SeguraCluster(stack, 'Other', { ...azurePlacement, arbitrator: [azure.Peer.applicationSecurityGroup(domum.applicationSecurityGroup)] }))
      .toThrow('arbitrator[0]: is the ASG of the Domum Gateway S/Domum, which serves the SeguraCluster S/Segura');
  });
});
