/**
 * Overflow groups on random estates (test/aws/estates.ts): a configuration
 * synthesizes exactly when its rules fit (by count; with prefix lists, when
 * first-fit decreasing packs them, or better), no group holds more than the quota,
 * the template allows exactly the plan, each rule in the group the layout chose; and
 * appending peers moves no existing rule but as the README's stability contract
 * says; with the previous placement (`layoutFile`), appending or toggling moves no rule
 * whenever the free room holds the new rules, and otherwise the layout reports exactly
 * the rules that move. The layout is checked on many estates without synthesizing; a few are
 * synthesized and evaluated whole.
 */
import '../support/fast-synth';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as fc from 'fast-check';
import { addressOf, appended, countOf, Estate, estateArb, estateFlows, estateProps, expectation, nodeRules, PROPERTIES } from './estates';
import { DomumGateway, SeguraArbitrator, SeguraCluster } from '../../lib/aws';
import { Layout, LayoutOverflow, layoutGroups, recordOf } from '../../lib/aws/layout';
import { aggregatePeers, isUnresolved } from '../../lib/aws/peers';
import { HolderRules, holderRules, RulePeer } from '../../lib/aws/rules';
import { ClusterTraffic, Role } from '../../lib/core';
import { renderContext } from '../../lib/core/render-context';
import { ALL_ROLES, isNode, ROLES } from '../../lib/core/roles';
import { Direction } from '../../lib/core/rules';
import { SeguraValidationError } from '../../lib/errors';
import { atoms, expectedAtoms, groupId, minus, ruleFacts, synthTemplates, wearersOf } from '../support/aws-evaluator';
import { runs, share } from '../support/runs';

const propertyOf = new Map(PROPERTIES.map(([p, r]) => [r, p] as const));

/** Prefix lists for the estates laid out without synthesizing. */
const shared = new Stack();

/** The nodes' rules of an estate, as the cluster computes them (its peers aggregated, in the user's order). */
function nodeUnits(estate: Estate): HolderRules[] {
  const props = estateProps(estate, shared);
  const peersOf = (role: Role): RulePeer[] => {
    if (isNode(role) || (ROLES[role].gateway && !estate.peers.has(propertyOf.get(role) ?? ''))) return [role];
    const [a, b] = propertyOf.get(role)!.split('.');
    return aggregatePeers((b ? props.management[b] : props[a]) ?? []).peers;
  };
  return holderRules(renderContext(isUnresolved), estateFlows(estate), [Role.PRD, Role.MBR], peersOf);
}

/** A peer by what it is: a role, a CIDR, or a prefix list by its construct ID (its list ID is a token). */
const nameOf = (peer: RulePeer) => (typeof peer === 'string' ? peer : (peer as any).node?.id ?? peer.uniqueId);

/** Each rule's group by content: `holder|direction|peer|protocol|from-to|unit` -> group. */
function groupsByContent(rules: HolderRules, layout: Layout): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, list] of rules.rules) {
    for (const d of ['ingress', 'egress'] as const) {
      const ordered = list.filter(r => r.direction === d);
      let i = 0;
      for (const [g, n] of layout.placement.get(key)![d]) {
        for (let k = 0; k < n; k++, i++) {
          const r = ordered[i];
          out.set(`${rules.holder}|${d}|${nameOf(r.peer)}|${r.protocol}|${r.range.from}-${r.range.to}|${key}`, g);
        }
      }
    }
  }
  return out;
}

interface NodeLayout { readonly rules: HolderRules; readonly result: Layout | LayoutOverflow }
const layoutsOf = (estate: Estate): NodeLayout[] =>
  nodeUnits(estate).map(h => ({ rules: h, result: layoutGroups(h.units, estate.ruleQuota, estate.maxSecurityGroups) }));
const fits = (layouts: readonly NodeLayout[]): layouts is Array<NodeLayout & { result: Layout }> => layouts.every(l => 'placement' in l.result);

/**
 * The stability contract (README), for one holder and direction, after `property`
 * got new peers: a rule may move when the stage is not the stable one; when its role
 * moved between group 0 and the overflow groups; or when its role spills after the
 * first role in the table that grew in the overflow groups or changed residency.
 */
