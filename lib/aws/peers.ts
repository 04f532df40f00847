/**
 * AWS peers: checking what users pass, what a peer counts against the quota, and
 * the lossless aggregation of a role's CIDR peers. Knows EC2; knows no document rows.
 */
import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import type { RuleFamily } from './layout';
import { aggregateCidrs, parseCidr } from '../core/cidr';
import { describeValue, SeguraValidationError } from '../core/errors';
import { worldOpenCidr } from '../core/world-open';

export const isUnresolved = (v: unknown): boolean => Token.isUnresolved(v);

interface RuleConfig { cidrIp?: string; cidrIpv6?: string; sourcePrefixListId?: string; sourceSecurityGroupId?: string }

const configOf = (peer: ec2.IPeer) => peer.toIngressRuleConfig() as RuleConfig;

/** Check a user-supplied peer: an `ec2.IPeer` with a well-formed CIDR (tokens skipped). */
export function validateAwsPeer(property: string, peer: ec2.IPeer): void {
  if (!peer || typeof peer !== 'object' || typeof (peer as ec2.IPeer).toIngressRuleConfig !== 'function') {
    throw new SeguraValidationError(property, `expected an ec2.IPeer (e.g. ec2.Peer.ipv4('10.0.0.0/16')), got ${describeValue(peer)}`);
  }
  const owner = (peer as { gatewayOf?: { name: string; gateway: string; cluster: string } }).gatewayOf;
  if (owner) {
    throw new SeguraValidationError(property, `is the security group of the ${owner.name} ${owner.gateway}, which serves the SeguraCluster ${owner.cluster}; `
      + `${owner.name}s serve one cluster each: give this cluster its own`);
  }
  const config = configOf(peer);
  for (const cidr of [config.cidrIp, config.cidrIpv6]) {
    if (cidr !== undefined && !isUnresolved(cidr)) parseCidr(property, cidr);
  }
}

/** What an IPv4 or IPv6 peer covering every address is, for messages; undefined otherwise (or for anything but a peer). */
export function worldOpenAwsPeer(peer: ec2.IPeer): string | undefined {
  if (!peer || typeof peer !== 'object' || typeof (peer as ec2.IPeer).toIngressRuleConfig !== 'function') return undefined;
  const config = configOf(peer);
  const cidr = config.cidrIp ?? config.cidrIpv6;
  return typeof cidr === 'string' && !isUnresolved(cidr) ? worldOpenCidr(cidr) : undefined;
}

/** The families a peer's rules count in: a CIDR in its own, a group or prefix-list reference in both. */
export function familyOf(peer: ec2.IPeer): RuleFamily {
  const config = configOf(peer);
  if (config.cidrIp !== undefined) return 'ipv4';
  if (config.cidrIpv6 !== undefined) return 'ipv6';
  return 'both';
}

/** What one rule toward a peer counts against the quota: a prefix list counts its max entries. */
export function weightOf(peer: ec2.IPeer): { weight: number; known: boolean } {
  if (configOf(peer).sourcePrefixListId === undefined) return { weight: 1, known: true };
  const child = (peer as unknown as IConstruct).node?.defaultChild;
  if (child instanceof ec2.CfnPrefixList && typeof child.maxEntries === 'number' && !isUnresolved(child.maxEntries)) {
    return { weight: child.maxEntries, known: true };
  }
  return { weight: 1, known: false };
}

/**
 * A role's peers with their CIDRs canonical and aggregated (lossless: the same
 * addresses, never wider); other peers (groups, prefix lists, tokens) as given.
 */
export function aggregatePeers(peers: readonly ec2.IPeer[]): { peers: ec2.IPeer[]; summary?: string } {
  const cidrs: string[] = [];
  const others: ec2.IPeer[] = [];
  for (const peer of peers) {
    const config = configOf(peer);
    const cidr = config.cidrIp ?? config.cidrIpv6;
    if (cidr !== undefined && !isUnresolved(cidr)) cidrs.push(cidr);
    else others.push(peer);
  }
  const aggregated = aggregateCidrs(cidrs);
  const rebuilt = aggregated.cidrs.map(c => (c.includes(':') ? ec2.Peer.ipv6(c) : ec2.Peer.ipv4(c)));
  const unique = others.filter((p, i) => others.findIndex(q => q.uniqueId === p.uniqueId) === i);
  return { peers: [...rebuilt, ...unique], summary: aggregated.summary };
}
