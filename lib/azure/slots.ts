/**
 * Azure's priority strategy. Every rule the library can emit has a slot: its index
 * in the pinned, append-only table of its NSG (priorities.ts). A rule's priority is
 * `FIRST_PRIORITY + SLOT_STRIDE * slot + bucket`, so it depends on what the rule is,
 * never on the configuration (toggling an integration renumbers nothing) nor on the
 * library's version (a new row or role takes a new slot at the end; existing slots
 * never move). Pure functions, tested without constructs. The generator of priorities.ts
 * (the catalog of every rule key, appended to the pinned tables) is scripts/generate/priorities.ts.
 */
import { Protocol } from '../core/matrix';
import { GATEWAY_ROLES, NODE_ROLES, Role } from '../core/roles';
import { Direction } from '../core/rules';

/** The first priority of the library's allow rules. */
export const FIRST_PRIORITY = 100;
/** Priorities reserved for one slot: its prefix rules, then its ASG and service-tag rules. */
export const SLOT_STRIDE = 50;
/** The deny-all rules' priority, the last one Azure allows. */
export const DENY_PRIORITY = 4096;
/**
 * The band left to the user's own rules: after every rule of the library, before its
 * deny-all. The library's allow rules stay in FIRST_PRIORITY..USER_BAND_FIRST - 1.
 */
export const USER_BAND_FIRST = 4000;
/** The most slots an NSG can have: every allow priority stays below the user's band. */
export const MAX_SLOTS = Math.floor((USER_BAND_FIRST - FIRST_PRIORITY) / SLOT_STRIDE);

/**
 * What an NSG rule is: its direction, the role (or roles) at the other end, its
 * protocol, and whether its flows come from the vendor's guides rather than the
 * document (so that member-to-member rules never join the Primary-to-member ones).
 */
export function slotKey(direction: Direction, peer: string, protocol: Protocol, vendorGuide = false): string {
  return `${direction}|${peer}|${protocol}${vendorGuide ? '|guide' : ''}`;
}

/** The kinds of NSG the library writes: the cluster's (owning the nodes) and each gateway's. */
export interface NsgKind {
  /** The key of the NSG's table in priorities.ts: its holder roles joined by '_'. */
  readonly name: string;
  /** The roles whose NICs the NSG protects. */
  readonly holders: readonly Role[];
  /** Roles at the other end that share rules: the nodes, seen from a gateway. */
  readonly combinedPeers?: readonly Role[];
}

/** The cluster's NSG and one per gateway role. */
export const NSG_KINDS: readonly NsgKind[] = Object.freeze([
  { name: NODE_ROLES.join('_'), holders: NODE_ROLES },
  ...GATEWAY_ROLES.map(role => ({ name: role, holders: [role], combinedPeers: NODE_ROLES })),
]);

/** The other end of a rule as a key: roles combined by the NSG share one. */
export function peerKeyFor(combined: readonly Role[] | undefined): (role: Role) => string {
  return role => combined?.includes(role) ? combined.join('_') : role;
}