function allowed(before: NodeLayout, after: NodeLayout, grown: Role, d: Direction): (role: string) => boolean {
  const [b, a] = [before.result as Layout, after.result as Layout];
  if (b.stage[d] !== 'stable' || a.stage[d] !== 'stable') return () => true;
  const orderOf = (role: string) => ALL_ROLES.indexOf(role as Role);
  const changed = ALL_ROLES.filter(r => b.spilled[d].includes(r) !== a.spilled[d].includes(r));
  const from = Math.min(...[...(a.spilled[d].includes(grown) ? [grown] : []), ...changed].map(orderOf));
  return role => changed.includes(role as Role) || (a.spilled[d].includes(role) && orderOf(role) > from);
}


describe('property: random estates, laid out without synthesizing', () => {
  test('the layout succeeds exactly when the rules fit by count, or (prefix lists) when first-fit decreasing packs them', () => {
    const seen = { fits: 0, refused: 0, weighted: 0, overflowing: 0 };
    fc.assert(fc.property(estateArb(), estate => {
      const expected = expectation(estate);
      const layouts = layoutsOf(estate);
      const ok = fits(layouts);
      seen[ok ? 'fits' : 'refused']++;
      if (expected.weighted) seen.weighted++;
      if (ok && layouts.some(l => l.result.groups > 1)) seen.overflowing++;
      if (!expected.countFits) expect(ok).toBe(false);
      else if (!expected.weighted || expected.packs) expect(ok).toBe(true);
    }), { numRuns: runs(60) });
    expect(Math.min(seen.fits, seen.refused, seen.weighted, seen.overflowing)).toBeGreaterThan(share(60, 0.12));
  });

  test('appending 1 to 5 peers to a random role of an overflowing estate: no existing rule moves but as the contract says, and mostly none', () => {
    const seen = { appended: 0, nothingMoved: 0 };
    fc.assert(fc.property(estateArb([3, 22]), fc.nat(), fc.integer({ min: 1, max: 5 }), fc.nat(), (estate, pick, n, seed) => {
      const before = layoutsOf(estate);
      if (!fits(before) || !before.some(l => l.result.groups > 1)) return;
      const properties = [...estate.peers.keys()];
      const property = properties[pick % properties.length];
      const after = layoutsOf(appended(estate, property, n, seed));
      if (!fits(after)) return;
      seen.appended++;
      const grown = PROPERTIES.find(([p]) => p === property)![1];
      let moved = 0;
      for (const [i, b] of before.entries()) {
        const [x, y] = [groupsByContent(b.rules, b.result), groupsByContent(after[i].rules, after[i].result)];
        for (const [rule, g] of x) {
          if (y.get(rule) === g) continue;
          moved++;
          const [, d, , , , key] = rule.split('|');
          const role = b.rules.units.find(u => u.key === key)!.role;
          expect({ rule, allowed: allowed(b, after[i], grown, d as Direction)(role) }).toEqual({ rule, allowed: true });
        }
      }
      if (moved === 0) seen.nothingMoved++;
    }), { numRuns: runs(100) });
    // Measured: about 87% of these appends move nothing at all; the rest move only what the contract names
    // (mostly a crowded first group: a role moving in or out of it). Far below, and the layout has regressed.
    expect(seen.appended).toBeGreaterThan(share(100, 0.3));
    expect(seen.nothingMoved / seen.appended).toBeGreaterThan(0.75);
  });
});

/**
 * What a rule counts, read from its content (`groupsByContent`'s names), not from the
 * library: a reference to a node or gateway 1 in both families, a prefix list
 * (`<property>-list-<max entries>`) its max entries in both, a CIDR 1 in its own.
 */
function countedOf(content: string): { weight: number; families: Array<'ipv4' | 'ipv6'> } {
  const peer = content.split('|')[2];
  const list = /-list-(\d+)$/.exec(peer);
  if (list) return { weight: Number(list[1]), families: ['ipv4', 'ipv6'] };
  if ((ALL_ROLES as string[]).includes(peer)) return { weight: 1, families: ['ipv4', 'ipv6'] };
  return { weight: 1, families: [peer.includes(':') ? 'ipv6' : 'ipv4'] };
}

/**
 * Whether the free room beside the recorded rules (`recorded`: content -> group) holds
 * the rules of `after` at `quota` x `groups`, when the new rules are CIDRs of one family
 * and weight 1: every recorded group exists and is within the quota, and each node's
 * rules per direction and family number at most the capacity (then any free place
 * takes any new rule).
 */
