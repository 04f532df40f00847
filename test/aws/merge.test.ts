/**
 * AWS's rule merging (lib/aws/merge.ts) on flows written here: deploy-time ports kept
 * apart and recognised once per value, a flow named once per rule, a deterministic
 * order whatever the order of the sides.
 */
import { mergeRules, PeerSide } from '../../lib/aws/merge';
import { Flow, Protocol, Role } from '../../lib/core';
import { formatRange } from '../../lib/core/ports';

/** Two numbers standing for deploy-time values (CDK tokens are numbers of this size). */
const [T1, T2] = [-1.8881545897087968e+289, -1.8881545897087988e+289];
const isToken = (n: number) => n < -1e200;
const flow = (id: string, ordinal: number, port: number, protocol: Protocol = Protocol.TCP) =>
  ({ id, rowId: id, ordinal, port, protocol, source: Role.PRD, destination: Role.DVC }) as unknown as Flow;
const side = (f: Flow, peerKey = 'dvc', holder: Role = Role.PRD): PeerSide =>
  ({ side: { holder, direction: 'egress', peerRole: Role.DVC, flow: f }, peerKey });
const line = (r: ReturnType<typeof mergeRules>[number]) =>
  `${r.holder} ${r.direction} ${r.peerKey} ${r.protocol} ${isToken(r.range.from) ? (r.range.from === T1 ? 'T1' : 'T2') : formatRange(r.range)} ${r.flows.map(f => f.id).join(',')}`;

describe('mergeRules', () => {
  test('adjacent concrete ports join; each deploy-time port is a rule of its own, after them', () => {
    const sides = [side(flow('A', 1, 23)), side(flow('B', 2, T1)), side(flow('C', 3, 22)), side(flow('D', 4, T2)), side(flow('E', 5, T1))];
    expect(mergeRules(sides, isToken).map(line)).toEqual([
      'PRD egress dvc tcp 22-23 A,C',
      'PRD egress dvc tcp T1 B,E',
      'PRD egress dvc tcp T2 D',
    ]);
  });

  test('without a predicate every port is a number as given: adjacent ones join', () => {
    expect(mergeRules([side(flow('A', 1, 23)), side(flow('C', 3, 22))]).map(line)).toEqual(['PRD egress dvc tcp 22-23 A,C']);
  });

  test('whether a port is a deploy-time value is asked once per value', () => {
    const asked: number[] = [];
    const counting = (n: number) => {
      asked.push(n);
      return isToken(n);
    };
    mergeRules([side(flow('A', 1, 22)), side(flow('B', 2, T1)), side(flow('C', 3, 22), 'other'), side(flow('D', 4, T1), 'other')], counting);
    expect(asked.sort()).toEqual([22, T1].sort());
  });

  test('a flow reaching a rule through two sides is named once; flows in document order', () => {
    const a = flow('A', 2, 22);
    const b = flow('B', 1, 22);
    expect(mergeRules([side(a), side(a), side(b)]).map(line)).toEqual(['PRD egress dvc tcp 22 B,A']);
  });

  test('rules in the order of holder, direction, peer and protocol, whatever the order of the sides', () => {
    const sides = [side(flow('U', 1, 53, Protocol.UDP), 'b'), side(flow('X', 2, 22), 'b'), side(flow('Y', 3, 22), 'a', Role.MBR), side(flow('Z', 4, 22), 'a')];
    const expected = ['MBR egress a tcp 22 Y', 'PRD egress a tcp 22 Z', 'PRD egress b tcp 22 X', 'PRD egress b udp 53 U'];
    expect(mergeRules(sides).map(line)).toEqual(expected);
    expect(mergeRules([...sides].reverse()).map(line)).toEqual(expected);
  });
});
