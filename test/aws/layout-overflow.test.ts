/**
 * The AWS layout's refusals (lib/aws/layout.ts's LayoutOverflow), field by field, on
 * small estates written here: which family and direction, the heaviest rule there, and
 * which role is the largest (by rules, not peers; nodes' references never), with its
 * peers in the user's order. test/aws/layout.test.ts checks the counts on random estates.
 */
import { LayoutOverflow, layoutGroups, LayoutUnit } from '../../lib/aws/layout';

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
  });

  test('what one peer costs at most, and the role\'s peers in the user\'s order, not by key', () => {
    // Given in another order than the user's (rank): b, c, a.
    const units = [unit('a', 'DVC', 2, out(3)), unit('b', 'DVC', 0, out(2)), unit('c', 'DVC', 1, out(5))];
    expect(overflow(units, 3, 2).largest).toEqual({ role: 'DVC', units: 3, perUnit: 5, fit: 1, keys: ['b', 'c', 'a'] });
  });
});
