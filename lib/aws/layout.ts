/**
 * Spreading a holder's rules over security groups, within AWS's quotas: at most
 * `quota` rules per group, direction and address family (a rule toward a group or a
 * prefix list counts in both families; a prefix list counts its max entries), and
 * at most `maxGroups` groups per network interface. Pure functions, tested without
 * constructs.
 *
 * Each direction is laid out on its own (a rule counts in one direction only), in
 * up to three stages; the first that places every rule wins:
 *
 * 1. Stable. Group 0 takes the references to the Segura nodes and gateways, then
 *    every role that fits in it whole, smallest first ("resident" roles). The other
 *    roles spill: their rules, in the role table's order, each role's peers in the
 *    order the user lists them, go first-fit into groups 1, 2, ..., maxGroups - 1,
 *    and only then into group 0's spare room. Appending a peer adds rules at the
 *    end of its role's run; toggling a resident role changes group 0 only.
 * 2. Packed. The same residents; the spilled rules placed largest first (a rule
 *    counting in both families before one counting in one), first-fit in the same
 *    group order. With rules of weight 1 this places every rule whenever the count
 *    per family fits `quota x maxGroups`.
 * 3. Decreasing. Every rule, largest first, first-fit over groups 0, 1, ...: plain
 *    first-fit decreasing, so that nothing it packs is refused.
 *
 * What may move when a configuration changes is the README's stability contract.
 *
 * With the previous placement (`previous`, read from a layout file), a direction is
 * first laid out from it ("recorded"): every recorded rule that still exists (matched
 * by its unit's key and its identity in the unit, never its index) stays in its group;
 * the new rules go first-fit, largest first, into the free room of groups 0, 1, ...,
 * except that a new rule replacing a gone rule of its peer that covered some of its
 * traffic (the same protocol, overlapping ports: `tcp:22` where `tcp:22-23` was, once
 * Telnet is off) first tries that rule's group (while the others still fit).
 * Only when that cannot hold the configuration (a record beyond `maxGroups`, recorded
 * rules over `quota`, new rules without room) is the direction laid out by the stages
 * above, and the layout reports every recorded rule that moved.
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
  /** The role's position in the role table (the order of spilled roles). */
  readonly order: number;
  /** The peer's position in its role's list as the user gave it: appended peers come last. */
  readonly rank: number;
  /** A reference to a node's or gateway's group: placed first, in group 0 while it has room. */
  readonly pinned: boolean;
  /** The families its rules count in. */
  readonly family: RuleFamily;
  /** What each of its rules counts (a prefix list: its max entries). */
  readonly weight: number;
  /** Its rules per direction. */
  readonly rules: Readonly<Record<Direction, number>>;
  /**
   * Each rule's identity within the unit (protocol and ports), per direction, in the
   * unit's rule order: what a recorded placement matches. Default: the rule's index.
   */
  readonly ids?: Readonly<Record<Direction, readonly string[]>>;
  /**
   * The keys of recorded peers this one replaces (a wider prefix that absorbed them):
   * with a previous placement, a new rule of this unit first tries the group of a gone
   * rule of theirs that covered some of its traffic, as it does for its own.
   */
  readonly covers?: readonly string[];
}

/** A rule's key in a recorded placement: its unit's key, a space, its identity in the unit (which has no space). */
export const ruleKey = (unitKey: string, ruleId: string): string => `${unitKey} ${ruleId}`;

/** Where each rule went, per direction: `ruleKey(unit, rule)` -> group index. */
export type RecordedPlacement = Readonly<Record<Direction, ReadonlyMap<string, number>>>;

/** A recorded rule that a layout puts in another group. */
export interface LayoutMove {
  readonly direction: Direction;
  /** The unit's key (the peer). */
  readonly key: string;
  /** The rule's identity in the unit. */
  readonly rule: string;
  /** The recorded group, and the new one. */
  readonly from: number;
  readonly to: number;
}

