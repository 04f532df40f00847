/**
 * Traffic regions for the audit: for each protocol, port ranges each with the set of
 * addresses at the other end. A rule allows a region; the plan needs one; what a rule
 * allows beyond the plan is a difference of regions. Pure values.
 */
import { AddressSet } from './address-set';

/** The protocols the audit tells apart; `other` is any protocol but these (ESP, AH, GRE, ...). */
export type Proto = 'tcp' | 'udp' | 'icmp' | 'other';
const PROTOS: readonly Proto[] = ['tcp', 'udp', 'icmp', 'other'];

/** Whether a protocol has ports. */
export const hasPorts = (p: Proto) => p === 'tcp' || p === 'udp';

/** Ports `lo`-`hi` (for a protocol without ports: 0-0) with the addresses at the other end. */
export interface Segment {
  readonly lo: number;
  readonly hi: number;
  readonly set: AddressSet;
}

/** A piece of a region, for reports. */
export interface Piece extends Segment {
  readonly protocol: Proto;
}

/** Every port. */
export const ALL_PORTS: readonly [number, number] = [0, 65535];

/** Combine two segment lists over their common boundaries. */
function combine(a: readonly Segment[], b: readonly Segment[], op: (x: AddressSet, y: AddressSet) => AddressSet): Segment[] {
  const cuts = [...new Set([...a, ...b].flatMap(s => [s.lo, s.hi + 1]))].sort((x, y) => x - y);
  const out: Segment[] = [];
  let i = 0; let j = 0;
  for (let c = 0; c + 1 < cuts.length; c++) {
    const lo = cuts[c]; const hi = cuts[c + 1] - 1;
    while (i < a.length && a[i].hi < lo) i++;
    while (j < b.length && b[j].hi < lo) j++;
    const x = i < a.length && a[i].lo <= lo ? a[i].set : AddressSet.EMPTY;
    const y = j < b.length && b[j].lo <= lo ? b[j].set : AddressSet.EMPTY;
    const set = op(x, y);
    if (set.isEmpty) continue;
    const last = out[out.length - 1];
    if (last && last.hi + 1 === lo && last.set.equals(set)) out[out.length - 1] = { lo: last.lo, hi, set };
    else out.push({ lo, hi, set });
  }
  return out;
}

/** An immutable traffic region. */
export class Region {
  public static readonly EMPTY = new Region(new Map());

  /**
   * The region of a rule: `protocols` ('all': every one), the port ranges (they bound
   * the protocols with ports, tcp and udp; the others have none), and the addresses at
   * the other end. Which protocols a rule names, and whether its ports apply, is each
   * cloud's rule: the matchers decide (AWS: `-1` is every port whatever the range;
   * Azure: `*` is every protocol on the rule's ports).
   */
  public static of(protocols: readonly Proto[] | 'all', ports: ReadonlyArray<readonly [number, number]>, set: AddressSet): Region {
    if (set.isEmpty) return Region.EMPTY;
    const map = new Map<Proto, Segment[]>();
    for (const p of protocols === 'all' ? PROTOS : protocols) {
      const ranges = hasPorts(p) ? ports : [[0, 0] as const];
      // Ranges in any order, overlapping or not: each folded in by combine, which cuts and merges them in port order.
      const segments = ranges.reduce<Segment[]>((acc, [lo, hi]) => combine(acc, [{ lo, hi, set }], (x, y) => x.union(y)), []);
      if (segments.length > 0) map.set(p, segments);
    }
    return new Region(map);
  }

  private constructor(private readonly segments: ReadonlyMap<Proto, readonly Segment[]>) {}

  public get isEmpty(): boolean {
    return this.segments.size === 0;
  }

  private zip(other: Region, op: (x: AddressSet, y: AddressSet) => AddressSet, protos: Iterable<Proto>): Region {
    const map = new Map<Proto, Segment[]>();
    for (const p of protos) {
      const out = combine(this.segments.get(p) ?? [], other.segments.get(p) ?? [], op);
      if (out.length > 0) map.set(p, out);
    }
    return new Region(map);
  }

  public union(other: Region): Region {
    if (other.isEmpty) return this;
    if (this.isEmpty) return other;
    return this.zip(other, (x, y) => x.union(y), new Set([...this.segments.keys(), ...other.segments.keys()]));
  }

  public intersect(other: Region): Region {
    if (other.isEmpty || this.isEmpty) return Region.EMPTY;
    // A protocol the other lacks meets nothing there: its pieces are empty, and dropped.
    return this.zip(other, (x, y) => x.intersect(y), this.segments.keys());
  }

  public minus(other: Region): Region {
    if (other.isEmpty || this.isEmpty) return this;
    return this.zip(other, (x, y) => x.minus(y), this.segments.keys());
  }

  /** The region without the addresses of `set` (at every protocol and port). */
  public minusAddresses(set: AddressSet): Region {
    if (set.isEmpty) return this;
    const map = new Map<Proto, Segment[]>();
    for (const [p, list] of this.segments) {
      const out = combine(list, [], x => x.minus(set));
      if (out.length > 0) map.set(p, out);
    }
    return new Region(map);
  }

  /** The region's pieces: per protocol, ports in order, adjacent ports with the same addresses merged. */
  public pieces(): Piece[] {
    return PROTOS.flatMap(protocol => (this.segments.get(protocol) ?? []).map(s => ({ protocol, ...s })));
  }

  /** The protocols the region holds. */
  public get protocols(): Proto[] {
    return PROTOS.filter(p => this.segments.has(p));
  }

  /** The addresses at a protocol and port (none when outside the region). */
  public at(protocol: Proto, port: number): AddressSet {
    const s = (this.segments.get(protocol) ?? []).find(x => x.lo <= (hasPorts(protocol) ? port : 0) && (hasPorts(protocol) ? port : 0) <= x.hi);
    return s?.set ?? AddressSet.EMPTY;
  }
}
