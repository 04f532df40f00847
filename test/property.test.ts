/**
 * Property-based tests: random configurations on both clouds, synthesized, then
 * evaluated by the project's own evaluators. Exactly the plan's flows are allowed:
 * no more, no less. The expectation comes from FirewallPlan on the test's own input,
 * never from the construct under test.
 */
import './support/fast-synth';
import * as fc from 'fast-check';
import { FirewallMatrix, FirewallPlan, Role } from '../lib/core';
import { minus } from './support/aws-evaluator';
import { anyCidr, configArb, ipv4Cidr, notNodes, planOptions, synthAws, synthAzure } from './support/random';
import { runs } from './support/runs';
import { isNode } from '../lib/core/roles';

// Random configurations, each synthesized and evaluated: tens of seconds on a 2-core machine.
jest.setTimeout(180_000);

describe('property: random configurations allow exactly the plan', () => {
  test('AWS (overflow groups included: rule quotas of 30, 60 and 200)', () => {
    fc.assert(fc.property(configArb(anyCidr), c => {
      const { actual, expected } = synthAws(c);
      expect(minus(actual, expected)).toEqual([]);
      expect(minus(expected, actual)).toEqual([]);
    }), { numRuns: runs(12) });
  });

  test('Azure (every port and address)', () => {
    fc.assert(fc.property(configArb(notNodes), c => {
      const { evaluation } = synthAzure(c);
      expect(evaluation.extra).toEqual([]);
      expect(evaluation.missing).toEqual([]);
    }), { numRuns: runs(20) });
  });

  test('the plan itself: every flow comes from a row; the Primary\'s rows with hosts hold for the members, marked by their source', () => {
    fc.assert(fc.property(configArb(ipv4Cidr), c => {
      const flows = FirewallPlan.flows(planOptions(c));
      const portOf = (rowId: string) => c.portOverrides[rowId] ?? (rowId === 'UPD-APT-PROXY' ? c.aptProxy?.port : undefined) ?? FirewallMatrix.tryFindRow(rowId)!.port;
      for (const f of flows) {
        const row = FirewallMatrix.tryFindRow(f.rowId)!;
        expect(f.protocol).toBe(row.protocol);
        // A member-to-member row takes the ports of the open cluster rows it follows.
        if (row.follows) expect(row.follows.filter(id => !c.disabledRules.includes(id)).map(portOf)).toContain(f.port);
        // A load balancer's row takes its users' row's port (that row's override too), unless overridden itself.
        else if (row.portOf) expect(f.port).toBe(c.portOverrides[f.rowId] ?? portOf(row.portOf));
        else expect(f.port).toBe(portOf(f.rowId));
        expect(c.disabledRules).not.toContain(f.rowId);
        expect(f.viaVendorGuide).toBe(row.vendorGuide !== undefined);
      }
      // A row between the Primary and a host that is not an instance has its copy for the members:
      // the cluster note for the document's rows, the vendor guide's own words for its rows.
      const primary = flows.filter(f => (f.source === Role.PRD && !isNode(f.destination)) || (f.destination === Role.PRD && !isNode(f.source)));
      const copies = flows.filter(f => f.id.endsWith('@MBR'));
      expect(copies.map(f => f.id)).toEqual(primary.map(f => `${f.id}@MBR`));
      for (const f of copies) {
        expect([f.viaClusterNote, f.viaVendorGuide]).toEqual([!f.viaVendorGuide, FirewallMatrix.tryFindRow(f.rowId)!.vendorGuide !== undefined]);
      }
      // Member to member exactly when every instance reaches every instance.
      expect(flows.some(f => f.source === Role.MBR && f.destination === Role.MBR)).toBe(c.clusterTraffic === 'ALL_INSTANCES');
    }), { numRuns: runs(100) });
  });
});
