/**
 * The AWS layout with its previous placement (lib/aws/layout.ts, `previous`; the
 * construct option `layoutFile`), pure: recorded rules stay where they were, new rules
 * take the free room, and only when the record cannot hold the configuration is the
 * direction laid out afresh, with every moved rule reported. Exact placements, worked
 * out by hand in the comments. No constructs.
 */
import { Layout, LayoutOverflow, layoutGroups, LayoutUnit, overlaps, RecordedPlacement, recordOf, splitRule } from '../../lib/aws/layout';

/** A peer with one outbound rule (`tcp:443`), of weight 1, IPv4. */
const peer = (role: string, order: number, i: number, extra: Partial<LayoutUnit> = {}): LayoutUnit => ({
  ...{ key: `${role}${i}`, role, order, rank: i, pinned: false, family: 'ipv4', weight: 1 } as const,
  ...{ rules: { ingress: 0, egress: 1 }, ids: { ingress: [], egress: ['tcp:443'] } },
  ...extra,
});
const peers = (role: string, order: number, n: number, from = 0) => Array.from({ length: n }, (_, i) => peer(role, order, from + i));
const isLayout = (r: Layout | LayoutOverflow): r is Layout => 'placement' in r;

/** Each outbound rule's group, by `unit rule` (the test's own reading of the pieces). */
function groupsOf(layout: Layout | LayoutOverflow, units: readonly LayoutUnit[]): Record<string, number> {
  if (!isLayout(layout)) throw new Error(`does not fit: ${JSON.stringify(layout)}`);
  const out: Record<string, number> = {};
  for (const u of units) {
    let i = 0;
    for (const [g, n] of layout.placement.get(u.key)!.egress) for (let k = 0; k < n; k++) out[`${u.key} ${u.ids!.egress[i++]}`] = g;
  }
  return out;
}

/** A record of outbound rules (`unit rule` -> group), nothing inbound. */
const recorded = (egress: Record<string, number>): RecordedPlacement => ({ ingress: new Map(), egress: new Map(Object.entries(egress)) });
/** `{ 'A0 tcp:443': 1, ... }` from `{ A0: 1, ... }`. */
const https = (groups: Record<string, number>) => Object.fromEntries(Object.entries(groups).map(([k, g]) => [`${k} tcp:443`, g]));

// Quota 5, 4 groups; roles A, B, C (table order) of 6 peers: none fits group 0 whole, all spill.
// Stateless: A0-A4 | A5 B0-B3 | B4 B5 C0-C2 into groups 1, 2, 3; C3-C5 into group 0's spare room (2 free).
const ABC = [...peers('A', 0, 6), ...peers('B', 1, 6), ...peers('C', 2, 6)];
const L0 = https({
  A0: 1, A1: 1, A2: 1, A3: 1, A4: 1, A5: 2, B0: 2, B1: 2, B2: 2, B3: 2, B4: 3, B5: 3, C0: 3, C1: 3, C2: 3, C3: 0, C4: 0, C5: 0,
});