function roomHolds(recorded: ReadonlyMap<string, number>, after: Estate, quota: number, groups: number): boolean {
  const used = new Map<string, number>();
  for (const [content, g] of recorded) {
    if (g >= groups) return false;
    const { weight, families } = countedOf(content);
    const [holder, d] = content.split('|');
    for (const f of families) used.set(`${holder}|${d}|${g}|${f}`, (used.get(`${holder}|${d}|${g}|${f}`) ?? 0) + weight);
  }
  if ([...used.values()].some(n => n > quota)) return false;
  return [Role.PRD, Role.MBR].every(h => Object.values(nodeRules(after, h as Role.PRD | Role.MBR))
    .every(list => Object.values(countOf(list)).every(n => n <= quota * groups)));
}

/** The nodes' layouts of `estate` at `quota` x `groups`, each from the previous placement of `before`'s. */
function layoutsAfter(estate: Estate, before: ReadonlyArray<NodeLayout & { result: Layout }>, quota: number, groups: number): NodeLayout[] {
  return nodeUnits(estate).map((h, i) => ({
    rules: h,
    result: layoutGroups(h.units, quota, groups, recordOf(before[i].rules.units, before[i].result)),
  }));
}

/** Every recorded rule's group, by content, over the nodes. */
const contentGroups = (layouts: ReadonlyArray<NodeLayout & { result: Layout }>) =>
  new Map(layouts.flatMap(l => [...groupsByContent(l.rules, l.result)]));

/** A move as `holder|direction|peer key|protocol|from-to: g -> g'` (the library's report, and the test's own diff, both in this form). */
const moveName = (content: string, from: number, to: number) => {
  const [holder, d, , protocol, ports, key] = content.split('|');
  return `${holder}|${d}|${key}|${protocol}|${ports}: ${from} -> ${to}`;
};

describe('property: random estates laid out with the previous placement (layoutFile)', () => {
  test('appending 1 to 5 peers (and sometimes a lower quota or fewer groups): nothing moves exactly when the free room holds the new rules; '
    + 'otherwise the layout reports exactly the rules that move, or refuses as it would without the record', () => {
    const seen = { kept: 0, reported: 0, refused: 0 };
    const change = fc.constantFrom('none', 'none', 'quota', 'groups');
    fc.assert(fc.property(estateArb([3, 22]), fc.nat(), fc.integer({ min: 1, max: 5 }), fc.nat(), change, (estate, pick, n, seed, how) => {
      const before = layoutsOf(estate);
      if (!fits(before) || !before.some(l => l.result.groups > 1)) return;
      const properties = [...estate.peers.keys()];
      const grown = appended(estate, properties[pick % properties.length], n, seed);
      const quota = how === 'quota' ? Math.ceil(estate.ruleQuota * 0.8) : estate.ruleQuota;
      const groups = how === 'groups' ? Math.max(1, estate.maxSecurityGroups - 1) : estate.maxSecurityGroups;
      const recorded = contentGroups(before);
      const after = layoutsAfter(grown, before, quota, groups);
      if (roomHolds(recorded, grown, quota, groups)) {
        expect(fits(after)).toBe(true);
        seen.kept++;
        const now = contentGroups(after as Array<NodeLayout & { result: Layout }>);
        for (const [rule, g] of recorded) expect({ rule, g: now.get(rule) }).toEqual({ rule, g });
        for (const l of after as Array<NodeLayout & { result: Layout }>) {
          expect([l.result.stage, l.result.moved]).toEqual([{ ingress: 'recorded', egress: 'recorded' }, []]);
        }
        return;
      }
      // At the same quotas, new rules of weight 1 and one family lack room only when they do not fit by count.
      if (how === 'none') expect(fits(after)).toBe(false);
      if (!fits(after)) {
        // Refused only where the layout without the record refuses too.
        seen.refused++;
        expect(fits(nodeUnits(grown).map(h => ({ rules: h, result: layoutGroups(h.units, quota, groups) })))).toBe(false);
        return;
      }
      const now = contentGroups(after);
      const diff = [...recorded].filter(([rule, g]) => now.get(rule) !== g).map(([rule, g]) => moveName(rule, g, now.get(rule)!));
      const reported = after.flatMap(l => l.result.moved.map(m => {
        const [protocol, ports] = m.rule.split(':');
        const [from, to = from] = ports.split('-');
        return `${l.rules.holder}|${m.direction}|${m.key}|${protocol}|${from}-${to}: ${m.from} -> ${m.to}`;
      }));
      expect(reported.sort()).toEqual(diff.sort());
      if (diff.length > 0) seen.reported++;
    }), { numRuns: runs(120) });
    // Measured: of 120 cases about 40 keep everything, 10 to 15 fall back and move rules, 10 to 16 are refused (the rest do not
    // overflow). At the same quotas a fallback never happens here: new rules of weight 1 and one family find room exactly when
    // the count fits, and then the layout without the record fits too; the lower quotas and group counts make the fallbacks.
    expect(seen.kept).toBeGreaterThan(share(120, 0.15));
    expect(seen.reported).toBeGreaterThan(share(120, 0.04));
  });

  test('turning an integration on or off with the previous placement moves nothing (whenever the configuration fits)', () => {
    const seen = { on: 0, off: 0 };
    const toggled = PROPERTIES.map(([p]) => p).filter(p => p !== 'arbitrator' && p !== 'devices');
    fc.assert(fc.property(estateArb([3, 22]), fc.constantFrom(...toggled), fc.boolean(), (estate, property, on) => {
      const without = new Map(estate.peers);
      without.delete(property);
      const withIt = new Map([...without, [property, estate.peers.get(property) ?? [{ cidr: addressOf(property, 0) }]]]);
      const [first, second] = on ? [without, withIt] : [withIt, without];
      const before = layoutsOf({ ...estate, peers: first });
      if (!fits(before) || !before.some(l => l.result.groups > 1)) return;
      const after = layoutsAfter({ ...estate, peers: second }, before, estate.ruleQuota, estate.maxSecurityGroups);
      if (!fits(after)) {
        // Only turning one on can overflow, and then by count.
        expect(on && !roomHolds(contentGroups(before), { ...estate, peers: second }, estate.ruleQuota, estate.maxSecurityGroups)).toBe(true);
        return;
      }
      seen[on ? 'on' : 'off']++;
      const now = contentGroups(after);
      for (const [rule, g] of contentGroups(before)) if (now.has(rule)) expect({ rule, g: now.get(rule) }).toEqual({ rule, g });
      for (const l of after) expect(l.result.moved).toEqual([]);
    }), { numRuns: runs(60) });
    // Measured: 15 to 21 of each in 60 cases.
    expect(Math.min(seen.on, seen.off)).toBeGreaterThan(share(60, 0.1));
  });
});

