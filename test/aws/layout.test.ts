/**
 * The AWS layout (lib/aws/layout.ts), pure: rules spread over security groups within
 * AWS's quotas, deterministically and stably. No constructs.
 */
import * as fc from 'fast-check';
import { Layout, LayoutOverflow, layoutGroups, LayoutUnit, RuleFamily } from '../../lib/aws/layout';

const unit = (key: string, role: string, order: number, egress: number, extra: Partial<LayoutUnit> = {}): LayoutUnit =>
  ({ key, role, order, pinned: false, family: 'ipv4', weight: 1, rules: { ingress: 0, egress }, ...extra });
const isLayout = (r: Layout | LayoutOverflow): r is Layout => 'placement' in r;

/** Every check a layout must pass: within the quota in each group, direction and family; every rule placed once. */
function checkLayout(units: readonly LayoutUnit[], quota: number, maxGroups: number, layout: Layout): void {
  expect(layout.groups).toBeGreaterThanOrEqual(1);
  expect(layout.groups).toBeLessThanOrEqual(maxGroups);
  const used = new Map<string, number>();
  const spilledRoles = new Set<string>();
  for (const u of units) {
    const pieces = layout.placement.get(u.key)!;
    for (const direction of ['ingress', 'egress'] as const) {
      expect(pieces[direction].reduce((n, [, c]) => n + c, 0)).toBe(u.rules[direction]);
      for (const [group, count] of pieces[direction]) {
        expect(group).toBeLessThan(layout.groups);
        if (u.pinned) expect(group).toBe(0);
        if (group > 0) spilledRoles.add(u.role);
        for (const family of u.family === 'both' ? ['ipv4', 'ipv6'] : [u.family]) {
          const key = `${group}|${direction}|${family}`;
          used.set(key, (used.get(key) ?? 0) + count * u.weight);
        }
      }
    }
  }
  for (const n of used.values()) expect(n).toBeLessThanOrEqual(quota);
  // A spilled role never shares group 0.
  for (const u of units.filter(x => spilledRoles.has(x.role))) {
    for (const direction of ['ingress', 'egress'] as const) expect(layout.placement.get(u.key)![direction].every(([g]) => g > 0)).toBe(true);
  }
}

describe('layoutGroups', () => {
  test('everything that fits stays in one group', () => {
    const units = [unit('PRD', 'PRD', 0, 10, { pinned: true, family: 'both' }), unit('a', 'DVC', 3, 11), unit('b', 'DVC', 3, 11)];
    const layout = layoutGroups(units, 60, 4) as Layout;
    expect(layout.groups).toBe(1);
    checkLayout(units, 60, 4, layout);
  });

  test('a role that does not fit whole spills into overflow groups, first-fit, and never shares group 0', () => {
    const devices = Array.from({ length: 6 }, (_, i) => unit(`d${i}`, 'DVC', 3, 11));
    const units = [unit('MBR', 'MBR', 1, 10, { pinned: true, family: 'both' }), unit('ntp', 'NTP', 5, 1), ...devices];
    const layout = layoutGroups(units, 60, 4) as Layout;
    expect(layout.groups).toBe(3);
    expect(layout.placement.get('ntp')!.egress).toEqual([[0, 1]]);
    // 6 x 11 = 66 rules: 60 in group 1, 6 in group 2; the fifth device straddles.
    expect(devices.map(d => layout.placement.get(d.key)!.egress)).toEqual([[[1, 11]], [[1, 11]], [[1, 11]], [[1, 11]], [[1, 11]], [[1, 5], [2, 6]]]);
    checkLayout(units, 60, 4, layout);
  });

  test('the smallest roles stay in group 0; the largest spills', () => {
    const units = [unit('u1', 'USERW', 2, 30), unit('u2', 'USERW', 2, 30), unit('n1', 'NTP', 5, 20)];
    const layout = layoutGroups(units, 60, 4) as Layout;
    expect(layout.placement.get('n1')!.egress).toEqual([[0, 20]]);
    expect(layout.placement.get('u1')!.egress).toEqual([[1, 30]]);
    expect(layout.placement.get('u2')!.egress).toEqual([[1, 30]]);
  });

  test('group and prefix-list references count in both families, a prefix list by its max entries', () => {
    const units = [unit('pl', 'DVC', 3, 11, { family: 'both', weight: 5 }), unit('v6', 'USERW', 2, 10, { family: 'ipv6' })];
    const layout = layoutGroups(units, 60, 4) as Layout;
    checkLayout(units, 60, 4, layout);
    // 11 rules x 5 entries = 55 in both families: the IPv6 peer's 10 rules cannot join it.
    expect(layout.placement.get('pl')!.egress.map(([g]) => g)).not.toContain(layout.placement.get('v6')!.egress[0][0]);
  });

  test('past maxGroups: the numbers, and how many of the largest role would fit', () => {
    const devices = Array.from({ length: 17 }, (_, i) => unit(`d${i}`, 'DVC', 3, 11));
    const result = layoutGroups([unit('PRD', 'PRD', 0, 31, { pinned: true, family: 'both' }), ...devices], 60, 4);
    expect(result).toEqual({ direction: 'egress', family: 'ipv4', needed: 31 + 187, capacity: 240, largest: { role: 'DVC', units: 17, perUnit: 11, fit: 16 } });
  });

  test('a prefix list larger than a group can hold', () => {
    expect(layoutGroups([unit('pl', 'DVC', 3, 1, { family: 'both', weight: 61 })], 60, 4)).toMatchObject({ needed: 61, capacity: 240 });
  });
});

