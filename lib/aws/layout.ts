/**
 * Spreading a role's rules over security groups, within AWS's quotas: at most
 * `quota` rules per group, direction and address family (a rule toward a group or a
 * prefix list counts in both families; a prefix list counts its max entries), and
 * at most `maxGroups` groups per network interface. Pure functions, tested without
 * constructs.
 *
 * The layout, deterministic and stable:
 * - group 0 holds the pinned units (the Segura nodes and gateways, which other rules
 *   reference), then every role that fits in it whole, smallest first;
 * - a role that does not fit whole spills: its rules go, in order, into the first
 *   overflow group (1, 2, ...) with room. A spilled role never shares group 0.
 * So turning an integration on or off moves only its own rules unless it pushes a
 * role in or out of group 0, and a new peer of a spilled role shifts at most a few
 * rules at each overflow group's boundary.
 */
import { Direction } from '../core/rules';

/** The address families a rule counts in. */
export type RuleFamily = 'ipv4' | 'ipv6' | 'both';

/** The rules of one peer (or one pinned reference) on one holder. */
export interface LayoutUnit {
  /** Identifies the unit (the peer). */
  readonly key: string;
  /** The role the unit counts under (residency is decided per role). */
  readonly role: string;
  /** The role's position in the role table (ties and order of spilled rules). */
  readonly order: number;
  /** Always in group 0: the nodes and gateways, referenced by other groups' rules. */
  readonly pinned: boolean;
  /** The families its rules count in. */
  readonly family: RuleFamily;
  /** What each of its rules counts (a prefix list: its max entries). */
  readonly weight: number;
  /** Its rules per direction. */
  readonly rules: Readonly<Record<Direction, number>>;
}

/** Where a unit's rules of one direction go: [group, count] pieces, in order. */
export type Pieces = Array<[group: number, count: number]>;

/** A layout: how many groups, and where each unit's rules go. */
export interface Layout {
  readonly groups: number;
  readonly placement: ReadonlyMap<string, Readonly<Record<Direction, Pieces>>>;
}

/** Why a holder's rules do not fit, with the numbers. */
export interface LayoutOverflow {
  readonly direction: Direction;
  readonly family: 'ipv4' | 'ipv6';
  /** Rules the holder needs in that direction and family. */
  readonly needed: number;
  /** What `maxGroups` groups of `quota` hold. */
  readonly capacity: number;
  /** The role with the most rules there, how many units it has, what one costs, and how many would fit. */
  readonly largest?: { readonly role: string; readonly units: number; readonly perUnit: number; readonly fit: number };
}

const DIRECTIONS: Direction[] = ['ingress', 'egress'];
const FAMILIES = ['ipv4', 'ipv6'] as const;
type Dim = `${Direction}-${'ipv4' | 'ipv6'}`;
const families = (f: RuleFamily) => (f === 'both' ? FAMILIES : [f]);

/** What a unit costs in each dimension. */
function cost(u: LayoutUnit): Map<Dim, number> {
  const out = new Map<Dim, number>();
  for (const d of DIRECTIONS) for (const f of families(u.family)) out.set(`${d}-${f}`, u.rules[d] * u.weight);
  return out;
}

class Room {
  private readonly used = new Map<Dim, number>();
  constructor(private readonly quota: number) {}
  /** How many rules of `weight` in `dims` still fit. */
  public fits(dims: readonly Dim[], weight: number): number {
    return Math.min(...dims.map(d => Math.floor((this.quota - (this.used.get(d) ?? 0)) / weight)));
  }
  public take(dims: readonly Dim[], weight: number, count: number): void {
    for (const d of dims) this.used.set(d, (this.used.get(d) ?? 0) + weight * count);
  }
}

