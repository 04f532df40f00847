/**
 * Failover-safe by construction: when the Primary fails, a member is promoted in its
 * place and keeps wearing the members' groups (nobody regroups it). The property: any
 * member already has every flow the Primary had, evaluated on what was synthesized,
 * for random configurations on both clouds. With the document read literally
 * (PRIMARY_AND_MEMBERS_ONLY) it does not hold, and the test says so.
 */
import './support/fast-synth';
import * as fc from 'fast-check';
import { ClusterTraffic } from '../lib/core';
import { anyCidr, configArb, notNodes, RandomConfig, synthAws, synthAzure } from './support/random';
import { runs } from './support/runs';

// Random configurations, each synthesized and evaluated: tens of seconds on a 2-core machine.
jest.setTimeout(180_000);

/** AWS: the allowed atoms involving PRD (its groups, or a reference to them) that the members lack. */
function awsMissing(c: RandomConfig): string[] {
  const { actual } = synthAws(c);
  const promoted = (atom: string) => {
    const [holder, direction, peer, protocol, port] = atom.split('|');
    return [holder === 'PRD' ? 'MBR' : holder, direction, peer === 'sg:PRD' ? 'sg:MBR' : peer, protocol, port].join('|');
  };
  return [...actual].filter(a => /^PRD\||\|sg:PRD\|/.test(a)).map(promoted).filter(a => !actual.has(a));
}

/** Azure: the connections involving the Primary (either of its addresses) that MBR1, promoted, would lack; every port and address. */
function azureMissing(c: RandomConfig): string[] {
  const allowed = synthAzure(c).evaluation.actual;
  const promoted = (name: string) => name.replace(/^PRD(\/6)?$/, 'MBR1$1');
  const missing: string[] = [];
  for (const connection of allowed) {
    const [pair, what] = connection.split(' ');
    const [src, dst] = pair.split('>');
    if (promoted(src) === src && promoted(dst) === dst) continue;
    const [s, d] = [promoted(src), promoted(dst)];
    if (s !== d && !allowed.has(`${s}>${d} ${what}`)) missing.push(`${s}>${d} ${what}`);
  }
  return missing;
}

const allInstances = (arb: fc.Arbitrary<RandomConfig>) => arb.map(c => ({ ...c, clusterTraffic: ClusterTraffic.ALL_INSTANCES }));

describe('property: a promoted member already has every flow the Primary had, wearing the members\' groups', () => {
  test('AWS', () => {
    fc.assert(fc.property(allInstances(configArb(anyCidr)), c => {
      expect(awsMissing(c)).toEqual([]);
    }), { numRuns: runs(10) });
  });

  test('Azure', () => {
    fc.assert(fc.property(allInstances(configArb(notNodes)), c => {
      expect(azureMissing(c)).toEqual([]);
    }), { numRuns: runs(12) });
  });

  test('control: the document read literally is not failover-safe (the cluster ports between members are missing)', () => {
    const literal = fc.sample(configArb(notNodes), { numRuns: 1, seed: 7 })[0];
    const c = { ...literal, clusterTraffic: ClusterTraffic.PRIMARY_AND_MEMBERS_ONLY, disabledRules: [], portOverrides: {} };
    expect(awsMissing(c)).toEqual(expect.arrayContaining(['MBR|egress|sg:MBR|tcp|3306', 'MBR|ingress|sg:MBR|tcp|4567']));
    expect(azureMissing(c)).toEqual(expect.arrayContaining(['MBR1>MBR2 tcp/3306', 'MBR2>MBR1 udp/4567']));
  });
});