/**
 * Why a direction's recorded placement could not hold the configuration: a record
 * names a group at or past `maxGroups`; a group's recorded rules count more than the
 * quota in a family (the quota was lowered, a prefix list grew); the new rules find no
 * room beside the recorded ones.
 */
export type LayoutFallback =
  | { readonly reason: 'beyond'; readonly group: number; readonly maxGroups: number }
  | { readonly reason: 'over'; readonly group: number; readonly family: 'ipv4' | 'ipv6'; readonly count: number; readonly quota: number }
  | { readonly reason: 'room'; readonly rules: number };

/** Where a unit's rules of one direction go, in the unit's rule order: [group, count] runs. */
export type Pieces = Array<[group: number, count: number]>;

/** Which stage laid out a direction (see the file's comment): `recorded` kept the previous placement. */
export type LayoutStage = 'recorded' | 'stable' | 'packed' | 'decreasing';

/** A layout: how many groups, and where each unit's rules go. */
export interface Layout {
  readonly groups: number;
  readonly placement: ReadonlyMap<string, Readonly<Record<Direction, Pieces>>>;
  /** The stage that placed each direction. */
  readonly stage: Readonly<Record<Direction, LayoutStage>>;
  /** The roles that spill in each direction (not whole in group 0), in table order (none listed for a recorded direction). */
  readonly spilled: Readonly<Record<Direction, readonly string[]>>;
  /** The recorded rules this layout puts in another group: none without `previous`, none for a recorded direction. */
  readonly moved: readonly LayoutMove[];
  /** The directions whose recorded placement could not hold the configuration, and why. */
  readonly fallback: Readonly<Partial<Record<Direction, LayoutFallback>>>;
}

/** Why a holder's rules do not fit, with the numbers. */
export interface LayoutOverflow {
  readonly direction: Direction;
  readonly family: 'ipv4' | 'ipv6';
  /** Rules the holder needs in that direction and family (a prefix list counts its max entries). */
  readonly needed: number;
  /** What `maxGroups` groups of `quota` hold. */
  readonly capacity: number;
  /** The count fits the capacity, but the weighted rules do not pack (first-fit decreasing fails). */
  readonly unpacked: boolean;
  /** What the heaviest rule there counts. */
  readonly heaviest: number;
  /**
   * The role with the most rules there: its peers, what one costs at most, and how
   * many of its peers (the first ones, in the user's order) fit beside every other rule.
   */
  readonly largest?: {
    readonly role: string;
    readonly units: number;
    readonly perUnit: number;
    readonly fit: number;
    /** The role's peers there, in the user's order. */
    readonly keys: readonly string[];
  };
}

const DIRECTIONS: readonly Direction[] = ['ingress', 'egress'];
const FAMILY_NAMES = ['ipv4', 'ipv6'] as const;
/** Family indices a unit's rules count in. */
const famsOf = (f: RuleFamily): readonly number[] => (f === 'both' ? [0, 1] : f === 'ipv4' ? [0] : [1]);

/** One rule to place. `seq` is its position in the canonical order of its direction; `rule` its `ruleKey`. */
interface Item {
  readonly unit: number;
  readonly weight: number;
  readonly fams: readonly number[];
  readonly seq: number;
  readonly pinned: boolean;
  readonly rule: string;
}

/** Rules used per group and family. */
class Rooms {
  private readonly used: number[][];
  constructor(private readonly quota: number, groups: number, from?: Rooms) {
    this.used = from ? from.used.map(g => [...g]) : Array.from({ length: groups }, () => [0, 0]);
  }
  public fits(g: number, it: Item): boolean {
    return it.fams.every(f => this.used[g][f] + it.weight <= this.quota);
  }
  public take(g: number, it: Item): void {
    for (const f of it.fams) this.used[g][f] += it.weight;
  }
  /** The first group and family over the quota, if any. */
  public over(): { group: number; family: number; count: number } | undefined {
    for (const [group, fams] of this.used.entries()) {
      for (const [family, count] of fams.entries()) if (count > this.quota) return { group, family, count };
    }
    return undefined;
  }
  public fitsAll(g: number, items: readonly Item[]): boolean {
    const need = [0, 0];
    for (const it of items) for (const f of it.fams) need[f] += it.weight;
    return need.every((n, f) => this.used[g][f] + n <= this.quota);
  }
}