describe('layoutGroups with the previous placement', () => {
  test('without it: today\'s layout, nothing moved, no fallback; recordOf reads it back', () => {
    const layout = layoutGroups(ABC, 5, 4) as Layout;
    expect(groupsOf(layout, ABC)).toEqual(L0);
    expect(layout.stage.egress).toBe('stable');
    expect([layout.moved, layout.fallback]).toEqual([[], {}]);
    expect(recordOf(ABC, layout)).toEqual(recorded(L0));
  });

  test('appending to each role in turn: every recorded rule stays, the new ones take the free room of group 0', () => {
    const grownA = [...ABC, peer('A', 0, 6)];
    const a = layoutGroups(grownA, 5, 4, recorded(L0)) as Layout;
    expect(groupsOf(a, grownA)).toEqual({ ...L0, 'A6 tcp:443': 0 });
    expect([a.stage.egress, a.moved, a.fallback]).toEqual(['recorded', [], {}]);
    // A recorded direction lists no spilled role, and no fallback (not even an empty entry).
    expect(a.spilled).toEqual({ ingress: [], egress: [] });
    expect(a.fallback).toStrictEqual({});
    // Without the record, the same append shifts B and C along (A6 joins A's run in group 2).
    const stateless = groupsOf(layoutGroups(grownA, 5, 4), grownA);
    expect(Object.keys(L0).filter(k => stateless[k] !== L0[k])).toEqual(['B3 tcp:443', 'C2 tcp:443']);
    const grownB = [...grownA, peer('B', 1, 6)];
    const b = layoutGroups(grownB, 5, 4, recordOf(grownA, a)) as Layout;
    expect(groupsOf(b, grownB)).toEqual({ ...L0, 'A6 tcp:443': 0, 'B6 tcp:443': 0 });
    expect(b.moved).toEqual([]);
    // 21 rules, 20 places: refused, as without the record.
    expect(layoutGroups([...grownB, peer('C', 2, 6)], 5, 4, recordOf(grownB, b))).toMatchObject({ needed: 21, capacity: 20 });
  });

  test('the stateless counterexample: 3 spilling roles, 2 groups with one free place each; appends in any order move nothing', () => {
    // Quota 3, 2 groups: group 0 holds A0 C0, group 1 holds B0 C1 (a record: where they went last time).
    const base = [peer('A', 0, 0), peer('B', 1, 0), ...peers('C', 2, 2)];
    const record = https({ A0: 0, C0: 0, B0: 1, C1: 1 });
    const fresh = { A: peer('A', 0, 1), B: peer('B', 1, 1), C: peer('C', 2, 2) };
    const orders = (['A', 'B', 'C'] as const).flatMap(x => (['A', 'B', 'C'] as const).filter(y => y !== x).map(y => [x, y] as const));
    for (const [x, y] of orders) {
      const first = [...base, fresh[x]];
      const one = layoutGroups(first, 3, 2, recorded(record)) as Layout;
      // The first new rule takes group 0's free place, the second group 1's.
      expect(groupsOf(one, first)).toEqual({ ...record, [`${fresh[x].key} tcp:443`]: 0 });
      const second = [...first, fresh[y]];
      const two = layoutGroups(second, 3, 2, recordOf(first, one)) as Layout;
      expect(groupsOf(two, second)).toEqual({ ...record, [`${fresh[x].key} tcp:443`]: 0, [`${fresh[y].key} tcp:443`]: 1 });
      expect([one.moved, two.moved]).toEqual([[], []]);
    }
    // No layout without a record can do that: x and y must take different places, for each of 3 pairs, with 2 places.
    // Stateless, some append after another moves a rule (here, at least one of the six orders).
    const movesStateless = orders.filter(([x, y]) => {
      const [first, second] = [[...base, fresh[x]], [...base, fresh[x], fresh[y]]];
      const [g1, g2] = [groupsOf(layoutGroups(first, 3, 2), first), groupsOf(layoutGroups(second, 3, 2), second)];
      return Object.keys(g1).some(k => g1[k] !== g2[k]);
    });
    expect(movesStateless.length).toBeGreaterThan(0);
  });

  test('a rule that is gone frees its place; rules match by content (protocol and ports), not by index', () => {
    // B0 removed: its place in group 2 is free. A6, A7 take group 0's two, A8 group 2's.
    const units = [...ABC.filter(u => u.key !== 'B0'), ...peers('A', 0, 3, 6)];
    const { ['B0 tcp:443']: _gone, ...kept } = L0;
    expect(groupsOf(layoutGroups(units, 5, 4, recorded(L0)), units)).toEqual({ ...kept, 'A6 tcp:443': 0, 'A7 tcp:443': 0, 'A8 tcp:443': 2 });
    // A peer whose rules were tcp:22 (group 1) and tcp:443 (group 2) now has tcp:80 and tcp:443: 443 stays in group 2,
    // though it is now the unit's second rule as before; tcp:80 is new and takes the first free place (group 0).
    const two = (ids: string[]): LayoutUnit => ({ ...peer('D', 3, 0), rules: { ingress: 0, egress: 2 }, ids: { ingress: [], egress: ids } });
    const filler = peers('E', 4, 3);
    const record = recorded({ 'D0 tcp:22': 1, 'D0 tcp:443': 2, 'E0 tcp:443': 1, 'E1 tcp:443': 2, 'E2 tcp:443': 0 });
    const after = [two(['tcp:80', 'tcp:443']), ...filler];
    const layout = layoutGroups(after, 2, 3, record) as Layout;
    expect(groupsOf(layout, after)).toEqual({ 'D0 tcp:80': 0, 'D0 tcp:443': 2, 'E0 tcp:443': 1, 'E1 tcp:443': 2, 'E2 tcp:443': 0 });
    expect(layout.placement.get('D0')!.egress).toEqual([[0, 1], [2, 1]]);
  });

  test('a new rule that replaces a gone rule of its peer covering some of its traffic (tcp:22 for tcp:22-23) takes that rule\'s group', () => {
    // Quota 2, 3 groups. D0's tcp:22-23 (group 2) becomes tcp:22, E0's tcp:22-23 (group 1) tcp:23: each overlaps the
    // gone rule, so each keeps its group, though group 0 has room first. F0's tcp:80 overlaps nothing: group 0.
    const one = (key: string, id: string): LayoutUnit => ({ ...peer(key[0], 3, Number(key[1])), ids: { ingress: [], egress: [id] } });
    const record = recorded({ 'D0 tcp:22-23': 2, 'E0 tcp:22-23': 1, 'F0 tcp:22': 1, 'G0 udp:22': 2 });
    const units = [one('D0', 'tcp:22'), one('E0', 'tcp:23'), one('F0', 'tcp:80'), one('G0', 'tcp:22')];
    const layout = layoutGroups(units, 2, 3, record) as Layout;
    // G0's udp:22 is gone but is another protocol: its new tcp:22 is plain new (first free: group 0).
    expect(groupsOf(layout, units)).toEqual({ 'D0 tcp:22': 2, 'E0 tcp:23': 1, 'F0 tcp:80': 0, 'G0 tcp:22': 0 });
    expect([layout.stage.egress, layout.moved]).toEqual(['recorded', []]);
    // When that group has no room left, the rule takes the first free place instead.
    const full = recorded({ 'D0 tcp:22-23': 0, 'H0 tcp:443': 0, 'H1 tcp:443': 0 });
    const crowded = [one('D0', 'tcp:22'), peer('H', 4, 0), peer('H', 4, 1)];
    expect(groupsOf(layoutGroups(crowded, 2, 2, full), crowded)).toEqual({ 'D0 tcp:22': 1, 'H0 tcp:443': 0, 'H1 tcp:443': 0 });
  });

  test('a unit that covers gone units (a wider prefix that absorbed them) takes the group of their overlapping rule', () => {
    // K0 (recorded in group 2) is gone; W0 covers it and K1: W0's tcp:443 takes group 2, though group 0 has room first.
    const record = recorded({ 'K0 tcp:443': 2, 'K1 udp:443': 1, 'L0 tcp:443': 1 });
    const units = [peer('W', 0, 0, { covers: ['K0', 'K1'] }), peer('L', 1, 0)];
    expect(groupsOf(layoutGroups(units, 2, 3, record), units)).toEqual({ 'W0 tcp:443': 2, 'L0 tcp:443': 1 });
    // Without covers: a plain new rule, the first free place.
    const plain = [peer('W', 0, 0), peer('L', 1, 0)];
    expect(groupsOf(layoutGroups(plain, 2, 3, record), plain)).toEqual({ 'W0 tcp:443': 0, 'L0 tcp:443': 1 });
  });

  test('recordOf without identities: each rule by its index in the unit', () => {
    const units: LayoutUnit[] = [{ ...peer('A', 0, 0), rules: { ingress: 0, egress: 3 }, ids: undefined }];
    expect(recordOf(units, layoutGroups(units, 5, 2) as Layout)).toEqual({ ingress: new Map(), egress: new Map([['A0 #0', 0], ['A0 #1', 0], ['A0 #2', 0]]) });
  });

  test('splitRule: the unit\'s key (which may hold spaces) and the rule\'s identity', () => {
    expect([splitRule('role:PRD tcp:22'), splitRule('a b udp:53-54')]).toEqual([['role:PRD', 'tcp:22'], ['a b', 'udp:53-54']]);
  });

  test('new rules try their predecessors\' groups largest first: a prefix list of 3 before a CIDR of its gone peer', () => {
    // Quota 4, 2 groups. D0's tcp:22-23 (group 1) is gone; D0 now has tcp:22, and P0 (3 entries, both families) covers D0
    // with tcp:22-23. Group 1 holds E0 (1): 3 free. P0 first takes group 1 (4); D0's tcp:22 then finds it full: group 0.
    const one = (key: string, order: number, id: string, extra: Partial<LayoutUnit> = {}): LayoutUnit =>
      ({ ...peer(key[0], order, Number(key[1])), ids: { ingress: [], egress: [id] }, ...extra });
    const units = [one('D0', 0, 'tcp:22'), one('E0', 1, 'tcp:443'), one('P0', 2, 'tcp:22-23', { family: 'both', weight: 3, covers: ['D0'] })];
    const layout = layoutGroups(units, 4, 2, recorded({ 'D0 tcp:22-23': 1, 'E0 tcp:443': 1 })) as Layout;
    expect(groupsOf(layout, units)).toEqual({ 'D0 tcp:22': 0, 'E0 tcp:443': 1, 'P0 tcp:22-23': 1 });
    expect(layout.stage.egress).toBe('recorded');
  });

  test('a predecessor is a gone rule, in a group that exists; of several, the first group with room', () => {
    const rulesOf = (ids: string[]): LayoutUnit => ({ ...peer('D', 0, 0), rules: { ingress: 0, egress: ids.length }, ids: { ingress: [], egress: ids } });
    // D0's tcp:22 is still there (group 2): its new tcp:20-25 overlaps it but replaces nothing, so takes the first free place.
    const kept = [rulesOf(['tcp:22', 'tcp:20-25'])];
    expect(groupsOf(layoutGroups(kept, 2, 3, recorded({ 'D0 tcp:22': 2 })), kept)).toEqual({ 'D0 tcp:22': 2, 'D0 tcp:20-25': 0 });
    // A gone rule recorded in group 3 with 3 groups now: no predecessor group; the record still holds (group 0).
    const narrowed = [rulesOf(['tcp:22'])];
    const layout = layoutGroups(narrowed, 2, 3, recorded({ 'D0 tcp:22-23': 3 })) as Layout;
    expect(groupsOf(layout, narrowed)).toEqual({ 'D0 tcp:22': 0 });
    expect([layout.stage.egress, layout.fallback]).toEqual(['recorded', {}]);
    // tcp:22 (group 2) and tcp:25 (group 1) both gone, tcp:20-30 overlaps both: the lower group, 1, whatever the record's order.
    const wide = [rulesOf(['tcp:20-30'])];
    expect(groupsOf(layoutGroups(wide, 2, 3, recorded({ 'D0 tcp:22': 2, 'D0 tcp:25': 1 })), wide)).toEqual({ 'D0 tcp:20-30': 1 });
  });

  test('overlaps: the same protocol and overlapping ports, or a deploy-time rule\'s flows in common', () => {
    // Either order of the ranges; a port range and a list of flows never overlap; a flow in common is enough;
    // flows ending or starting with digits are flows, not ports.
    expect([overlaps('tcp:23', 'tcp:22'), overlaps('tcp:22', 'tcp:22,A'), overlaps('tcp:B', 'tcp:A,B'), overlaps('tcp:A1', 'tcp:B1'),
      overlaps('tcp:1A', 'tcp:1B')]).toEqual([false, false, true, false, false]);
    expect([overlaps('tcp:22-23', 'tcp:22'), overlaps('tcp:22', 'tcp:23'), overlaps('tcp:1-10', 'tcp:10-20'), overlaps('udp:22', 'tcp:22')])
      .toEqual([true, false, true, false]);
    expect([overlaps('tcp:A,B', 'tcp:B'), overlaps('tcp:A', 'tcp:C'), overlaps('tcp:A', 'tcp:22'), overlaps('icmp:-1', 'icmp:-1')])
      .toEqual([true, false, false, true]);
  });

  test('new rules go in largest first: a prefix list of 3 takes group 0\'s three free places, a CIDR group 1\'s one', () => {
    const cidr = peer('F', 0, 0);
    const list: LayoutUnit = { ...peer('G', 1, 0), family: 'both', weight: 3 };
    const old = [...peers('H', 2, 2), ...peers('I', 3, 2)];
    const record = recorded(https({ H0: 0, H1: 1, I0: 1, I1: 1 }));
    const units = [cidr, list, ...old];
    // Quota 4, 2 groups: group 0 has 3 free (IPv4; 4 IPv6), group 1 one (IPv4; 4 IPv6). In the table's order
    // (the CIDR first) the CIDR would take group 0 and leave the list no room.
    const layout = layoutGroups(units, 4, 2, record) as Layout;
    expect(groupsOf(layout, units)).toEqual({ ...Object.fromEntries(record.egress), 'F0 tcp:443': 1, 'G0 tcp:443': 0 });
    expect(layout.moved).toEqual([]);
  });
});

