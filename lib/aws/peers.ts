/**
 * AWS peers: checking what users pass, what a peer counts against the quota, and
 * the lossless aggregation of a role's CIDR peers. Knows EC2; knows no document rows.
 */
import { Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import type { RuleFamily } from './layout';
import { aggregateCidrs, parseCidr, Prefix } from '../core/cidr';
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
 * addresses, never wider); other peers (groups, prefix lists, tokens) as given. In
 * the user's order: each peer where its first address was listed (an aggregate where
 * the first prefix it covers was), so that appended peers come last.
 */
export function aggregatePeers(peers: readonly ec2.IPeer[]): { peers: ec2.IPeer[]; summary?: string } {
  const cidrs: Array<{ cidr: string; at: number }> = [];
  const others = new Map<string, { peer: ec2.IPeer; at: number }>();
  peers.forEach((peer, at) => {
    const config = configOf(peer);
    const cidr = config.cidrIp ?? config.cidrIpv6;
    if (cidr !== undefined && !isUnresolved(cidr)) cidrs.push({ cidr, at });
    else if (!others.has(peer.uniqueId)) others.set(peer.uniqueId, { peer, at });
  });
  const aggregated = aggregateCidrs(cidrs.map(c => c.cidr));
  // Aggregates are disjoint and sorted: each listed prefix lies in the last one starting at or before it.
  const outs = aggregated.cidrs.map(c => parseCidr('', c));
  const key = (p: Prefix) => [p.family === 'ipv4' ? 0 : 1, p.network] as const;
  const before = (a: Prefix, b: Prefix) => key(a)[0] < key(b)[0] || (key(a)[0] === key(b)[0] && a.network <= b.network);
  const firstAt = outs.map(() => Infinity);
  for (const { cidr, at } of cidrs) {
    const p = parseCidr('', cidr);
    let lo = 0; let hi = outs.length - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (before(outs[mid], p)) lo = mid; else hi = mid - 1;
    }
    firstAt[lo] = Math.min(firstAt[lo], at);
  }
  const placed = [
    ...aggregated.cidrs.map((c, i) => ({ peer: c.includes(':') ? ec2.Peer.ipv6(c) : ec2.Peer.ipv4(c), at: firstAt[i] })),
    ...others.values(),
  ].sort((a, b) => a.at - b.at);
  return { peers: placed.map(p => p.peer), summary: aggregated.summary };
}
