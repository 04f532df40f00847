/* eslint-disable no-bitwise */ // address arithmetic is bit arithmetic
/**
 * World access judged on what a role's prefixes are together: the whole IPv4 or IPv6
 * space split at random into 2 to 256 pieces, shuffled, mixed with ordinary prefixes,
 * all given to one role, for every role on both clouds and in the CLI. Without
 * allowAnyAddress naming the role: refused (a warning in the CLI), with the same words
 * as one prefix covering everything. With it: exactly the output of the whole space
 * given as one prefix.
 */
import './support/fast-synth';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { TerraformStack, Testing } from 'cdktf';
import * as fc from 'fast-check';
import * as aws from '../lib/aws';
import * as azure from '../lib/azure';
import { run } from '../lib/cli/main';
import { ClusterTraffic, FirewallPlan, Role } from '../lib/core';
import { CONSTRUCT_PEER_ROLES } from '../lib/core/config';
import { ALL_ROLES, isNode, ROLES } from '../lib/core/roles';
import { SeguraValidationError } from '../lib/errors';
import { atoms, expectedAtoms, minus, ruleFacts, synthTemplates, wearersOf } from './support/aws-evaluator';
import { ipv4Cidr } from './support/random';
import { runs } from './support/runs';

type Family = 'ipv4' | 'ipv6';
const BITS: Record<Family, number> = { ipv4: 32, ipv6: 128 };

