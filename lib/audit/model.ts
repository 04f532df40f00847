/**
 * The rules the audit compares, in a normalized model per cloud: what a security
 * group or an NSG says, read from any source (the CLI's and the REST API's exports
 * today; CloudFormation templates and Terraform plans can produce the same model).
 * Readers check the shapes and values of their source; the matchers (aws-matcher.ts,
 * azure-matcher.ts) apply each cloud's documented semantics to the model. Every item
 * carries `where`, the path messages name (`sgs.json: SecurityGroups[2]`), and, when the
 * source is a template or a plan, `location`: the resource that writes it.
 */
import { AddressSet } from './address-set';
import { Proto } from './region';
import { AuditLocation } from './types';

// ---------------------------------------------------------------- AWS

/** The other end of a security group rule. */
export type AwsPeer =
  | { readonly kind: 'cidr'; readonly cidr: string; readonly set: AddressSet }
  | { readonly kind: 'group'; readonly groupId: string }
  | { readonly kind: 'prefixList'; readonly prefixListId: string }
  /** Known only at deploy time (the rule is unresolved): the expression that gives it. */
  | { readonly kind: 'unknown'; readonly text: string };

/** One rule of a security group: one protocol and port range, one peer. */
export interface AwsRule {
  readonly direction: 'ingress' | 'egress';
  /**
   * The protocols it allows: 'all' for `-1`. Per EC2's IpPermission, `-1` and any
   * protocol but tcp, udp, icmp and icmpv6 allow every port whatever the range.
   */
  readonly protocols: readonly Proto[] | 'all';
  /** How reports write the protocol and ports: `tcp 22-23`, `all traffic`, `icmp`. */
  readonly traffic: string;
  /** The tcp or udp port range; undefined for the other protocols. */
  readonly ports?: readonly [number, number];
  readonly peer: AwsPeer;
  readonly where: string;
  /**
   * A value known only at deploy time (a template's parameter, a plan's unknown): why the
   * rule cannot be judged, naming the expression. The matcher reports it as unresolved;
   * its other fields are what is known (every protocol and port when those are not).
   */
  readonly unresolved?: string;
  readonly location?: AuditLocation;
}

/** A security group: its ID (the key rules and placements use) and its rules. */
export interface AwsSecurityGroup {
  readonly groupId: string;
  readonly groupName?: string;
  readonly rules: readonly AwsRule[];
  readonly where: string;
  readonly location?: AuditLocation;
}

// ---------------------------------------------------------------- Azure

/** One address of an NSG rule side, as the rule writes it. */
export type NsgAddress =
  /** `*` or `Any`: every address. */
  | { readonly kind: 'any'; readonly text: string }
  /** A service tag (`VirtualNetwork`, `Internet`, `Storage.WestEurope`), in any letter case. */
  | { readonly kind: 'tag'; readonly text: string }
  /** An address or CIDR. */
  | { readonly kind: 'prefix'; readonly text: string; readonly set: AddressSet }
  /** An application security group, by resource ID. */
  | { readonly kind: 'asg'; readonly text: string; readonly id: string };

/** NSG protocols, as the REST API spells them (SecurityRuleProtocol). */
export type NsgProtocol = 'Tcp' | 'Udp' | 'Icmp' | 'Esp' | 'Ah' | '*';

/** One security rule of an NSG. */
export interface NsgRule {
  readonly name: string;
  readonly priority: number;
  readonly direction: 'Inbound' | 'Outbound';
  readonly access: 'Allow' | 'Deny';
  readonly protocol: NsgProtocol;
  /** Source port ranges ([0, 65535] for `*`), and how the rule writes them. */
  readonly sourcePorts: ReadonlyArray<readonly [number, number]>;
  readonly sourcePortsText: readonly string[];
  /** Destination port ranges ([0, 65535] for `*`). */
  readonly destinationPorts: ReadonlyArray<readonly [number, number]>;
  readonly sources: readonly NsgAddress[];
  readonly destinations: readonly NsgAddress[];
  readonly where: string;
  /** A value known only at deploy time: why the rule cannot be judged, naming the expression (as `AwsRule.unresolved`). */
  readonly unresolved?: string;
  readonly location?: AuditLocation;
}

/** An NSG: its name and ID (either names it in placements), its rules and the default rules it lists. */
export interface NetworkSecurityGroup {
  readonly name: string;
  readonly id?: string;
  readonly rules: readonly NsgRule[];
  /** The default rules the source lists (undefined when it lists none); Azure applies its six whatever this says. */
  readonly defaultRules?: readonly NsgRule[];
  readonly where: string;
  readonly location?: AuditLocation;
}

/** A `where` for a message that already names the input: without the input's name (`sgs.json: SecurityGroups[0]` -> `SecurityGroups[0]`). */
export const withinInput = (where: string) => (where.includes(': ') ? where.slice(where.lastIndexOf(': ') + 2) : where);