/**
 * Largest first; a rule counting in both families before one counting in one; then the
 * canonical order (every list sorted with it is in that order already, and the sort is stable).
 */
const decreasing = (a: Item, b: Item) => b.weight - a.weight || b.fams.length - a.fams.length;

/** First-fit of `items` over `order` (group indices); false when one does not fit. */
function firstFit(items: readonly Item[], order: readonly number[], rooms: Rooms, where: number[]): boolean {
  for (const it of items) {
    const g = order.find(x => rooms.fits(x, it));
    if (g === undefined) return false;
    rooms.take(g, it);
    where[it.seq] = g;
  }
  return true;
}

/** The canonical order of units: pinned first, then by role (table order) and the user's order. */
function canonical(units: readonly LayoutUnit[]): LayoutUnit[] {
  return [...units].sort((a, b) => Number(b.pinned) - Number(a.pinned) || a.order - b.order || a.rank - b.rank
    || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function itemsOf(units: readonly LayoutUnit[], d: Direction): Item[] {
  const items: Item[] = [];
  units.forEach((u, unit) => {
    for (let i = 0; i < u.rules[d]; i++) {
      items.push({ unit, weight: u.weight, fams: famsOf(u.family), seq: items.length, pinned: u.pinned, rule: ruleKey(u.key, u.ids?.[d][i] ?? `#${i}`) });
    }
  });
  return items;
}

interface Placed { readonly where: number[]; readonly stage: LayoutStage; readonly spilled: string[] }

/** Lay out one direction's items (of canonically ordered `units`); undefined when no stage places them all. */
function placeDirection(units: readonly LayoutUnit[], items: readonly Item[], quota: number, maxGroups: number): Placed | undefined {
  const where = new Array<number>(items.length).fill(-1);
  const rooms = new Rooms(quota, maxGroups);
  // Group 0: the pinned references while they fit, then whole roles, smallest first.
  const front: Item[] = [];
  for (const it of items.filter(x => x.pinned)) {
    if (rooms.fits(0, it)) { rooms.take(0, it); where[it.seq] = 0; } else {front.push(it);}
  }
  const byRole = new Map<string, Item[]>();
  for (const it of items.filter(x => !x.pinned)) {
    const role = units[it.unit].role;
    if (!byRole.has(role)) byRole.set(role, []);
    byRole.get(role)!.push(it);
  }
  const cost = (list: readonly Item[]) => list.reduce((n, it) => n + it.weight * it.fams.length, 0);
  const roleOrder = (role: string) => units[byRole.get(role)![0].unit].order;
  const roles = [...byRole.keys()].sort((a, b) => cost(byRole.get(a)!) - cost(byRole.get(b)!) || roleOrder(a) - roleOrder(b) || (a < b ? -1 : 1));
  const spilled = new Set<string>();
  for (const role of roles) {
    const list = byRole.get(role)!;
    if (rooms.fitsAll(0, list)) for (const it of list) { rooms.take(0, it); where[it.seq] = 0; } else spilled.add(role);
  }
  const spilledRoles = roles.filter(r => spilled.has(r)).sort((a, b) => roleOrder(a) - roleOrder(b) || (a < b ? -1 : 1));
  const sequence = [...front, ...items.filter(it => !it.pinned && spilled.has(units[it.unit].role))];
  // The overflow groups first, group 0's spare room last.
  const overflowFirst = [...Array.from({ length: maxGroups - 1 }, (_, i) => i + 1), 0];

  const stable = [...where];
  if (firstFit(sequence, overflowFirst, new Rooms(quota, maxGroups, rooms), stable)) return { where: stable, stage: 'stable', spilled: spilledRoles };
  const packed = [...where];
  if (firstFit([...sequence].sort(decreasing), overflowFirst, new Rooms(quota, maxGroups, rooms), packed)) return { where: packed, stage: 'packed', spilled: spilledRoles };
  const plain = new Array<number>(items.length).fill(-1);
  if (firstFit([...items].sort(decreasing), Array.from({ length: maxGroups }, (_, i) => i), new Rooms(quota, maxGroups), plain)) {
    const notWhole = new Set(items.filter(it => plain[it.seq] !== 0).map(it => units[it.unit].role));
    return { where: plain, stage: 'decreasing', spilled: [...new Set(units.filter(u => !u.pinned && notWhole.has(u.role)).map(u => u.role))] };
  }
  return undefined;
}

/** Rules needed per direction and family: `need[d][family]`. */
function needs(units: readonly LayoutUnit[]): Record<Direction, number[]> {
  const need = { ingress: [0, 0], egress: [0, 0] };
  for (const u of units) for (const d of DIRECTIONS) for (const f of famsOf(u.family)) need[d][f] += u.rules[d] * u.weight;
  return need;
}

/**
 * Lay out one direction from its recorded placement: every recorded rule in its group,
 * the new rules first-fit, largest first, into the free room of groups 0, 1, ...; or why not.
 */
function placeRecorded(units: readonly LayoutUnit[], items: readonly Item[], quota: number, maxGroups: number,
  recorded: ReadonlyMap<string, number>): number[] | LayoutFallback {
  const where = new Array<number>(items.length).fill(-1);
  const rooms = new Rooms(quota, maxGroups);
  const fresh: Item[] = [];
  for (const it of items) {
    const g = recorded.get(it.rule);
    if (g === undefined) { fresh.push(it); continue; }
    if (g >= maxGroups) return { reason: 'beyond', group: g, maxGroups };
    rooms.take(g, it);
    where[it.seq] = g;
  }
  const over = rooms.over();
  if (over) return { reason: 'over', group: over.group, family: FAMILY_NAMES[over.family], count: over.count, quota };
  const all = Array.from({ length: maxGroups }, (_, i) => i);
  // A new rule that replaces a gone one of its peer (tcp:22 for tcp:22-23, once Telnet is off) first tries that one's group.
  const gone = goneByUnit(items, recorded);
  const withSuccessor = new Rooms(quota, maxGroups, rooms);
  const succeeded = [...where];
  const rest: Item[] = [];
  for (const it of [...fresh].sort(decreasing)) {
    const g = predecessorGroups(it.rule, units[it.unit].covers ?? [], gone, maxGroups).find(x => withSuccessor.fits(x, it));
    if (g === undefined) { rest.push(it); continue; }
    withSuccessor.take(g, it);
    succeeded[it.seq] = g;
  }
  if (rest.length < fresh.length && firstFit(rest, all, withSuccessor, succeeded)) return succeeded;
  if (!firstFit([...fresh].sort(decreasing), all, rooms, where)) return { reason: 'room', rules: fresh.length };
  return where;
}

/** Split a rule key into its unit's key and the rule's identity (`protocol:ports`, which has no space). */
export const splitRule = (rule: string): [unit: string, id: string] => [rule.slice(0, rule.lastIndexOf(' ')), rule.slice(rule.lastIndexOf(' ') + 1)];

/** The recorded rules no rule of `items` matches, by their unit's key: identity -> recorded group. */
function goneByUnit(items: readonly Item[], recorded: ReadonlyMap<string, number>): Map<string, Array<[id: string, group: number]>> {
  const present = new Set(items.map(it => it.rule));
  const out = new Map<string, Array<[string, number]>>();
  for (const [rule, g] of recorded) {
    if (present.has(rule)) continue;
    const [unit, id] = splitRule(rule);
    out.set(unit, [...(out.get(unit) ?? []), [id, g]]);
  }
  return out;
}

/**
 * The groups of the gone rules of `rule`'s unit, and of the units it `covers`, that
 * cover some of its traffic (the same protocol, overlapping ports or flows), in order.
 */
function predecessorGroups(rule: string, covers: readonly string[], gone: ReadonlyMap<string, ReadonlyArray<[string, number]>>,
  maxGroups: number): number[] {
  const [unit, id] = splitRule(rule);
  const groups = [unit, ...covers].flatMap(u => gone.get(u) ?? []).filter(([old, g]) => g < maxGroups && overlaps(old, id)).map(([, g]) => g);
  return [...new Set(groups)].sort((a, b) => a - b);
}

/**
 * Whether two rule identities of one peer cover common traffic: the same protocol and
 * overlapping port ranges (`tcp:22-23`, `tcp:22`), or, for deploy-time ports, a flow in common (`tcp:ROW-A,ROW-B`).
 */
export function overlaps(a: string, b: string): boolean {
  const [pa, ra] = [a.slice(0, a.indexOf(':')), a.slice(a.indexOf(':') + 1)];
  const [pb, rb] = [b.slice(0, b.indexOf(':')), b.slice(b.indexOf(':') + 1)];
  if (pa !== pb) return false;
  const range = (r: string) => /^(-?\d+)(?:-(-?\d+))?$/.exec(r);
  const [x, y] = [range(ra), range(rb)];
  if (x && y) {
    const [xf, xt, yf, yt] = [Number(x[1]), Number(x[2] ?? x[1]), Number(y[1]), Number(y[2] ?? y[1])];
    return xf <= yt && yf <= xt;
  }
  if (x || y) return false;
  const flows = new Set(ra.split(','));
  return rb.split(',').some(f => flows.has(f));
}

interface DirectionLayout extends Placed { readonly moved: LayoutMove[]; readonly fallback?: LayoutFallback }

/** Lay out one direction: from the record when there is one and it holds, else by the stages; undefined when nothing places it. */
function layoutDirection(units: readonly LayoutUnit[], d: Direction, items: readonly Item[], quota: number, maxGroups: number,
  recorded?: ReadonlyMap<string, number>): DirectionLayout | undefined {
  const kept = recorded && placeRecorded(units, items, quota, maxGroups, recorded);
  if (Array.isArray(kept)) return { where: kept, stage: 'recorded', spilled: [], moved: [] };
  const placed = placeDirection(units, items, quota, maxGroups);
  if (!placed || !recorded) return placed && { ...placed, moved: [] };
  const moved: LayoutMove[] = [];
  for (const it of items) {
    const from = recorded.get(it.rule);
    if (from !== undefined && from !== placed.where[it.seq]) {
      const key = units[it.unit].key;
      moved.push({ direction: d, key, rule: it.rule.slice(key.length + 1), from, to: placed.where[it.seq] });
    }
  }
  return { ...placed, moved, fallback: kept };
}

/** Lay out every direction, or undefined (with the direction that failed) when one does not fit. */
function tryLayout(units: readonly LayoutUnit[], quota: number, maxGroups: number, previous?: RecordedPlacement): Layout | { failed: Direction } {
  const need = needs(units);
  for (const d of DIRECTIONS) if (need[d].some(n => n > quota * maxGroups)) return { failed: d };
  const ordered = canonical(units);
  const placement = new Map<string, Record<Direction, Pieces>>(ordered.map(u => [u.key, { ingress: [], egress: [] }]));
  const stage = {} as Record<Direction, LayoutStage>;
  const spilled = {} as Record<Direction, string[]>;
  const moved: LayoutMove[] = [];
  const fallback: Partial<Record<Direction, LayoutFallback>> = {};
  let groups = 1;
  for (const d of DIRECTIONS) {
    const items = itemsOf(ordered, d);
    const placed = layoutDirection(ordered, d, items, quota, maxGroups, previous?.[d]);
    if (!placed) return { failed: d };
    stage[d] = placed.stage;
    spilled[d] = placed.spilled;
    moved.push(...placed.moved);
    if (placed.fallback) fallback[d] = placed.fallback;
    for (const it of items) {
      const g = placed.where[it.seq];
      groups = Math.max(groups, g + 1);
      const pieces = placement.get(ordered[it.unit].key)![d];
      const last = pieces[pieces.length - 1];
      if (last && last[0] === g) last[1]++; else pieces.push([g, 1]);
    }
  }
  return { groups, placement, stage, spilled, moved, fallback };
}

/**
 * Lay out `units` over groups of `quota` rules, at most `maxGroups` of them; or say why
 * not, with the numbers. With `previous` (where each rule went last time), every
 * recorded rule stays in its group while the record holds the configuration; where it
 * does not, the direction is laid out afresh and the layout lists the rules that moved.
 * It places whatever the layout without `previous` places.
 */
export function layoutGroups(units: readonly LayoutUnit[], quota: number, maxGroups: number, previous?: RecordedPlacement): Layout | LayoutOverflow {
  const result = tryLayout(units, quota, maxGroups, previous);
  if ('placement' in result) return result;
  return overflowOf(units, quota, maxGroups, result.failed);
}

/** Where each rule of `units` goes in `layout`, by rule key: the record the next layout reads as `previous`. */
export function recordOf(units: readonly LayoutUnit[], layout: Layout): RecordedPlacement {
  const out = { ingress: new Map<string, number>(), egress: new Map<string, number>() };
  for (const u of units) {
    for (const d of DIRECTIONS) {
      let i = 0;
      for (const [g, n] of layout.placement.get(u.key)![d]) for (let k = 0; k < n; k++, i++) out[d].set(ruleKey(u.key, u.ids?.[d][i] ?? `#${i}`), g);
    }
  }
  return out;
}

/** The numbers of an overflow in direction `d`: the fullest family, and the largest role there. */
function overflowOf(units: readonly LayoutUnit[], quota: number, maxGroups: number, d: Direction): LayoutOverflow {
  const need = needs(units)[d];
  const f = need[1] > need[0] ? 1 : 0;
  const capacity = quota * maxGroups;
  const inDim = (u: LayoutUnit) => (famsOf(u.family).includes(f) ? u.rules[d] * u.weight : 0);
  const heaviest = Math.max(0, ...units.filter(u => inDim(u) > 0).map(u => u.weight));
  const base = { direction: d, family: FAMILY_NAMES[f], needed: need[f], capacity, unpacked: need[f] <= capacity, heaviest };
  const byRole = new Map<string, LayoutUnit[]>();
  for (const u of units.filter(x => inDim(x) > 0 && !x.pinned)) {
    if (!byRole.has(u.role)) byRole.set(u.role, []);
    byRole.get(u.role)!.push(u);
  }
  const sum = (list: readonly LayoutUnit[]) => list.reduce((n, u) => n + inDim(u), 0);
  const largest = [...byRole].sort(([ra, a], [rb, b]) => sum(b) - sum(a) || (ra < rb ? -1 : 1))[0];
  if (!largest) return base;
  const [role, list] = largest;
  const keys = canonical(list).map(u => u.key);
  const fit = firstThatFit([units], keys, quota, maxGroups);
  return { ...base, largest: { role, units: list.length, perUnit: Math.max(...list.map(inDim)), fit, keys } };
}

/**
 * How many of `keys` (a role's peers, in the user's order) fit, the first ones, on
 * every holder at once (each holder's units; the other units all kept): asked of
 * the layout itself, by bisection. The first `fit` fit (or `fit` is 0); one more do not.
 */
export function firstThatFit(holders: ReadonlyArray<readonly LayoutUnit[]>, keys: readonly string[], quota: number, maxGroups: number): number {
  const position = new Map(keys.map((k, i) => [k, i]));
  const fits = (k: number) => holders.every(units => 'placement' in tryLayout(units.filter(u => (position.get(u.key) ?? -1) < k), quota, maxGroups));
  let fit = 0;
  let hi = keys.length;
  while (hi - fit > 1) {
    const mid = Math.floor((fit + hi) / 2);
    if (fits(mid)) fit = mid; else hi = mid;
  }
  return fit;
}