describe('when the record cannot hold the configuration: laid out afresh, every moved rule reported', () => {
  test('the quota lowered (5 to 4, with a fifth group): the groups of 5 do not fit; 7 rules move', () => {
    const layout = layoutGroups(ABC, 4, 5, recorded(L0)) as Layout;
    expect(layout.fallback).toEqual({ egress: { reason: 'over', group: 1, family: 'ipv4', count: 5, quota: 4 } });
    // Stateless at quota 4 over groups 1-4 then 0: A0-A3 | A4 A5 B0 B1 | B2-B5 | C0-C3 | C4 C5 in group 0.
    expect(groupsOf(layout, ABC)).toEqual(https({
      A0: 1, A1: 1, A2: 1, A3: 1, A4: 2, A5: 2, B0: 2, B1: 2, B2: 3, B3: 3, B4: 3, B5: 3, C0: 4, C1: 4, C2: 4, C3: 4, C4: 0, C5: 0,
    }));
    const move = (key: string, from: number, to: number) => ({ direction: 'egress', key, rule: 'tcp:443', from, to });
    expect(layout.moved).toEqual([move('A4', 1, 2), move('B2', 2, 3), move('B3', 2, 3), move('C0', 3, 4), move('C1', 3, 4), move('C2', 3, 4),
      move('C3', 0, 4)]);
  });

  test('fewer groups (4 to 3) once C is off: B4 and B5 recorded in the fourth group move to the first', () => {
    const units = ABC.filter(u => u.role !== 'C');
    const layout = layoutGroups(units, 5, 3, recorded(L0)) as Layout;
    expect(layout.fallback).toEqual({ egress: { reason: 'beyond', group: 3, maxGroups: 3 } });
    expect(layout.moved).toEqual([{ direction: 'egress', key: 'B4', rule: 'tcp:443', from: 3, to: 0 },
      { direction: 'egress', key: 'B5', rule: 'tcp:443', from: 3, to: 0 }]);
  });

  test('fragmented room: a prefix list of 8 finds 5 free in each of two groups of 10; A5-A9 move to group 0', () => {
    const units = [...peers('A', 0, 10), { ...peer('P', 1, 0), family: 'both' as const, weight: 8 }];
    const record = recorded(https({ A0: 0, A1: 0, A2: 0, A3: 0, A4: 0, A5: 1, A6: 1, A7: 1, A8: 1, A9: 1 }));
    const layout = layoutGroups(units, 10, 2, record) as Layout;
    expect(layout.fallback).toEqual({ egress: { reason: 'room', rules: 1 } });
    // Stateless: A (10) whole in group 0, the prefix list spills into group 1.
    expect(layout.stage.egress).toBe('stable');
    expect(groupsOf(layout, units)).toEqual({ ...Object.fromEntries([...record.egress].map(([k]) => [k, 0])), 'P0 tcp:443': 1 });
    expect(layout.moved.map(m => `${m.key} ${m.from}->${m.to}`)).toEqual(['A5 1->0', 'A6 1->0', 'A7 1->0', 'A8 1->0', 'A9 1->0']);
  });

  test('a direction whose record holds keeps it while the other falls back', () => {
    const both = (u: LayoutUnit): LayoutUnit => ({ ...u, rules: { ingress: 1, egress: 1 }, ids: { ingress: ['tcp:22'], egress: ['tcp:443'] } });
    const units = ABC.map(both);
    const record: RecordedPlacement = { ingress: new Map([['A0 tcp:22', 3]]), egress: recorded(L0).egress };
    const layout = layoutGroups(units, 4, 5, record) as Layout;
    expect(layout.stage).toEqual({ ingress: 'recorded', egress: 'stable' });
    expect(layout.fallback).toStrictEqual({ egress: { reason: 'over', group: 1, family: 'ipv4', count: 5, quota: 4 } });
    expect(layout.placement.get('A0')!.ingress).toEqual([[3, 1]]);
    expect(layout.moved.every(m => m.direction === 'egress')).toBe(true);
    expect(layout.moved).toHaveLength(7);
  });
});