/** Random units: roles with a few peers each, random families, weights and rule counts. */
const unitsArb = fc.array(fc.record({
  role: fc.constantFrom('USERW', 'DVC', 'NTP', 'DNS', 'BACKUP', 'MIRROR'),
  family: fc.constantFrom<RuleFamily>('ipv4', 'ipv4', 'ipv6', 'both'),
  weight: fc.constantFrom(1, 1, 1, 3),
  ingress: fc.nat(6),
  egress: fc.nat(13),
}), { maxLength: 40 }).map(list => {
  const order = ['PRD', 'MBR', 'USERW', 'DVC', 'DOMUM', 'NTP', 'DNS', 'BACKUP', 'MIRROR'];
  const pinned: LayoutUnit[] = [unit('role:MBR', 'MBR', 1, 10, { pinned: true, family: 'both', rules: { ingress: 10, egress: 10 } }),
    unit('role:DOMUM', 'DOMUM', 4, 2, { pinned: true, family: 'both', rules: { ingress: 2, egress: 2 } })];
  const peers = list.map((u, i) => unit(`peer${i}`, u.role, order.indexOf(u.role), u.egress,
    { family: u.family, weight: u.weight, rules: { ingress: u.ingress, egress: u.egress } }));
  return [...pinned, ...peers.sort((a, b) => a.order - b.order)];
});

describe('property: the layout is within every limit, deterministic and stable', () => {
  test('within the quota per group, direction and family; at most maxGroups; every rule placed once', () => {
    fc.assert(fc.property(unitsArb, fc.integer({ min: 20, max: 100 }), fc.integer({ min: 1, max: 5 }), (units, quota, maxGroups) => {
      const result = layoutGroups(units, quota, maxGroups);
      if (isLayout(result)) {
        checkLayout(units, quota, maxGroups, result);
        expect(layoutGroups(units, quota, maxGroups)).toEqual(result);
      } else {
        expect(result.needed).toBeGreaterThan(0);
        // It overflows only when one group cannot hold everything.
        const total = (dir: 'ingress' | 'egress', fam: string) => units.filter(u => u.family === fam || u.family === 'both')
          .reduce((n, u) => n + u.rules[dir] * u.weight, 0);
        expect(['ingress', 'egress'].some(d => ['ipv4', 'ipv6'].some(f => total(d as any, f) > quota))).toBe(true);
      }
    }), { numRuns: 300 });
  });

  test('a new peer at the end of a spilled role moves no other rule; toggling a role that stays in group 0 moves nothing else', () => {
    const exercised = { spilled: 0, toggled: 0 };
    fc.assert(fc.property(unitsArb, (units) => {
      const before = layoutGroups(units, 30, 10);
      if (!isLayout(before)) return;
      // A new peer at the end of the last spilled role.
      const groupsOf = (l: Layout, u: LayoutUnit) => [...l.placement.get(u.key)!.egress, ...l.placement.get(u.key)!.ingress].map(([g]) => g);
      const spilled = units.filter(u => !u.pinned && groupsOf(before, u).some(g => g > 0));
      const last = spilled[spilled.length - 1];
      const grown = last ? [...units, unit('new', last.role, last.order, 11)] : units;
      const after = layoutGroups(grown, 30, 10);
      if (last && isLayout(after)) {
        exercised.spilled++;
        for (const u of units) expect(after.placement.get(u.key)).toEqual(before.placement.get(u.key));
      }
      // A small integration turned on that fits in group 0 beside the rest.
      const toggled = [...units, unit('syslog', 'SYSLOG', 7, 2)];
      const withIt = layoutGroups(toggled, 30, 10);
      if (isLayout(withIt)) {
        const residency = (l: Layout) => units.map(u => groupsOf(l, u).includes(0));
        if (JSON.stringify(residency(withIt)) === JSON.stringify(residency(before)) && before.groups > 1) {
          exercised.toggled++;
          for (const u of units) expect(withIt.placement.get(u.key)).toEqual(before.placement.get(u.key));
        }
      }
    }), { numRuns: 300 });
    // Both properties were checked on layouts with overflow groups, many times.
    expect(exercised.spilled).toBeGreaterThan(50);
    expect(exercised.toggled).toBeGreaterThan(50);
  });
});
