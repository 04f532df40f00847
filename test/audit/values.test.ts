/* eslint-disable no-bitwise */ // the reference model's address arithmetic is bit arithmetic
/**
 * The audit's values, without clouds: address sets, traffic regions, and the two
 * ways a policy decides (first match, any allow).
 */
import * as fc from 'fast-check';
import { AddressSet } from '../../lib/audit/address-set';
import { prefixAt } from '../../lib/audit/fields';
import { Region } from '../../lib/audit/region';
import { decide, Policy, PolicyRule } from '../../lib/audit/state';
import { cidrInterval, formatIp } from '../support/azure-evaluator';

// A property test over hundreds of random pairs of address sets.
jest.setTimeout(60_000);

const set = (...cidrs: string[]) => AddressSet.ofCidrs(cidrs);

/**
 * The reference for the property test, independent of lib/: prefixes as address
 * intervals (test/support), the address space cut at every prefix's ends into
 * elementary intervals, each in or out of a result by the operation's truth table;
 * the result's maximal runs written as their largest aligned blocks (the unique
 * fewest-prefix spelling), IPv4 first, each family in address order.
 */
function reference(a: readonly string[], b: readonly string[], truth: (inA: boolean, inB: boolean) => boolean): string[] {
  const out: string[] = [];
  for (const family of [4, 6] as const) {
    const of = (list: readonly string[]) => list.map(c => cidrInterval(c)).filter(c => c.family === family).map(c => c.range);
    const [ra, rb] = [of(a), of(b)];
    const bits = family === 4 ? 32n : 128n;
    const cuts = [...new Set([0n, 1n << bits, ...[...ra, ...rb].flatMap(([lo, hi]) => [lo, hi + 1n])])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    const runs: Array<[bigint, bigint]> = [];
    for (let i = 0; i + 1 < cuts.length; i++) {
      const [lo, hi] = [cuts[i], cuts[i + 1] - 1n];
      const holds = (list: ReadonlyArray<readonly [bigint, bigint]>) => list.some(([x, y]) => lo >= x && hi <= y);
      if (!truth(holds(ra), holds(rb))) continue;
      const last = runs[runs.length - 1];
      if (last && last[1] + 1n === lo) last[1] = hi; else runs.push([lo, hi]);
    }
    for (let [lo, hi] of runs) {
      while (lo <= hi) {
        // The largest block aligned at lo (its lowest set bit), halved until it fits.
        let size = lo === 0n ? 1n << bits : lo & -lo;
        while (lo + size - 1n > hi) size /= 2n;
        let length = bits;
        for (let s = size; s > 1n; s /= 2n) length--;
        out.push(`${formatIp(lo, family)}/${length}`);
        lo += size;
      }
    }
  }
  return out;
}

/**
 * Prefixes drawn near each other so that they overlap, nest and touch: within a block
 * of `hostBits` bits at `base`, at one of 256 anchors, /`bits - hostBits` to 12 bits
 * longer, or a host. IPv4 and IPv6, up to 12 a list.
 */
const near = (base: bigint, hostBits: number, bits: number, family: 4 | 6) =>
  fc.tuple(fc.nat(255), fc.oneof(fc.integer({ min: bits - hostBits, max: bits - hostBits + 12 }), fc.constant(bits))).map(([anchor, length]) => {
    const size = 1n << BigInt(bits - length);
    const address = base + (BigInt(anchor) << BigInt(hostBits - 8));
    return `${formatIp(address - (address % size), family)}/${length}`;
  });
const prefixLists = fc.array(fc.oneof(
  { weight: 4, arbitrary: near(0x0a000000n, 16, 32, 4) }, // within 10.0.0.0/16
  { weight: 1, arbitrary: near(0n, 32, 32, 4) }, // anywhere, from 0.0.0.0/0
  { weight: 3, arbitrary: near(0x20010db8n << 96n, 96, 128, 6) }, // within 2001:db8::/32
  { weight: 1, arbitrary: near(0n, 128, 128, 6) }, // anywhere, from ::/0
), { maxLength: 12 });

describe('AddressSet', () => {
  test('the world minus a /8 is the eight prefixes around it, fewest first', () => {
    expect(set('0.0.0.0/0').minus(set('10.0.0.0/8')).toStrings()).toEqual([
      '0.0.0.0/5', '8.0.0.0/7', '11.0.0.0/8', '12.0.0.0/6', '16.0.0.0/4', '32.0.0.0/3', '64.0.0.0/2', '128.0.0.0/1',
    ]);
  });

  test('adjacent prefixes join, families stay apart, named sets meet only themselves', () => {
    expect(set('10.1.0.0/24', '10.1.1.0/24', '2001:db8::/33', '2001:db8:8000::/33').toStrings()).toEqual(['10.1.0.0/23', '2001:db8::/32']);
    const named = AddressSet.named('sg-0abc').union(set('10.0.0.0/8'));
    expect(named.intersect(AddressSet.ALL).toStrings()).toEqual(['10.0.0.0/8']);
    expect(named.intersect(AddressSet.named('sg-0abc')).toStrings()).toEqual(['sg-0abc']);
    expect(named.minus(set('10.0.0.0/8')).toStrings()).toEqual(['sg-0abc']);
    expect(set('10.0.0.0/8').covers(set('10.2.3.4/32'))).toBe(true);
    expect(set('10.0.0.0/8').covers(set('10.2.3.4/32', '11.0.0.0/32'))).toBe(false);
  });

  test('property: union, intersection, difference, equality and cover agree with an independent model, IPv4 and IPv6; one spelling, the fewest prefixes', () => {
    const ops: Array<[string, (a: AddressSet, b: AddressSet) => AddressSet, (x: boolean, y: boolean) => boolean]> = [
      ['union', (a, b) => a.union(b), (x, y) => x || y],
      ['intersect', (a, b) => a.intersect(b), (x, y) => x && y],
      ['minus', (a, b) => a.minus(b), (x, y) => x && !y],
    ];
    let overlapping = 0;
    fc.assert(fc.property(prefixLists, prefixLists, (a, b) => {
      const [sa, sb] = [set(...a), set(...b)];
      for (const [name, op, truth] of ops) expect({ name, result: op(sa, sb).toStrings() }).toEqual({ name, result: reference(a, b, truth) });
      expect(sa.toStrings()).toEqual(reference(a, [], x => x));
      expect(sa.equals(sb)).toBe(JSON.stringify(reference(a, b, (x, y) => x !== y)) === '[]');
      expect(sa.covers(sb)).toBe(JSON.stringify(reference(a, b, (x, y) => y && !x)) === '[]');
      expect(sa.isEmpty).toBe(a.length === 0);
      if (reference(a, b, (x, y) => x && y).length > 0) overlapping++;
    }), { numRuns: 300 });
    // The sets met often enough for the algebra to be exercised, not only disjoint lists.
    expect(overlapping).toBeGreaterThan(100);
  });

  test('equal sets are equal however they are spelled: adjacent and nested prefixes, named sets in any order', () => {
    expect(set('10.0.0.0/25', '10.0.0.128/25').equals(set('10.0.0.0/24'))).toBe(true);
    expect(set('10.0.0.4/31', '10.0.0.5/32').equals(set('10.0.0.4/31'))).toBe(true);
    expect(set('10.0.0.8/29', '10.0.0.0/29', '10.0.0.4/30').equals(set('10.0.0.0/28'))).toBe(true);
    expect(set('10.0.0.0/25', '10.0.0.129/32').equals(set('10.0.0.0/24'))).toBe(false);
    const [a, b] = [AddressSet.named('sg-a'), AddressSet.named('sg-b')];
    expect(a.union(b).equals(b.union(a))).toBe(true);
    expect(b.union(a).toStrings()).toEqual(['sg-a', 'sg-b']);
  });

  test('described for messages: at most four entries, then how many more', () => {
    const six = set('10.0.0.0/32', '10.0.0.2/32', '10.0.0.4/32', '10.0.0.6/32', '10.0.0.8/32', '10.0.0.10/32');
    expect(six.describe()).toBe('10.0.0.0/32, 10.0.0.2/32, 10.0.0.4/32, 10.0.0.6/32 and 2 more');
    expect(set('10.0.0.0/32', '10.0.0.2/32', '10.0.0.4/32', '10.0.0.6/32').describe()).toBe('10.0.0.0/32, 10.0.0.2/32, 10.0.0.4/32, 10.0.0.6/32');
    expect(six.describe(5)).toBe('10.0.0.0/32, 10.0.0.2/32, 10.0.0.4/32, 10.0.0.6/32, 10.0.0.8/32 and 1 more');
  });

  test('exported prefixes: a bare address is a host, host bits are masked as the clouds do, garbage is an error', () => {
    expect(prefixAt('x', '10.30.0.1').toStrings()).toEqual(['10.30.0.1/32']);
    expect(prefixAt('x', '10.30.0.1/24').toStrings()).toEqual(['10.30.0.0/24']);
    expect(prefixAt('x', '2001:DB8::1').toStrings()).toEqual(['2001:db8::1/128']);
    expect(() => prefixAt('x.CidrIp', '10.30.0.256/32')).toThrow('x.CidrIp: "10.30.0.256/32" is not an IPv4 or IPv6 address or prefix');
    expect(() => prefixAt('x', '2001:db8:::1/64')).toThrow('is not an IPv4 or IPv6 address or prefix');
  });
});

describe('Region', () => {
  test('port ranges in any order and overlapping are one region; pieces merge equal neighbours', () => {
    const r = Region.of(['tcp'], [[443, 443], [80, 90], [85, 100], [101, 101]], set('10.0.0.0/8'));
    expect(r.pieces().map(p => `${p.protocol} ${p.lo}-${p.hi} ${p.set.describe()}`)).toEqual(['tcp 80-101 10.0.0.0/8', 'tcp 443-443 10.0.0.0/8']);
  });

  test('minus works per protocol, port and address; all protocols cover ICMP and others', () => {
    const all = Region.of('all', [[0, 65535]], set('0.0.0.0/0'));
    const need = Region.of(['tcp'], [[443, 443]], set('10.10.0.0/16')).union(Region.of(['udp'], [[53, 53]], set('10.0.0.2/32')));
    const rest = all.minus(need);
    expect(rest.at('tcp', 443).covers(set('10.10.0.0/16'))).toBe(false);
    expect(rest.at('tcp', 443).covers(set('10.11.0.0/16'))).toBe(true);
    expect(rest.at('tcp', 444).equals(set('0.0.0.0/0'))).toBe(true);
    expect(rest.at('icmp', 0).equals(set('0.0.0.0/0'))).toBe(true);
    expect(rest.at('other', 0).equals(set('0.0.0.0/0'))).toBe(true);
    expect(need.minus(all).isEmpty).toBe(true);
    expect(rest.minusAddresses(set('0.0.0.0/0')).isEmpty).toBe(true);
  });

  test('no port range: no traffic of a protocol with ports; a port between two ranges holds no address', () => {
    expect(Region.of(['tcp'], [], set('10.0.0.0/8')).isEmpty).toBe(true);
    expect(Region.of(['tcp', 'icmp'], [], set('10.0.0.0/8')).protocols).toEqual(['icmp']);
    const r = Region.of(['tcp'], [[80, 80], [443, 443]], set('10.0.0.0/8'));
    expect([79, 80, 81, 442, 443, 444].map(port => r.at('tcp', port).toStrings())).toEqual([[], ['10.0.0.0/8'], [], [], ['10.0.0.0/8'], []]);
  });

  test('the ports bound the protocols with ports, whatever the protocol list: tcp and udp on 80, ICMP unbounded', () => {
    const r = Region.of('all', [[80, 80]], set('10.0.0.0/8'));
    expect(r.pieces().map(p => `${p.protocol} ${p.lo}-${p.hi}`)).toEqual(['tcp 80-80', 'udp 80-80', 'icmp 0-0', 'other 0-0']);
    expect(r.intersect(Region.of(['tcp'], [[0, 100]], set('10.1.0.0/16'))).pieces().map(p => `${p.protocol} ${p.lo}-${p.hi} ${p.set.describe()}`))
      .toEqual(['tcp 80-80 10.1.0.0/16']);
  });
});

describe('named sets', () => {
  test('compare by key, print by label', () => {
    const a = AddressSet.named('tag:storage', 'Storage');
    const b = AddressSet.named('tag:storage', 'STORAGE');
    expect(a.equals(b)).toBe(true);
    expect(a.minus(b).isEmpty).toBe(true);
    expect(a.union(set('10.0.0.0/8')).toStrings()).toEqual(['10.0.0.0/8', 'Storage']);
  });

  test('a union keeps the labels of both sides: the named set may come second', () => {
    // Addresses first, then the named set by its label (not its key 'tag:storage').
    expect(set('10.0.0.0/8').union(AddressSet.named('tag:storage', 'Storage')).toStrings()).toEqual(['10.0.0.0/8', 'Storage']);
    expect(set('10.0.0.0/8').union(AddressSet.named('asg:web', 'Web')).union(AddressSet.named('tag:storage', 'Storage')).toStrings())
      .toEqual(['10.0.0.0/8', 'Web', 'Storage']);
  });

  test('a set emptied of a name does not relabel it: the union with a set that holds the name prints that set\'s label', () => {
    const gone = AddressSet.named('tag:storage', 'Storage').minus(AddressSet.named('tag:storage', 'STORAGE'));
    expect(gone.isEmpty).toBe(true);
    // The only set that holds tag:storage spells it STORAGE.
    expect(gone.union(AddressSet.named('tag:storage', 'STORAGE')).toStrings()).toEqual(['STORAGE']);
  });
});

describe('decide', () => {
  const rule = (name: string, allow: boolean, cidr: string, port: number): PolicyRule => ({
    name, peer: cidr, other: set(cidr), allow, allProtocols: false, allTraffic: false, region: Region.of(['tcp'], [[port, port]], set(cidr)), isDefault: false,
  });
  const rules = [rule('deny-10.1', false, '10.1.0.0/16', 22), rule('allow-10', true, '10.0.0.0/8', 22)];

  test('first match: a Deny above an Allow takes its part, and is named', () => {
    const policy: Policy = { name: 'NSG x', order: 'first-match', rules, maybe: [] };
    expect(decide(policy, set('10.0.0.0/14'), 'tcp', 22)).toEqual({
      allowed: set('10.0.0.0/16', '10.2.0.0/15'), deniedBy: ['deny-10.1'],
    });
    expect(decide(policy, set('10.0.0.0/14'), 'tcp', 23)).toEqual({ allowed: AddressSet.EMPTY, deniedBy: [] });
  });

  test('any: security groups have no Deny; any allow rule lets traffic through', () => {
    const policy: Policy = { name: 'sg-1', order: 'any', rules: [rule('allow-10.1', true, '10.1.0.0/16', 22), rule('allow-11', true, '11.0.0.0/8', 22)], maybe: [] };
    expect(decide(policy, set('10.0.0.0/8'), 'tcp', 22).allowed.toStrings()).toEqual(['10.1.0.0/16']);
  });
});