/** The group index of each rule of the nodes' groups in a template, by content (as `groupsByContent` names it, without the unit). */
function templateGroups(app: App, groups: Map<Role, readonly ec2.ISecurityGroup[]>, lists: Map<string, string>): Map<string, number> {
  const index = new Map<string, [Role, number]>();
  for (const [role, list] of groups) list.forEach((g, i) => index.set(groupId(g), [role, i]));
  const out = new Map<string, number>();
  for (const f of ruleFacts(synthTemplates(app))) {
    const at = index.get(f.group);
    if (!at || (at[0] !== Role.PRD && at[0] !== Role.MBR) || (f.peer === 'cidr:255.255.255.255/32' && f.protocol === 'icmp')) continue;
    const peer = f.peer.startsWith('sg:') ? index.get(f.peer.slice(3))![0] : f.peer.startsWith('pl:') ? lists.get(f.peer)! : f.peer.replace(/^cidr6?:/, '');
    out.set(`${at[0]}|${f.direction}|${peer}|${f.protocol}|${f.fromPort}-${f.toPort}`, at[1]);
  }
  return out;
}

interface Built {
  readonly app: App;
  readonly cluster: SeguraCluster;
  readonly groups: Map<Role, readonly ec2.ISecurityGroup[]>;
  readonly lists: Map<string, { id: string; maxEntries: number }>;
}

/** Build an estate: the cluster, a Domum Gateway, and the Arbitrator when it is a construct; or the error. */
function synthEstate(estate: Estate): Built | { error: Error } {
  const app = new App();
  const stack = new Stack(app, 'S');
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-0123456789abcdef0', availabilityZones: ['us-east-1a'] });
  const props = estateProps(estate, stack);
  let cluster: SeguraCluster;
  try {
    cluster = new SeguraCluster(stack, 'Segura', { vpc, ...props });
  } catch (e) {
    return { error: e as Error };
  }
  const groups = new Map<Role, readonly ec2.ISecurityGroup[]>([[Role.PRD, cluster.primarySecurityGroups], [Role.MBR, cluster.memberSecurityGroups]]);
  groups.set(Role.DOMUM, new DomumGateway(stack, 'Domum', { vpc, cluster, ruleQuota: estate.ruleQuota }).securityGroups);
  if (estate.arbitratorGateway) groups.set(Role.ARB, new SeguraArbitrator(stack, 'Arbitrator', { vpc, cluster, ruleQuota: estate.ruleQuota }).securityGroups);
  // Prefix lists by their evaluator name, with their construct ID and max entries.
  const lists = new Map<string, { id: string; maxEntries: number }>();
  for (const c of stack.node.children.filter((x): x is ec2.PrefixList => x instanceof ec2.PrefixList)) {
    lists.set(`pl:${JSON.stringify(stack.resolve(c.prefixListId))}`, { id: c.node.id, maxEntries: (c.node.defaultChild as ec2.CfnPrefixList).maxEntries as number });
  }
  return { app, cluster, groups, lists };
}