/** Lay out `units` (in their canonical order) over groups of `quota` rules, at most `maxGroups` of them. */
export function layoutGroups(units: readonly LayoutUnit[], quota: number, maxGroups: number): Layout | LayoutOverflow {
  const overflow = tooMany(units, quota, maxGroups);
  if (overflow) return overflow;

  const placement = new Map<string, Record<Direction, Pieces>>();
  const rooms: Room[] = [new Room(quota)];
  const placeWhole = (u: LayoutUnit, group: number) => {
    const pieces = { ingress: [], egress: [] } as Record<Direction, Pieces>;
    for (const d of DIRECTIONS) {
      if (u.rules[d] > 0) {
        rooms[group].take(families(u.family).map(f => `${d}-${f}` as Dim), u.weight, u.rules[d]);
        pieces[d].push([group, u.rules[d]]);
      }
    }
    placement.set(u.key, pieces);
  };
  const fitsWhole = (list: readonly LayoutUnit[]) => {
    const need = new Map<Dim, number>();
    for (const u of list) for (const [d, n] of cost(u)) need.set(d, (need.get(d) ?? 0) + n);
    return [...need].every(([d, n]) => rooms[0].fits([d], 1) >= n);
  };

  // Group 0: the pinned units, then whole roles, smallest first.
  const pinned = units.filter(u => u.pinned);
  if (!fitsWhole(pinned)) return overflowOf(pinned, quota, 1);
  pinned.forEach(u => placeWhole(u, 0));
  const byRole = new Map<string, LayoutUnit[]>();
  for (const u of units.filter(x => !x.pinned)) byRole.set(u.role, [...(byRole.get(u.role) ?? []), u]);
  const total = (list: LayoutUnit[]) => list.reduce((n, u) => n + [...cost(u).values()].reduce((a, b) => a + b, 0), 0);
  const roles = [...byRole.entries()].sort(([, a], [, b]) => total(a) - total(b) || a[0].order - b[0].order);
  const spilled: LayoutUnit[] = [];
  for (const [, list] of roles) {
    if (fitsWhole(list)) list.forEach(u => placeWhole(u, 0));
    else spilled.push(...list);
  }

  // Overflow groups: spilled roles in table order, their rules first-fit.
  spilled.sort((a, b) => a.order - b.order);
  for (const u of spilled) {
    const pieces = { ingress: [], egress: [] } as Record<Direction, Pieces>;
    for (const d of DIRECTIONS) {
      const dims = families(u.family).map(f => `${d}-${f}` as Dim);
      let left = u.rules[d];
      for (let g = 1; left > 0; g++) {
        if (g >= maxGroups) return overflowOf(units, quota, maxGroups, dims[0]);
        rooms[g] ??= new Room(quota);
        const n = Math.min(left, rooms[g].fits(dims, u.weight));
        if (n <= 0) continue;
        rooms[g].take(dims, u.weight, n);
        pieces[d].push([g, n]);
        left -= n;
      }
    }
    placement.set(u.key, pieces);
  }
  return { groups: rooms.length, placement };
}

/** A quick count: more rules in one dimension than `maxGroups` groups hold at all. */
function tooMany(units: readonly LayoutUnit[], quota: number, maxGroups: number): LayoutOverflow | undefined {
  const need = new Map<Dim, number>();
  for (const u of units) {
    if (u.weight > quota) return overflowOf(units, quota, maxGroups);
    for (const [d, n] of cost(u)) need.set(d, (need.get(d) ?? 0) + n);
  }
  return [...need].some(([, n]) => n > quota * maxGroups) ? overflowOf(units, quota, maxGroups) : undefined;
}

/** The numbers of an overflow in `dim` (by default the fullest dimension), and the largest role in it. */
function overflowOf(units: readonly LayoutUnit[], quota: number, groups: number, at?: Dim): LayoutOverflow {
  const need = new Map<Dim, number>();
  for (const u of units) for (const [d, n] of cost(u)) need.set(d, (need.get(d) ?? 0) + n);
  const dim = at ?? [...need].sort(([, a], [, b]) => b - a)[0]?.[0] ?? 'egress-ipv4';
  const needed = need.get(dim) ?? 0;
  const [direction, family] = dim.split('-') as [Direction, 'ipv4' | 'ipv6'];
  const capacity = quota * groups;
  const inDim = (u: LayoutUnit) => cost(u).get(dim) ?? 0;
  const byRole = new Map<string, LayoutUnit[]>();
  for (const u of units.filter(x => inDim(x) > 0 && !x.pinned)) byRole.set(u.role, [...(byRole.get(u.role) ?? []), u]);
  const sum = (list: readonly LayoutUnit[]) => list.reduce((n, u) => n + inDim(u), 0);
  const [role, list] = [...byRole].sort(([, a], [, b]) => sum(b) - sum(a))[0] ?? [];
  if (!role) return { direction, family, needed, capacity };
  const perUnit = Math.max(...list!.map(inDim));
  // What the other units take: room for the largest role's units is what is left, over
  // the overflow groups (a spilled role never shares group 0).
  const others = needed - sum(list!);
  const room = groups > 1 ? quota * (groups - 1) - Math.max(0, others - quota) : quota - others;
  return { direction, family, needed, capacity, largest: { role, units: list!.length, perUnit, fit: Math.max(0, Math.floor(room / perUnit)) } };
}
