/**
 * The library's security groups: plain `ec2.SecurityGroup`s that record every rule
 * added to them (the library's, a gateway's, and the user's own through
 * addIngressRule / addEgressRule / connections), so that what the group will hold is
 * checked at synth: the quota, no rule written twice, no world-open rule a role was
 * not allowed.
 */
import { Annotations, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { awsPeerKey, cidrOfAwsPeer, configOf, familyOf, isUnresolved, tokenCidrOfAwsPeer, weightOf } from './peers';
import { tryParseCidr } from '../core/cidr';
import { propertyOf, Role } from '../core/roles';
import { Direction } from '../core/rules';
import { worldOpenCidr, worldOpenUnion } from '../core/world-open';

/** A rule the group holds. */
export interface CountedRule {
  readonly direction: Direction;
  readonly family: 'ipv4' | 'ipv6' | 'both';
  readonly weight: number;
  /** The library's own rule (false: one added outside the library). */
  readonly own: boolean;
  /** What EC2 tells rules apart by: direction, protocol, ports and the peer's resolved ID. */
  readonly identity: string;
  /** The rule, for messages: `inbound tcp 22 from 10.0.0.0/8`. */
  readonly text: string;
  /** Its description. */
  readonly description?: string;
  /** The peer's CIDR, when it is one (spelled out). */
  readonly cidr?: string;
  /** The peer's CIDR when it is a token (`Lazy`, a deploy-time value): resolved at synth, where it can be. */
  readonly lazyCidr?: string;
  /** For the library's rules: the roles whose peers the rule serves. */
  readonly roles: readonly Role[];
}

/** The prefix lists already warned about, per App: each is named once. */
const WARNED = new WeakMap<IConstruct, Set<string>>();

/**
 * A peer, for messages: its construct path (and ID spelled out), its CIDR or ID, or, for a
 * value given as a token, `a CIDR given as a token` (a `Lazy` or deploy-time CIDR) or
 * `a deploy-time ID`.
 */
function peerText(peer: ec2.IPeer): string {
  const config = configOf(peer);
  const cidr = config.cidrIp ?? config.cidrIpv6;
  const value = cidr ?? config.sourcePrefixListId ?? config.sourceSecurityGroupId;
  const id = typeof value === 'string' && !isUnresolved(value) ? value : undefined;
  const path = (peer as unknown as Partial<IConstruct>).node?.path;
  if (typeof path === 'string') return `${path}${id ? ` (${id})` : ''}`;
  return id ?? (cidr !== undefined ? 'a CIDR given as a token' : 'a deploy-time ID');
}

function portText(port: ec2.Port): string {
  const json = port.toRuleJson() as { ipProtocol?: string; fromPort?: number; toPort?: number };
  const ports = isUnresolved(json.fromPort) ? '(deploy-time port)' : json.fromPort === json.toPort ? `${json.fromPort}` : `${json.fromPort}-${json.toPort}`;
  return `${json.ipProtocol} ${ports}`;
}

export class QuotaSecurityGroup extends ec2.SecurityGroup {
  // Created on first use: the base constructor may add rules before fields are set.
  private countedRules?: Map<string, CountedRule>;
  private byIdentity?: Map<string, CountedRule>;
  private doubled?: Array<[CountedRule, CountedRule]>;
  private adding?: readonly Role[];

  /** Every rule the group holds, as aws-cdk-lib writes them (one per peer object and port). */
  public get rules(): readonly CountedRule[] {
    return [...this.counted.values()];
  }

  /** Rules the group would hold twice, by EC2's identity: written by two peer objects of one resolved ID. */
  public get duplicates(): ReadonlyArray<readonly [CountedRule, CountedRule]> {
    return this.doubled ?? [];
  }

  private get counted(): Map<string, CountedRule> {
    return this.countedRules ??= new Map();
  }

  private get identities(): Map<string, CountedRule> {
    return this.byIdentity ??= new Map();
  }

  /** Add a rule of the library's own (counted as such in messages), serving the peers of `roles`. */
  public addOwnRule(direction: Direction, peer: ec2.IPeer, port: ec2.Port, description: string, remote: boolean, roles: readonly Role[] = []): void {
    this.adding = roles;
    try {
      if (direction === 'ingress') this.addIngressRule(peer, port, description, remote);
      else this.addEgressRule(peer, port, description, remote);
    } finally {
      this.adding = undefined;
    }
  }

  public addIngressRule(peer: ec2.IPeer, connection: ec2.Port, description?: string, remoteRule?: boolean): void {
    this.count('ingress', peer, connection, description);
    super.addIngressRule(peer, connection, description, remoteRule);
  }

  public addEgressRule(peer: ec2.IPeer, connection: ec2.Port, description?: string, remoteRule?: boolean): void {
    this.count('egress', peer, connection, description);
    super.addEgressRule(peer, connection, description, remoteRule);
  }

  /** Errors for every direction and family over `quota` (AWS counts each family apart). */
  public check(name: string, quota: number): string[] {
    if (isUnresolved(quota)) return []; // a deploy-time quota cannot be checked here
    const errors: string[] = [];
    for (const direction of ['ingress', 'egress'] as const) {
      const list = [...this.counted.values()].filter(c => c.direction === direction);
      for (const family of ['ipv4', 'ipv6'] as const) {
        const inFamily = list.filter(c => c.family === family || c.family === 'both');
        const total = inFamily.reduce((n, c) => n + c.weight, 0);
        // Group and prefix-list references count in both families; report IPv6 only when it has rules of its own.
        if (total <= quota || (family === 'ipv6' && !list.some(c => c.family === 'ipv6'))) continue;
        const yours = inFamily.filter(c => !c.own).reduce((n, c) => n + c.weight, 0);
        errors.push(`security group ${name} holds ${total} ${direction === 'ingress' ? 'inbound' : 'outbound'} ${family} rules, above ruleQuota ${quota}`
          + `${yours ? ` (${yours} of them added outside the library)` : ''}. Move your own rules to a group of your own, `
          + 'or raise the quota with AWS and set ruleQuota.');
      }
    }
    return errors;
  }

  /**
   * Errors for what the group would hold that EC2 refuses or the configuration did not
   * allow: a rule held twice (one resolved peer given by two objects), and a rule of
   * the library's whose peers, alone or together for one role, cover every address of
   * a family while `allowed` does not name the role.
   */
  public checkRules(name: string, allowed: (role: Role) => boolean): string[] {
    const errors: string[] = [];
    const who = (c: CountedRule) => (c.own ? `the library's (${c.description})` : 'one added outside the library');
    for (const [first, second] of this.duplicates) {
      errors.push(`security group ${name} would hold the ${first.text} rule twice: ${who(first)} and ${who(second)}. EC2 refuses a duplicate rule `
        + `(InvalidPermission.Duplicate): ${first.own || second.own ? 'remove yours, the library\'s allows it already' : 'keep one of them'}.`);
    }
    // A CIDR given as a token is judged by what it resolves to at synth (a `Lazy` value); a deploy-time one cannot be.
    const own = this.rules.filter(c => c.own)
      .map(c => (c.cidr === undefined && c.lazyCidr !== undefined ? { ...c, cidr: this.resolvedCidr(c.lazyCidr) } : c));
    for (const role of [...new Set(own.flatMap(c => c.roles))].filter(r => !allowed(r))) {
      const ofRole = own.filter(c => c.roles.includes(role) && c.cidr !== undefined);
      const single = ofRole.find(c => worldOpenCidr(c.cidr!) !== undefined);
      const union = single ? undefined : worldOpenUnion(ofRole.map(c => c.cidr!));
      if (single) {
        errors.push(`security group ${name}: the ${single.text} rule allows ${propertyOf(role)} ${single.direction === 'ingress' ? 'from' : 'to'} every address `
          + `(${worldOpenCidr(single.cidr!)}), which allowAnyAddress does not name`);
      } else if (union) {
        errors.push(`security group ${name}: the rules of ${propertyOf(role)} allow every address together (${union}), which allowAnyAddress does not name`);
      }
    }
    return errors;
  }

  /** A token's value at synth when it is a CIDR (a `Lazy` string); undefined for a deploy-time value or anything else. */
  private resolvedCidr(token: string): string | undefined {
    let value: unknown;
    try {
      value = Stack.of(this).resolve(token);
    } catch {
      return undefined;
    }
    return typeof value === 'string' && tryParseCidr(value) ? value : undefined;
  }

  private count(direction: Direction, peer: ec2.IPeer, port: ec2.Port, description?: string): void {
    // aws-cdk-lib writes one rule per peer object (uniqueId) and port: a second call is no second rule.
    const key = `${direction}|${peer.uniqueId}|${JSON.stringify(port.toRuleJson())}`;
    if (this.counted.has(key)) return;
    const { weight, known } = weightOf(peer);
    if (!known) this.warnPrefixList(peer);
    const ports = portText(port);
    const rule: CountedRule = {
      direction,
      family: familyOf(peer),
      weight,
      own: this.adding !== undefined,
      identity: `${direction}|${JSON.stringify(port.toRuleJson())}|${awsPeerKey(peer)}`,
      text: `${direction === 'ingress' ? 'inbound' : 'outbound'} ${ports} ${direction === 'ingress' ? 'from' : 'to'} ${peerText(peer)}`,
      description,
      cidr: cidrOfAwsPeer(peer),
      lazyCidr: tokenCidrOfAwsPeer(peer),
      roles: this.adding ?? [],
    };
    // Two peer objects of one resolved ID (a group given by two objects) are two rules EC2 refuses.
    const same = this.identities.get(rule.identity);
    if (same) (this.doubled ??= []).push([same, rule]);
    else this.identities.set(rule.identity, rule);
    this.counted.set(key, rule);
  }

  /** A prefix list whose max entries are unknown here: said once per App, naming it. */
  private warnPrefixList(peer: ec2.IPeer): void {
    const root = this.node.root;
    const warned = WARNED.get(root) ?? new Set<string>();
    WARNED.set(root, warned);
    const name = peerText(peer);
    if (warned.has(awsPeerKey(peer))) return;
    warned.add(awsPeerKey(peer));
    const what = name === 'a deploy-time ID' ? 'given by a deploy-time ID (ec2.Peer.prefixList)' : name;
    Annotations.of(this).addWarningV2('segura-constructs:prefix-list-size',
      `Prefix list ${what} is counted as 1 rule in each rule that references it: its max entries are not known here. `
      + 'Pass the ec2.PrefixList construct (created with maxEntries) to count it exactly.');
  }
}