/** A prefix as text, IPv6 in RFC 5952's canonical form (the test's own spelling). */
function text(family: Family, net: bigint, len: number): string {
  if (family === 'ipv4') return `${[24n, 16n, 8n, 0n].map(s => String((net >> s) & 255n)).join('.')}/${len}`;
  const groups = Array.from({ length: 8 }, (_, i) => Number((net >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = -1; let bestLen = 1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
  }
  const hex = groups.map(g => g.toString(16));
  return `${best < 0 ? hex.join(':') : `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`}/${len}`;
}

interface Split {
  readonly family: Family;
  /** The pieces and the ordinary prefixes, in the order given. */
  readonly given: string[];
  /** How many distinct prefixes of the split family are given, and the first three in address order. */
  readonly count: number;
  readonly firstThree: string[];
}

/**
 * The whole space of `family` cut into 2-256 pieces (a random piece halved, again and
 * again), shuffled, with ordinary prefixes mixed in (IPv4 ones: inside the space when
 * the split is IPv4, beside it when IPv6).
 */
const splitArb: fc.Arbitrary<Split> = fc.record({
  family: fc.constantFrom<Family>('ipv4', 'ipv6'),
  // 1-255 cuts make 2-256 pieces; as many large splits as small ones.
  cuts: fc.oneof(fc.integer({ min: 1, max: 15 }), fc.integer({ min: 16, max: 255 })).chain(n => fc.array(fc.nat(), { minLength: n, maxLength: n })),
  ordinary: fc.uniqueArray(ipv4Cidr, { maxLength: 3 }),
  order: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 260, maxLength: 260 }),
}).map(({ family, cuts, ordinary, order }) => {
  let pieces: Array<[bigint, number]> = [[0n, 0]];
  for (const cut of cuts) {
    const splittable = pieces.filter(([, len]) => len < BITS[family]);
    const [net, len] = splittable[cut % splittable.length];
    const half = 1n << BigInt(BITS[family] - len - 1);
    pieces = pieces.flatMap(p => (p[0] === net && p[1] === len ? [[net, len + 1], [net + half, len + 1]] as Array<[bigint, number]> : [p]));
  }
  const given = [...pieces.map(([net, len]) => text(family, net, len)), ...ordinary]
    .map((c, i) => [c, order[i % order.length] + i * 1e-9] as const).sort((a, b) => a[1] - b[1]).map(([c]) => c);
  // The split family's prefixes, distinct, in address order (then shorter first).
  const ofFamily = [...pieces, ...(family === 'ipv4' ? ordinary.map(o => {
    const [addr, len] = o.split('/');
    return [addr.split('.').reduce((n, x) => (n << 8n) | BigInt(Number(x)), 0n), Number(len)] as [bigint, number];
  }) : [])];
  const distinct = [...new Map(ofFamily.map(([n, l]) => [`${n}/${l}`, [n, l] as [bigint, number]])).values()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
  return { family, given, count: distinct.length, firstThree: distinct.slice(0, 3).map(([n, l]) => text(family, n, l)) };
});

const WHOLE: Record<Family, string> = { ipv4: '0.0.0.0/0', ipv6: '::/0' };
const word = (f: Family) => (f === 'ipv4' ? 'IPv4' : 'IPv6');

/** What the message says of the prefixes together. */
const together = (s: Split) => `the ${s.count} prefixes ${s.firstThree.map(c => `"${c}"`).join(', ')}${s.count > 3 ? ', ...' : ''} together are every ${word(s.family)} address`;

/** `value` at the role's property path (`management.ntp`, `aptProxy.peers`). */
function at(property: string, value: unknown): Record<string, unknown> {
  const [head, tail] = property.split('.');
  return tail ? { [head]: { [tail]: value } } : { [head]: value };
}

/** The error a construct throws, or undefined. */
function errorOf(fn: () => void): SeguraValidationError | undefined {
  try { fn(); } catch (e) { if (e instanceof SeguraValidationError) return e; throw e; }
  return undefined;
}

/**
 * The refusal of the split must say what the refusal of the whole space as one
 * prefix says (tested word for word in bad-inputs.test.ts), of the prefixes together.
 */
function expectRefusedLikeWhole(split: Split, property: string, error?: SeguraValidationError, whole?: SeguraValidationError): void {
  const wholeStart = `"${WHOLE[split.family]}" is every ${word(split.family)} address: `;
  expect(whole?.message.startsWith(`${property}[0]: ${wholeStart}`)).toBe(true);
  expect(error?.message).toBe(`${property}: ${together(split)}: ${whole!.message.slice(`${property}[0]: ${wholeStart}`.length)}`);
}

const awsPeer = (c: string) => (c.includes(':') ? ec2.Peer.ipv6(c) : ec2.Peer.ipv4(c));
const azurePeer = (c: string) => (c.includes(':') ? azure.Peer.ipv6(c) : azure.Peer.ipv4(c));

describe('property: the whole address space split at random, given to one role', () => {
  test('AWS: refused without allowAnyAddress; with it, exactly the plan toward every address', () => {
    fc.assert(fc.property(fc.constantFrom(...CONSTRUCT_PEER_ROLES), splitArb, (role, split) => {
      const property = ROLES[role].property;
      const build = (peers: string[], allowAnyAddress?: string[]) => {
        const app = new App();
        const stack = new Stack(app, 'W');
        const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-12345678', availabilityZones: ['a'] });
        const cluster = new aws.SeguraCluster(stack, 'Segura', { vpc, ...at(property, peers.map(awsPeer)), allowAnyAddress } as any);
        return { app, cluster };
      };
      expectRefusedLikeWhole(split, property, errorOf(() => build(split.given)), errorOf(() => build([WHOLE[split.family]])));

      const { app, cluster } = build(split.given, [property]);
      const groups = new Map<string, readonly ec2.ISecurityGroup[]>([
        [Role.PRD, cluster.primarySecurityGroups], [Role.MBR, cluster.memberSecurityGroups],
      ]);
      const flows = FirewallPlan.flows({ peerRoles: [role] });
      const peers = new Map([[role as string, split.given.map(c => `${c.includes(':') ? 'cidr6' : 'cidr'}:${c}`)]]);
      const actual = atoms(ruleFacts(synthTemplates(app)), wearersOf(groups));
      const expected = expectedAtoms(flows, new Set(groups.keys()), peers);
      expect(minus(actual, expected)).toEqual([]);
      expect(minus(expected, actual)).toEqual([]);
    }), { numRuns: runs(6) });
  });

  test('Azure: refused without allowAnyAddress; with it, the same Terraform as the whole space given as one prefix', () => {
    fc.assert(fc.property(fc.constantFrom(...CONSTRUCT_PEER_ROLES), splitArb, (role, split) => {
      const property = ROLES[role].property;
      const synth = (peers: string[], allowAnyAddress?: string[]) => {
        const stack = new TerraformStack(Testing.app(), 'W');
        new AzurermProvider(stack, 'azurerm', { features: [{}] });
        const placement = { resourceGroupName: 'rg', location: 'brazilsouth' };
        new azure.SeguraCluster(stack, 'Segura', { ...placement, ...at(property, peers.map(azurePeer)), allowAnyAddress } as any);
        return Testing.synth(stack, true);
      };
      expectRefusedLikeWhole(split, property, errorOf(() => synth(split.given)), errorOf(() => synth([WHOLE[split.family]])));
      // The other family's ordinary prefixes stay as they are; the split family's are the whole space.
      const others = split.given.filter(c => (c.includes(':') ? 'ipv6' : 'ipv4') !== split.family);
      expect(synth(split.given, [property])).toBe(synth([WHOLE[split.family], ...others], [property]));
    }), { numRuns: runs(8) });
  });

  test('the CLI: a warning without allowAnyAddress, with the words of the whole space as one prefix; with it, no warning and every line', async () => {
    const matrix = async (config: object) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await run(['matrix', '--format', 'json', '--config', '-'], { out: s => { out.push(s); }, err: s => { err.push(s); }, stdin: () => JSON.stringify(config) });
      return { code, out: out.join(''), err };
    };
    const USERS = '10.10.0.0/16';
    await fc.assert(fc.asyncProperty(fc.constantFrom(...ALL_ROLES), splitArb, async (role, split) => {
      const property = ROLES[role].property;
      // The Primary alone opens nothing: give it users (a peer, not another instance). Members
      // reach only the Primary here (member to member would be every pair of 256 pieces).
      const base = role === Role.PRD ? { users: [USERS] } : role === Role.MBR ? { clusterTraffic: ClusterTraffic.PRIMARY_AND_MEMBERS_ONLY } : {};
      const warned = await matrix({ ...base, ...at(property, split.given) });
      const whole = await matrix({ ...base, ...at(property, [WHOLE[split.family]]) });
      expect([warned.code, warned.err.length, whole.code, whole.err.length]).toEqual([0, 1, 0, 1]);
      const wholeStart = `segura-firewall: warning: ${property}[0]: "${WHOLE[split.family]}" is every ${word(split.family)} address: `;
      expect(whole.err[0].startsWith(wholeStart)).toBe(true);
      expect(warned.err[0]).toBe(`segura-firewall: warning: ${property}: ${together(split)}: ${whole.err[0].slice(wholeStart.length)}`);

      const allowed = await matrix({ ...base, ...at(property, split.given), allowAnyAddress: [property] });
      expect([allowed.code, allowed.err]).toEqual([0, []]);
      // Every flow of the role, from or to each address as given (the test's own expansion of the plan).
      const flows = FirewallPlan.flows({
        peerRoles: [...(isNode(role) ? [] : [role]), ...(role === Role.PRD ? [Role.USERW] : [])],
        clusterMembers: role === Role.MBR,
        clusterTraffic: ClusterTraffic.PRIMARY_AND_MEMBERS_ONLY,
      });
      const of = (r: string) => (r === role ? split.given : r === Role.USERW && role === Role.PRD ? [USERS] : r === Role.PRD ? [Role.PRD] : []);
      const expected = flows.flatMap(f => of(f.source).flatMap(s => of(f.destination).filter(d => d !== s).map(d => `${f.rowId} ${s}>${d} ${f.protocol}/${f.port}`)));
      const lines = JSON.parse(allowed.out).map((l: any) => `${l.rowId} ${l.sourceAddress}>${l.destinationAddress} ${l.protocol}/${l.fromPort}`);
      expect(lines.sort()).toEqual(expected.sort());
    }), { numRuns: runs(20) });
  });
});
