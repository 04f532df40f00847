/**
 * AWS rendering helpers: peer validation, rule ledger (quota), and writing merged
 * rules onto security groups. Knows EC2; knows no document rows.
 */
import { Annotations, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { MergedRule, mergeRules, PeerSide } from './merge';
import { validateCidr } from '../core/cidr';
import { describeValue, SeguraValidationError } from '../core/errors';
import { Protocol } from '../core/matrix';
import { Flow } from '../core/plan';
import { Role } from '../core/roles';
import { describeRule, sidesOf } from '../core/rules';

/** AWS's default quota of inbound (or outbound) rules per security group. */
export const DEFAULT_RULE_QUOTA = 60;

/** EC2 rule descriptions are at most 255 characters. */
const MAX_DESCRIPTION = 255;

export const isUnresolved = (v: unknown): boolean => Token.isUnresolved(v);

/** Check a user-supplied peer: an `ec2.IPeer` with a well-formed CIDR (tokens skipped). */
export function validateAwsPeer(property: string, peer: ec2.IPeer): void {
  if (!peer || typeof peer !== 'object' || typeof (peer as ec2.IPeer).toIngressRuleConfig !== 'function') {
    throw new SeguraValidationError(property, `expected an ec2.IPeer (e.g. ec2.Peer.ipv4('10.0.0.0/16')), got ${describeValue(peer)}`);
  }
  const config = peer.toIngressRuleConfig() as { cidrIp?: string; cidrIpv6?: string };
  for (const cidr of [config.cidrIp, config.cidrIpv6]) {
    if (cidr !== undefined && !Token.isUnresolved(cidr)) validateCidr(property, cidr);
  }
}

/** How many rules a peer counts for against the quota: a prefix list counts its max entries. */
function ruleWeight(peer: ec2.IPeer): { weight: number; known: boolean } {
  const config = peer.toIngressRuleConfig() as { sourcePrefixListId?: string };
  if (config.sourcePrefixListId === undefined) return { weight: 1, known: true };
  const child = (peer as unknown as IConstruct).node?.defaultChild;
  if (child instanceof ec2.CfnPrefixList && typeof child.maxEntries === 'number' && !Token.isUnresolved(child.maxEntries)) {
    return { weight: child.maxEntries, known: true };
  }
  return { weight: 1, known: false };
}

function family(peer: ec2.IPeer): 'ipv4' | 'ipv6' | 'both' {
  const config = peer.toIngressRuleConfig() as { cidrIp?: string; cidrIpv6?: string };
  if (config.cidrIp !== undefined) return 'ipv4';
  if (config.cidrIpv6 !== undefined) return 'ipv6';
  return 'both';
}

interface LedgerEntry { readonly weight: number; readonly family: 'ipv4' | 'ipv6' | 'both' }

/** Rules added per security group and direction, to check AWS's per-group quota at synth. */
export class RuleLedger {
  private readonly entries = new Map<string, LedgerEntry[]>();

  public add(direction: 'ingress' | 'egress', peer: ec2.IPeer, scope: IConstruct): void {
    const { weight, known } = ruleWeight(peer);
    if (!known) {
      Annotations.of(scope).addWarningV2('segura-constructs:prefix-list-size',
        `Prefix list ${peer.uniqueId} is counted as 1 rule: its max entries are not known here. Pass the ec2.PrefixList construct to count it exactly.`);
    }
    const list = this.entries.get(direction) ?? [];
    list.push({ weight, family: family(peer) });
    this.entries.set(direction, list);
  }

  /** Errors for every direction over `quota` (counted per address family, as AWS does). */
  public check(groupName: string, quota: number): string[] {
    const errors: string[] = [];
    if (Token.isUnresolved(quota)) return errors; // a deploy-time quota cannot be checked here
    for (const direction of ['ingress', 'egress'] as const) {
      const list = this.entries.get(direction) ?? [];
      for (const fam of ['ipv4', 'ipv6'] as const) {
        const count = list.filter(e => e.family === fam || e.family === 'both').reduce((n, e) => n + e.weight, 0);
        // Group and prefix-list references count in both families; report IPv6 only when it has rules of its own.
        if (count > quota && (fam === 'ipv4' || list.some(e => e.family === fam))) {
          errors.push(`security group ${groupName} needs ${count} ${direction === 'ingress' ? 'inbound' : 'outbound'} ${fam} rules, above the quota of ${quota} rules per group. `
            + 'Put the peers in a managed prefix list (ec2.PrefixList, passed as the peer), use fewer or wider peer CIDRs, '
            + 'or raise the quota with AWS and set ruleQuota.');
        }
      }
    }
    return errors;
  }
}

function portOf(protocol: Protocol, from: number, to: number): ec2.Port {
  if (from === to) return protocol === Protocol.TCP ? ec2.Port.tcp(from) : ec2.Port.udp(from);
  return protocol === Protocol.TCP ? ec2.Port.tcpRange(from, to) : ec2.Port.udpRange(from, to);
}

/**
 * Write one merged rule on `group`. `remote` puts a rule toward a security group of
 * another stack into that group's stack (aws-ec2's remoteRule), so that a consumer
 * stack depends on its provider and never the other way round.
 */
function addRule(group: ec2.ISecurityGroup, peer: ec2.IPeer, rule: MergedRule, ledger: RuleLedger, remote = false): void {
  const port = portOf(rule.protocol, rule.range.from, rule.range.to);
  const description = describeRule(rule, MAX_DESCRIPTION);
  if (rule.direction === 'ingress') group.addIngressRule(peer, port, description, remote);
  else group.addEgressRule(peer, port, description, remote);
  ledger.add(rule.direction, peer, group);
}

/**
 * Write the flows' sides that fall on `groups` as security-group rules.
 * `remote(holder)` says when a rule toward a group of another stack must live in that stack.
 */
export function renderFlows(
  flows: Flow[], groups: Map<Role, ec2.ISecurityGroup>, peersOf: (role: Role) => ec2.IPeer[],
  ledgerOf: (role: Role) => RuleLedger, remote: (holder: Role) => boolean,
): void {
  const peerByKey = new Map<string, ec2.IPeer>();
  const sides: PeerSide[] = [];
  for (const side of sidesOf(flows, [...groups.keys()])) {
    // Keyed by the peer itself: peers with the same address share rules whatever their role.
    for (const peer of peersOf(side.peerRole)) {
      peerByKey.set(peer.uniqueId, peer);
      sides.push({ side, peerKey: peer.uniqueId });
    }
  }
  for (const rule of mergeRules(sides, isUnresolved)) {
    const group = groups.get(rule.holder)!;
    addRule(group, peerByKey.get(rule.peerKey)!, rule, ledgerOf(rule.holder), remote(rule.holder));
  }
}

