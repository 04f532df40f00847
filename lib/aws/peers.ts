/**
 * AWS peers: checking what users pass, what a peer counts against the quota, and
 * the lossless aggregation of a role's CIDR peers. Knows EC2; knows no document rows.
 *
 * A peer's rule config (`toIngressRuleConfig()`) is read once, when the peer is first
 * checked; everything the library decides about the peer (its CIDR, its key, its family)
 * comes from that read.
 */
import { Reference, Token, Tokenization } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import type { RuleFamily } from './layout';
import { aggregateCidrs, parseCidr, Prefix } from '../core/cidr';
import { describeValue, SeguraValidationError } from '../core/errors';
import { checkNotGatewayGroup } from '../core/identity';
import { worldOpenCidr } from '../core/world-open';

/** True for deploy-time values (aws-cdk-lib tokens), which are written as given and never checked early. */
export const isUnresolved = (v: unknown): boolean => Token.isUnresolved(v);

/** What a peer's rules go to, as EC2 takes it. */
export interface PeerConfig {
  readonly cidrIp?: string;
  readonly cidrIpv6?: string;
  readonly sourcePrefixListId?: string;
  readonly sourceSecurityGroupId?: string;
  readonly sourceSecurityGroupOwnerId?: string;
}

/** The fields a peer's config may hold: one target, and a group's owner. */
const TARGETS = ['cidrIp', 'cidrIpv6', 'sourcePrefixListId', 'sourceSecurityGroupId'] as const;
const FIELDS: readonly string[] = [...TARGETS, 'sourceSecurityGroupOwnerId'];
/** EC2's IDs (aws-cdk-lib's own pattern for group IDs). */
const ID_PATTERNS: Partial<Record<keyof PeerConfig, [RegExp, string]>> = {
  sourcePrefixListId: [/^pl-[a-z0-9]{8,17}$/, 'a prefix-list ID such as "pl-0123456789abcdef0"'],
  sourceSecurityGroupId: [/^sg-[a-z0-9]{8,17}$/, 'a security group ID such as "sg-0123456789abcdef0"'],
  sourceSecurityGroupOwnerId: [/^\d{12}$/, 'an account ID (12 digits)'],
};

/** Each peer's config as it was read, once: the value, or what reading it threw. */
const CONFIGS = new WeakMap<object, { readonly value?: unknown; readonly error?: unknown }>();

const isPeer = (peer: unknown): peer is ec2.IPeer =>
  typeof peer === 'object' && peer !== null && typeof (peer as ec2.IPeer).toIngressRuleConfig === 'function';

/** What reading a peer's config gave, the first time. */
function readConfig(peer: ec2.IPeer): { readonly value?: unknown; readonly error?: unknown } {
  let read = CONFIGS.get(peer);
  if (read === undefined) {
    try {
      const value = peer.toIngressRuleConfig();
      read = { value: typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.freeze({ ...value }) : value };
    } catch (error) {
      read = { error };
    }
    CONFIGS.set(peer, read);
  }
  return read;
}

/** A peer's config, as read once (validateAwsPeer checks it before the library uses it). */
export function configOf(peer: ec2.IPeer): PeerConfig {
  const read = readConfig(peer);
  return (typeof read.value === 'object' && read.value !== null ? read.value : {}) as PeerConfig;
}

