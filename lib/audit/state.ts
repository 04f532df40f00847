/**
 * Exported firewall state, cloud-neutral: for each protected instance (a Segura
 * node or gateway placed by its address), the policies that decide its inbound and its
 * outbound traffic. A cloud's matcher (aws-matcher.ts, azure-matcher.ts) turns its
 * rules into this; the comparison with the plan (compare.ts) knows no cloud.
 */
import { AddressSet } from './address-set';
import { Proto, Region } from './region';
import { AuditLocation } from './types';

/** One rule as the audit sees it: what it allows or denies, and how reports name it. */
export interface PolicyRule {
  /** How reports name the rule: `sg-0abc ingress tcp 22 from 0.0.0.0/0`, or an NSG rule's name. */
  readonly name: string;
  /**
   * How extra findings name it when `name` alone is ambiguous (two NSGs on one path): `vm1NSG/AllowVnetInBound`.
   *
   * @default - `name`
   */
  readonly reportAs?: string;
  /** The other end as the rule writes it: `0.0.0.0/0`, `sg-0abc`, `Internet`. */
  readonly peer: string;
  /** The addresses at the other end. */
  readonly other: AddressSet;
  /** Allow or deny. */
  readonly allow: boolean;
  /** Whether it names every protocol (`-1`, `*`). */
  readonly allProtocols: boolean;
  /** Whether it matches every protocol on every port (`-1`; `*` on `*`). */
  readonly allTraffic: boolean;
  /** The traffic it matches: protocols, ports, addresses at the other end. */
  readonly region: Region;
  /** A rule the cloud puts in every group (Azure's AllowVnetInBound and the like). */
  readonly isDefault: boolean;
  /**
   * When the other end holds addresses the audit cannot place (a group no role
   * wears, an ASG no role is in): what to say of them, and which option would place them.
   */
  readonly unknown?: string;
  /** Where a template or a plan writes it. */
  readonly location?: AuditLocation;
}

/**
 * A rule that may decide some of an instance's traffic but that the audit cannot
 * place: unresolved (a prefix list without its entries), or naming an ASG no role is
 * in on the instance's own side. Missing flows it might allow name it.
 */
export interface MaybeRule {
  readonly name: string;
  readonly allow: boolean;
  /** The protocols and ports it matches (addresses: every one). */
  readonly region: Region;
  /** Why it cannot be placed, and what to give. */
  readonly why: string;
}

/** The rules of one filter on an instance's path (a set of security groups, one NSG). */
export interface Policy {
  /** How reports name it: `sg-0abc, sg-0def` or `NSG segura-nsg`. */
  readonly name: string;
  /**
   * `first-match`: in order, the first rule that matches decides (Azure's priorities).
   * `any`: the traffic is allowed when any rule allows it (AWS security groups).
   * Either way, traffic no rule allows is denied.
   */
  readonly order: 'first-match' | 'any';
  readonly rules: readonly PolicyRule[];
  /** Rules the audit cannot place that may decide some of this traffic. */
  readonly maybe: readonly MaybeRule[];
  /** Where a template or a plan writes its groups or NSG. */
  readonly locations?: readonly AuditLocation[];
}

/** A Segura node or gateway the exported rules protect. */
export interface ProtectedInstance {
  /** Its role (a role name of the matrix). */
  readonly role: string;
  /** Its address, as the config gives it (`10.0.1.4/32`). */
  readonly address: string;
  /**
   * The filters its inbound traffic passes, in the cloud's order (Azure: the subnet's
   * NSG, then the NIC's); traffic passes when every one allows it.
   */
  readonly ingress: readonly Policy[];
  /** The same for its outbound traffic (Azure: the NIC's NSG, then the subnet's). */
  readonly egress: readonly Policy[];
}

/** A role the config has but the placement leaves out: what an unknown group or ASG may hold. */
export interface UnplacedRole {
  /** What messages call it: `the Domum Gateway`. */
  readonly title: string;
  /** The option that would place it: `--domum`. */
  readonly option: string;
}

/** `; if the Domum Gateway wears it, give --domum` and the like, or '' when every role is placed. */
export function placeHint(unplaced: readonly UnplacedRole[], verb: string): string {
  if (unplaced.length === 0) return '';
  return `; if ${unplaced.map(u => u.title).join(' or ')} ${verb}, give ${unplaced.map(u => u.option).join(' or ')}`;
}

/** A rule the audit could not evaluate, and why; it is left out of the evaluation. */
export interface UnresolvedRule {
  readonly rule: string;
  readonly reason: string;
  readonly locations?: AuditLocation[];
}

/** What a matcher makes of the rules. */
export interface FirewallState {
  readonly instances: readonly ProtectedInstance[];
  readonly unresolved: readonly UnresolvedRule[];
}

/** What a policy does with traffic from (or to) `addresses` on one protocol and port. */
export interface Decision {
  /** The addresses the policy lets through. */
  readonly allowed: AddressSet;
  /** The deny rules that decided some of the rest. */
  readonly deniedBy: readonly string[];
}

/** Evaluate a policy for traffic with the other end in `addresses`. */
export function decide(policy: Policy, addresses: AddressSet, protocol: Proto, port: number): Decision {
  let allowed = AddressSet.EMPTY;
  if (policy.order === 'any') {
    for (const r of policy.rules) if (r.allow) allowed = allowed.union(r.region.at(protocol, port).intersect(addresses));
    return { allowed, deniedBy: [] };
  }
  const deniedBy: string[] = [];
  let remaining = addresses;
  for (const r of policy.rules) {
    const hit = r.region.at(protocol, port).intersect(remaining);
    if (hit.isEmpty) continue;
    if (r.allow) allowed = allowed.union(hit);
    else deniedBy.push(r.name);
    remaining = remaining.minus(hit);
    if (remaining.isEmpty) break;
  }
  return { allowed, deniedBy };
}

/** Per rule, the part of its region it decides (first match: what no earlier rule decided). */
export function decidedParts(policy: Policy): Array<{ rule: PolicyRule; part: Region }> {
  if (policy.order === 'any') return policy.rules.map(rule => ({ rule, part: rule.region }));
  let decided = Region.EMPTY;
  return policy.rules.map(rule => {
    const part = rule.region.minus(decided);
    decided = decided.union(rule.region);
    return { rule, part };
  });
}

/** What a policy lets through, as a region. */
export function allowedRegion(policy: Policy): Region {
  return decidedParts(policy).reduce((acc, { rule, part }) => (rule.allow ? acc.union(part) : acc), Region.EMPTY);
}
