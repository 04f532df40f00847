/**
 * The AWS layout's refusals (lib/aws/layout.ts's LayoutOverflow), field by field, on
 * small estates written here: which family and direction, the heaviest rule there, and
 * which role is the largest (by rules, not peers; nodes' references never), with its
 * peers in the user's order. test/aws/layout.test.ts checks the counts on random estates.
 */
import { firstThatFit, LayoutOverflow, layoutGroups, LayoutUnit } from '../../lib/aws/layout';

const unit = (key: string, role: string, rank: number, rules: { ingress: number; egress: number }, extra: Partial<LayoutUnit> = {}): LayoutUnit =>
  ({ key, role, order: 3, rank, pinned: false, family: 'ipv4', weight: 1, rules, ...extra });
const out = (n: number) => ({ ingress: 0, egress: n });
const overflow = (units: LayoutUnit[], quota: number, maxGroups: number) => layoutGroups(units, quota, maxGroups) as LayoutOverflow;

describe('a refusal\'s numbers', () => {
  test('the fuller family is named; IPv4 when both are as full', () => {
    expect(overflow([unit('a', 'DVC', 0, out(3), { family: 'both' })], 2, 1)).toMatchObject({ direction: 'egress', family: 'ipv4', needed: 3 });
    expect(overflow([unit('a', 'DVC', 0, out(3), { family: 'ipv6' }), unit('b', 'DVC', 1, out(1))], 2, 1)).toMatchObject({ family: 'ipv6', needed: 3 });
    expect(overflow([unit('a', 'DVC', 0, out(2), { family: 'ipv6' }), unit('b', 'DVC', 1, out(3))], 2, 1)).toMatchObject({ family: 'ipv4', needed: 3 });
  });

  test('the heaviest rule is one of that direction and family: an inbound prefix list does not count in an outbound refusal', () => {
    // Inbound, a prefix list of 3 fits a group of 4; outbound, 5 rules do not.
    const units = [unit('pl', 'MIRROR', 0, { ingress: 1, egress: 0 }, { family: 'both', weight: 3 }), unit('a', 'DVC', 0, out(5))];
    expect(overflow(units, 4, 1)).toEqual({
      direction: 'egress',
      family: 'ipv4',
      needed: 5,
      capacity: 4,
      unpacked: false,
      heaviest: 1,
      largest: { role: 'DVC', units: 1, perUnit: 5, fit: 0, keys: ['a'] },
    } satisfies LayoutOverflow);
  });

  test('the largest role has the most rules there, not the most peers; a tie goes to the first role by name; references to the nodes never', () => {
    // USERW: 3 peers of 1 rule; DVC: 1 peer of 4; the Primary's reference: 6.
    const units = [
      unit('role:PRD', 'PRD', 0, out(6), { pinned: true, family: 'both', order: 0 }),
      unit('u0', 'USERW', 0, out(1)), unit('u1', 'USERW', 1, out(1)), unit('u2', 'USERW', 2, out(1)),
      unit('d0', 'DVC', 0, out(4)),
    ];
    expect(overflow(units, 4, 3).largest).toEqual({ role: 'DVC', units: 1, perUnit: 4, fit: 0, keys: ['d0'] });
    // ZETA and ALPHA with 4 rules each: ALPHA.
    const tie = [unit('z0', 'ZETA', 0, out(4)), unit('a0', 'ALPHA', 0, out(4))];
    expect(overflow(tie, 2, 3).largest?.role).toBe('ALPHA');
    // Given ALPHA first, the same.
    expect(overflow([...tie].reverse(), 2, 3).largest?.role).toBe('ALPHA');
    // ZETA with 4 rules, ALPHA with 1: ZETA, though ALPHA comes first by name.
    expect(overflow([unit('a0', 'ALPHA', 0, out(1)), unit('z0', 'ZETA', 0, out(4))], 2, 2).largest)
      .toEqual({ role: 'ZETA', units: 1, perUnit: 4, fit: 0, keys: ['z0'] });
  });

  test('references to the nodes alone: no largest role', () => {
    // 5 outbound references counting in both families, one group of 2.
    expect(overflow([unit('role:PRD', 'PRD', 0, out(5), { pinned: true, family: 'both', order: 0 })], 2, 1)).toStrictEqual({
      direction: 'egress', family: 'ipv4', needed: 5, capacity: 2, unpacked: false, heaviest: 1,
    });
  });

  test('unpacked when the count equals the capacity', () => {
    // 3 prefix lists of 40 entries: 120 of 120 in each family, but a group of 60 holds one of them.
    expect(overflow([unit('pl', 'DVC', 0, out(3), { family: 'both', weight: 40 })], 60, 2)).toEqual({
      direction: 'egress',
      family: 'ipv4',
      needed: 120,
      capacity: 120,
      unpacked: true,
      heaviest: 40,
      largest: { role: 'DVC', units: 1, perUnit: 120, fit: 0, keys: ['pl'] },
    } satisfies LayoutOverflow);
  });

  test('firstThatFit: the first peers that fit on every holder at once', () => {
    // One group of 3. Holder 1: a, b, c of one rule each, all fit. Holder 2: the same and x's 2 rules: only a fits beside x.
    const peers = [unit('a', 'DVC', 0, out(1)), unit('b', 'DVC', 1, out(1)), unit('c', 'DVC', 2, out(1))];
    const [one, two] = [peers, [...peers, unit('x', 'NTP', 0, out(2))]];
    const keys = ['a', 'b', 'c'];
    // Bisection over 0..3 asks for 1 peer, then 2 (it is called when not all fit, so never asks for 3):
    // holder 1 alone answers 2, holder 2 alone 1, both 1 in either order.
    const countFit = (holders: LayoutUnit[][]) => firstThatFit(holders, keys, 3, 1);
    expect([countFit([one]), countFit([two]), countFit([one, two]), countFit([two, one])]).toEqual([2, 1, 1, 1]);
  });

  test('what one peer costs at most, and the role\'s peers in the user\'s order, not by key', () => {
    // Given in another order than the user's (rank): b, c, a.
    const units = [unit('a', 'DVC', 2, out(3)), unit('b', 'DVC', 0, out(2)), unit('c', 'DVC', 1, out(5))];
    expect(overflow(units, 3, 2).largest).toEqual({ role: 'DVC', units: 3, perUnit: 5, fit: 1, keys: ['b', 'c', 'a'] });
  });
});
