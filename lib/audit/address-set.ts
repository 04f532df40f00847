/**
 * Sets of addresses for the audit: IPv4 and IPv6 ranges, plus named sets whose
 * addresses are unknown (a security group no role wears, a service tag), which
 * match no configured address. A named set has a key (what compares: Azure's tag and
 * ASG names compare without case) and a label (how reports write it). Pure values,
 * tested without clouds.
 */
import { AddressFamily, formatPrefix, parseCidr, Prefix } from '../core/cidr';

/** An inclusive range of addresses of one family, as numbers. */
interface Range {
  readonly lo: bigint;
  readonly hi: bigint;
}

const BITS: Record<AddressFamily, bigint> = { ipv4: 32n, ipv6: 128n };
const FAMILIES: readonly AddressFamily[] = ['ipv4', 'ipv6'];

const rangeOf = (p: Prefix): Range => {
  const size = 2n ** (BITS[p.family] - BigInt(p.length));
  return { lo: p.network, hi: p.network + size - 1n };
};

/** Sorted, disjoint, non-adjacent ranges from any ranges. */
function normalize(ranges: readonly Range[]): Range[] {
  // By start (the sign of the difference: Number keeps it, the difference is never NaN or infinite).
  const sorted = [...ranges].sort((a, b) => Number(a.lo - b.lo));
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.lo <= last.hi + 1n) {
      if (r.hi > last.hi) out[out.length - 1] = { lo: last.lo, hi: r.hi };
    } else {
      out.push(r);
    }
  }
  return out;
}

function subtract(a: readonly Range[], b: readonly Range[]): Range[] {
  const out: Range[] = [];
  let j = 0;
  for (const r of a) {
    let lo = r.lo;
    while (j < b.length && b[j].hi < lo) j++;
    let k = j;
    while (k < b.length && b[k].lo <= r.hi) {
      if (b[k].lo > lo) out.push({ lo, hi: b[k].lo - 1n });
      lo = b[k].hi + 1n;
      k++;
    }
    if (lo <= r.hi) out.push({ lo, hi: r.hi });
  }
  return out;
}

function intersect(a: readonly Range[], b: readonly Range[]): Range[] {
  const out: Range[] = [];
  let i = 0; let j = 0;
  while (i < a.length && j < b.length) {
    const lo = a[i].lo > b[j].lo ? a[i].lo : b[j].lo;
    const hi = a[i].hi < b[j].hi ? a[i].hi : b[j].hi;
    if (lo <= hi) out.push({ lo, hi });
    if (a[i].hi < b[j].hi) i++; else j++;
  }
  return out;
}

/** The largest prefixes that exactly cover a range. */
function prefixesOf(family: AddressFamily, r: Range): Prefix[] {
  const out: Prefix[] = [];
  let lo = r.lo;
  while (lo <= r.hi) {
    let length = Number(BITS[family]);
    // Grow the block while it stays aligned and inside the range.
    while (length > 0) {
      const size = 2n ** (BITS[family] - BigInt(length - 1));
      if (lo % size !== 0n || lo + size - 1n > r.hi) break;
      length--;
    }
    out.push({ family, network: lo, length });
    lo += 2n ** (BITS[family] - BigInt(length));
  }
  return out;
}

/** An immutable set of addresses. */
export class AddressSet {
  /** No address. */
  public static readonly EMPTY = new AddressSet({ ipv4: [], ipv6: [] }, [], new Map());

  /** Every address of both families. */
  public static readonly ALL = AddressSet.ofPrefixes([
    { family: 'ipv4', network: 0n, length: 0 }, { family: 'ipv6', network: 0n, length: 0 },
  ]);

  /** The addresses of some prefixes. */
  public static ofPrefixes(prefixes: readonly Prefix[]): AddressSet {
    const ranges = { ipv4: [] as Range[], ipv6: [] as Range[] };
    for (const p of prefixes) ranges[p.family].push(rangeOf(p));
    return new AddressSet({ ipv4: normalize(ranges.ipv4), ipv6: normalize(ranges.ipv6) }, [], new Map());
  }

  /** The addresses of valid CIDR strings (as the config's, already checked). */
  public static ofCidrs(cidrs: readonly string[]): AddressSet {
    return AddressSet.ofPrefixes(cidrs.map(c => parseCidr('', c)));
  }

  /**
   * A named set of unknown addresses: it meets no other set but one of the same key.
   * `label` is how reports write it (default: the key).
   */
  public static named(key: string, label: string = key): AddressSet {
    return new AddressSet({ ipv4: [], ipv6: [] }, [key], new Map([[key, label]]));
  }

  private constructor(private readonly ranges: Readonly<Record<AddressFamily, readonly Range[]>>, private readonly names: readonly string[],
    private readonly labels: ReadonlyMap<string, string>) {}

  private withNames(ranges: Readonly<Record<AddressFamily, readonly Range[]>>, names: readonly string[], other?: AddressSet): AddressSet {
    const labels = other && other.labels.size > 0 ? new Map([...other.labels, ...this.labels]) : this.labels;
    return new AddressSet(ranges, names, labels);
  }

  public get isEmpty(): boolean {
    return this.ranges.ipv4.length === 0 && this.ranges.ipv6.length === 0 && this.names.length === 0;
  }

  public union(other: AddressSet): AddressSet {
    if (other.isEmpty) return this;
    if (this.isEmpty) return other;
    return this.withNames({
      ipv4: normalize([...this.ranges.ipv4, ...other.ranges.ipv4]),
      ipv6: normalize([...this.ranges.ipv6, ...other.ranges.ipv6]),
    }, [...new Set([...this.names, ...other.names])].sort(), other);
  }

  public minus(other: AddressSet): AddressSet {
    if (other.isEmpty || this.isEmpty) return this;
    return this.withNames({
      ipv4: subtract(this.ranges.ipv4, other.ranges.ipv4),
      ipv6: subtract(this.ranges.ipv6, other.ranges.ipv6),
    }, this.names.filter(n => !other.names.includes(n)));
  }

  public intersect(other: AddressSet): AddressSet {
    if (other.isEmpty || this.isEmpty) return AddressSet.EMPTY;
    return this.withNames({
      ipv4: intersect(this.ranges.ipv4, other.ranges.ipv4),
      ipv6: intersect(this.ranges.ipv6, other.ranges.ipv6),
    }, this.names.filter(n => other.names.includes(n)));
  }

  public equals(other: AddressSet): boolean {
    return this.key === other.key;
  }

  /** Whether every address of `other` is in this set. */
  public covers(other: AddressSet): boolean {
    return other.minus(this).isEmpty;
  }

  /** A text that two equal sets share. */
  public get key(): string {
    return [...FAMILIES.map(f => this.ranges[f].map(r => `${r.lo}-${r.hi}`).join(',')), this.names.join(',')].join('|');
  }

  /** The labels of its named sets. */
  public get nameLabels(): string[] {
    return this.names.map(n => this.labels.get(n) ?? n);
  }

  /** The set as the fewest canonical CIDRs, then its named sets (by label). */
  public toStrings(): string[] {
    const prefixes = FAMILIES.flatMap(f => this.ranges[f].flatMap(r => prefixesOf(f, r)));
    return [...prefixes.map(formatPrefix), ...this.nameLabels];
  }

  /** For messages: at most `max` entries, then how many more. */
  public describe(max = 4): string {
    const all = this.toStrings();
    return all.length <= max ? all.join(', ') : `${all.slice(0, max).join(', ')} and ${all.length - max} more`;
  }
}