/** Every integration with `n` device networks, the Arbitrator as a construct, at AWS's default quotas (12 fit, 30 do not). */
function example(n: number): Estate {
  const peers = new Map(PROPERTIES.filter(([p]) => p !== 'arbitrator').map(([p]) => [p, [{ cidr: addressOf(p, 0) }]]));
  peers.set('devices', Array.from({ length: n }, (_, k) => ({ cidr: addressOf('devices', k) })));
  return { peers, arbitratorGateway: true, clusterTraffic: ClusterTraffic.ALL_INSTANCES, ruleQuota: 60, maxSecurityGroups: 4 };
}

describe('property: random estates, synthesized', () => {
  test('synthesizes exactly when the layout does; no group over the quota; the template allows exactly the plan, in the layout\'s groups', () => {
    const seen = { fits: 0, refused: 0 };
    fc.assert(fc.property(estateArb([1, 24]), estate => {
      const expected = expectation(estate);
      const layouts = layoutsOf(estate);
      const built = synthEstate(estate);
      if ('error' in built) {
        seen.refused++;
        expect(built.error).toBeInstanceOf(SeguraValidationError);
        expect(fits(layouts)).toBe(false);
        if (expected.countFits && (!expected.weighted || expected.packs)) throw new Error(`refused, though it fits: ${built.error.message}`);
        return;
      }
      seen.fits++;
      expect(fits(layouts)).toBe(true);
      const { app, cluster, groups, lists } = built;
      const facts = ruleFacts(synthTemplates(app));
      // Within the quota in every group, direction and family, a prefix list counting its max entries.
      const used = new Map<string, number>();
      for (const f of facts.filter(x => !(x.peer === 'cidr:255.255.255.255/32' && x.protocol === 'icmp'))) {
        const families = f.peer.startsWith('cidr:') ? ['ipv4'] : f.peer.startsWith('cidr6:') ? ['ipv6'] : ['ipv4', 'ipv6'];
        for (const family of families) {
          const key = `${f.group}|${f.direction}|${family}`;
          used.set(key, (used.get(key) ?? 0) + (lists.get(f.peer)?.maxEntries ?? 1));
        }
      }
      for (const [key, n] of used) expect({ key, n: Math.min(n, estate.ruleQuota + 1) }).toEqual({ key, n: Math.min(n, estate.ruleQuota) });
      // Exactly the plan.
      const peers = new Map<string, string[]>();
      for (const [property, role] of PROPERTIES) {
        const list = estate.peers.get(property);
        if (!list) continue;
        peers.set(role, list.map(p => ('cidr' in p ? `cidr:${p.cidr}` : [...lists].find(([, l]) => l.id === `${p.list}-${p.maxEntries}`)![0])));
      }
      const actual = atoms(facts, wearersOf(groups as Map<string, readonly ec2.ISecurityGroup[]>));
      const planned = expectedAtoms(cluster.flows, new Set(groups.keys()), peers);
      expect(minus(actual, planned)).toEqual([]);
      expect(minus(planned, actual)).toEqual([]);
      // Each rule in the group the layout chose.
      const names = new Map([...lists].map(([k, l]) => [k, l.id]));
      const chosen = new Map<string, number>();
      for (const l of layouts as Array<NodeLayout & { result: Layout }>) {
        for (const [rule, g] of groupsByContent(l.rules, l.result)) chosen.set(rule.split('|').slice(0, 5).join('|'), g);
      }
      for (const [rule, g] of templateGroups(app, groups, names)) {
        expect({ rule, g }).toEqual({ rule, g: chosen.get(rule) });
      }
    }), { numRuns: 10, examples: [[example(12)], [example(30)]] });
    expect(Math.min(seen.fits, seen.refused)).toBeGreaterThanOrEqual(1);
  });
});