/** Check a user-supplied peer: an `ec2.IPeer` whose rule config names one target, well formed (tokens skipped). */
export function validateAwsPeer(property: string, peer: ec2.IPeer): void {
  if (!isPeer(peer)) {
    throw new SeguraValidationError(property, `expected an ec2.IPeer (e.g. ec2.Peer.ipv4('10.0.0.0/16')), got ${describeValue(peer)}`);
  }
  checkNotGatewayGroup(property, peer, 'security group');
  const { value: raw, error } = readConfig(peer);
  if (error !== undefined) {
    throw new SeguraValidationError(property, `is a peer whose rule config cannot be read (${error instanceof Error ? error.message : describeValue(error)})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new SeguraValidationError(property, `is a peer whose rule config is ${describeValue(raw)}; expected an object such as { cidrIp: '10.0.0.0/16' }`);
  }
  const config = raw as Record<string, unknown>;
  const set = Object.keys(config).filter(k => config[k] !== undefined);
  const unknown = set.filter(k => !FIELDS.includes(k));
  const targets = TARGETS.filter(k => config[k] !== undefined);
  if (unknown.length > 0 || targets.length !== 1) {
    throw new SeguraValidationError(property, `is a peer whose rule config ${describeValue(config)} does not name exactly one of ${TARGETS.join(', ')}`);
  }
  for (const key of set as Array<keyof PeerConfig>) {
    const value = config[key];
    if (isUnresolved(value)) continue;
    if (typeof value !== 'string') {
      throw new SeguraValidationError(property, `is a peer whose ${key} is ${describeValue(value)}; expected a string (or a token)`);
    }
    if (key === 'cidrIp' || key === 'cidrIpv6') parseCidr(property, value);
    const pattern = ID_PATTERNS[key];
    if (pattern && !pattern[0].test(value)) {
      throw new SeguraValidationError(property, `is a peer whose ${key} is "${value}"; expected ${pattern[1]} (or a token)`);
    }
  }
  if (typeof peer.uniqueId !== 'string') {
    throw new SeguraValidationError(property, `is a peer whose uniqueId is ${describeValue(peer.uniqueId)}; expected a string`);
  }
}

/** A peer's CIDR when it is one, spelled out (not a token); undefined otherwise (or for anything but a peer). */
export function cidrOfAwsPeer(peer: ec2.IPeer): string | undefined {
  if (!isPeer(peer)) return undefined;
  const config = configOf(peer);
  const cidr = config.cidrIp ?? config.cidrIpv6;
  return typeof cidr === 'string' && !isUnresolved(cidr) ? cidr : undefined;
}

/** A peer's CIDR when it is given as a token (a `Lazy` value, resolved at synth; or a deploy-time one), else undefined. */
export function tokenCidrOfAwsPeer(peer: ec2.IPeer): string | undefined {
  const config = configOf(peer);
  const cidr = config.cidrIp ?? config.cidrIpv6;
  return typeof cidr === 'string' && isUnresolved(cidr) ? cidr : undefined;
}

/** What an IPv4 or IPv6 peer covering every address is, for messages; undefined otherwise (or for anything but a peer). */
export function worldOpenAwsPeer(peer: ec2.IPeer): string | undefined {
  const cidr = cidrOfAwsPeer(peer);
  return cidr === undefined ? undefined : worldOpenCidr(cidr);
}

/**
 * What an ID is, resolved: the ID itself when spelled out; for a reference to a
 * resource attribute (an ec2.SecurityGroup's groupId), the resource's path and the
 * attribute, the same for every token of it; otherwise the token's text.
 */
function resolvedId(value: string): string {
  if (!isUnresolved(value)) return value;
  const fragments = Tokenization.reverseString(value);
  const token = fragments.length === 1 ? fragments.firstToken : undefined;
  if (token && Reference.isReference(token)) return `{${token.target.node.path}.${token.displayName}}`;
  return value;
}

/**
 * A peer's key: peers with one key are one peer, whatever objects they are (one group
 * given as `SecurityGroup.fromSecurityGroupId(...)` and as `Peer.securityGroupId(...)`).
 * A CIDR, a prefix-list ID or a group ID (with its owner), resolved.
 */
export function awsPeerKey(peer: ec2.IPeer): string {
  const config = configOf(peer);
  if (config.cidrIp !== undefined) return config.cidrIp;
  if (config.cidrIpv6 !== undefined) return config.cidrIpv6;
  if (config.sourcePrefixListId !== undefined) return resolvedId(config.sourcePrefixListId);
  if (config.sourceSecurityGroupId !== undefined) {
    const owner = config.sourceSecurityGroupOwnerId;
    return `${resolvedId(config.sourceSecurityGroupId)}${owner === undefined ? '' : `@${resolvedId(owner)}`}`;
  }
  return peer.uniqueId;
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
 * addresses, never wider); other peers (groups, prefix lists, tokens) as given, each
 * once by its resolved key. In the user's order: each peer where its first address was listed (an aggregate where
 * the first prefix it covers was), so that appended peers come last.
 */
export function aggregatePeers(peers: readonly ec2.IPeer[]): { peers: ec2.IPeer[]; summary?: string } {
  const cidrs: Array<{ cidr: string; at: number }> = [];
  const others = new Map<string, { peer: ec2.IPeer; at: number }>();
  peers.forEach((peer, at) => {
    const cidr = cidrOfAwsPeer(peer);
    if (cidr !== undefined) cidrs.push({ cidr, at });
    else if (!others.has(awsPeerKey(peer))) others.set(awsPeerKey(peer), { peer, at });
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
