import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { DomumGateway, SeguraCluster, SeguraClusterOptions } from '../../lib/aws';
import { Role } from '../../lib/core';
import { awsCluster } from '../support/aws-cluster';
import { PeerMap, wearersOf } from '../support/aws-evaluator';
import { peersByRole } from '../support/config-reader';

export interface Built {
  app: App;
  stack: Stack;
  cluster: SeguraCluster;
  domum?: DomumGateway;
  /** Each role's groups, as the test asks the constructs for them. */
  groups: Map<string, readonly ec2.ISecurityGroup[]>;
  /** Names each group by the role wearing it. */
  wearers: (group: string) => string;
  peers: PeerMap;
}

/** Build a cluster (and optionally a Domum Gateway, in the same or another stack). */
export function build(options: Omit<SeguraClusterOptions, never> = {}, withDomum: false | 'same' | 'other' = false): Built {
  const { app, stack, vpc, cluster } = awsCluster(options, 'Cluster');
  let domum: DomumGateway | undefined;
  if (withDomum) {
    const where = withDomum === 'same' ? stack : new Stack(app, 'Domum');
    domum = new DomumGateway(where, 'Domum', { vpc, cluster });
  }
  const groups = new Map<string, readonly ec2.ISecurityGroup[]>([
    [Role.PRD, cluster.primarySecurityGroups], [Role.MBR, cluster.memberSecurityGroups],
  ]);
  if (domum) groups.set(Role.DOMUM, domum.securityGroups);
  return { app, stack, cluster, domum, groups, wearers: wearersOf(groups), peers: peerMap(options) };
}

function evaluatorPeer(peer: ec2.IPeer): string {
  const c = peer.toIngressRuleConfig() as any;
  if (c.cidrIp) return `cidr:${c.cidrIp}`;
  if (c.cidrIpv6) return `cidr6:${c.cidrIpv6}`;
  if (c.sourcePrefixListId) return `pl:${c.sourcePrefixListId}`;
  throw new Error('unexpected peer');
}

/** The role -> evaluator-peer map of a configuration (the test's own reading of its input; aws-cdk-lib renders each peer). */
export function peerMap(options: SeguraClusterOptions): PeerMap {
  return new Map([...peersByRole<ec2.IPeer>(options)].map(([role, peers]) => [role, peers.map(evaluatorPeer)]));
}

export const cidr = (c: string) => ec2.Peer.ipv4(c);

/** Every integration on, one peer each (two for devices). */
export const FULL: SeguraClusterOptions = {
  users: [cidr('10.10.0.0/16')],
  devices: [cidr('10.20.0.0/16'), cidr('10.22.0.0/16')],
  management: {
    ntp: [cidr('10.30.0.1/32')],
    dns: [cidr('10.30.0.2/32')],
    mail: [cidr('10.30.0.3/32')],
    ldap: [cidr('10.30.0.4/32')],
    radius: [cidr('10.30.0.5/32')],
    tacacs: [cidr('10.30.0.6/32')],
    syslog: [cidr('10.30.0.7/32')],
    backup: [cidr('10.30.0.8/32')],
  },
  packageMirrors: [cidr('203.0.113.10/32')],
};
