/**
 * Exported firewall state, cloud-neutral: for each protected instance (a Segura
 * node or gateway placed by its address), the rules that decide its inbound and its
 * outbound traffic. A reader turns one cloud's export into this; the comparison
 * with the plan (compare.ts) knows no cloud.
 */
import { AddressSet } from './address-set';
import { Proto, Region } from './region';

/** One rule as the audit sees it: what it allows or denies, and how reports name it. */
export interface PolicyRule {
  /** How reports name the rule: `sg-0abc ingress tcp 22 from 0.0.0.0/0`, or an NSG rule's name. */
  readonly name: string;
  /** The other end as the rule writes it: `0.0.0.0/0`, `sg-0abc`, `Internet`. */
  readonly peer: string;
  /** The addresses at the other end. */
  readonly other: AddressSet;
  /** Allow or deny. */
  readonly allow: boolean;
  /** Whether it names every protocol (`-1`, `*`). */
  readonly allProtocols: boolean;
  /** The traffic it matches: protocols, ports, addresses at the other end. */
  readonly region: Region;
  /** A rule the cloud puts in every group (Azure's AllowVnetInBound and the like). */
  readonly isDefault: boolean;
}

/** The rules deciding one direction of one instance's traffic. */
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
}

/** A Segura node or gateway the exported rules protect. */
export interface ProtectedInstance {
  /** Its role (a role name of the matrix). */
  readonly role: string;
  /** Its address, as the config gives it (`10.0.1.4/32`). */
  readonly address: string;
  readonly ingress: Policy;
  readonly egress: Policy;
}

/** A rule the audit could not evaluate, and why; it is left out of the evaluation. */
export interface UnresolvedRule {
  readonly rule: string;
  readonly reason: string;
}

/** What a reader makes of an export. */
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
