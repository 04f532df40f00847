/**
 * From flows to NSG rules, as plain data (no constructs): one rule per direction,
 * other-end role and protocol, with every port of it in `destination_port_ranges`,
 * every prefix in `*_address_prefixes` and the Segura nodes matched by their ASGs.
 * Names and priorities come from what a rule is (its slot), never from its position
 * in the configuration.
 */
import { Peer, PeerKind } from './peer';
import { peerIdentity } from './peers';
import { DENY_PRIORITY, FIRST_PRIORITY, peerKeyFor, SLOT_STRIDE, slotKey, USER_BAND_FIRST } from './slots';
import { SeguraValidationError } from '../core/errors';
import { Protocol } from '../core/matrix';
import { Flow } from '../core/plan';
import { formatRange, mergePorts } from '../core/ports';
import { RenderContext } from '../core/render-context';
import { propertyOf, Role, RoleKind, ROLES } from '../core/roles';
import { Direction, sidesOf } from '../core/rules';

/** Azure's limits on a rule's name and description. */
const MAX_NAME = 80;
export const MAX_DESCRIPTION = 140;
/** Azure takes up to 10 application security groups on one side of a rule. */
const MAX_ASGS_PER_RULE = 10;
/** Azure takes up to 4,000 address prefixes on one side of a rule. */
const MAX_PREFIXES_PER_RULE = 4000;

/**
 * The bands of priorities within a slot, so that one kind of peer growing never
 * moves another's rules: [first offset, size]. IPv4 and IPv6 prefixes never share a
 * rule (Azure rejects mixed families), each in chunks of 4,000; ASGs in chunks of 10;
 * each service tag in a rule of its own. A slot toward the Segura nodes or a gateway
 * has their ASGs only, at offset 0.
 */
export const SLOT_BANDS = Object.freeze({ ipv4: [0, 10], ipv6: [10, 10], asg: [20, 10], tag: [30, 20] } as const);
const NODE_SLOT_BANDS = Object.freeze({ asg: [0, 10], ipv4: [10, 10], ipv6: [20, 10], tag: [30, 20] } as const);
type Band = keyof typeof SLOT_BANDS;

/** An NSG endpoint: ASGs, one prefix or service tag, or a list of prefixes. */
export type NsgEndpoint = { asgIds: string[] } | { prefix: string } | { prefixes: string[] };

/** One NSG rule, ready to be written. */
export interface NsgRuleSpec {
  readonly name: string;
  readonly priority: number;
  readonly direction: 'Inbound' | 'Outbound';
  readonly protocol: 'Tcp' | 'Udp';
  /** Port ranges (`22`, `4567-4568`), or a token's string for a deploy-time port. */
  readonly ports: string[];
  readonly source: NsgEndpoint;
  readonly destination: NsgEndpoint;
  readonly description: string;
  /** The roles at the other end, whose peers the rule names (none: the nodes and gateways only). */
  readonly roles?: readonly Role[];
}

/** Who is who on the NSG whose rules are being made. */
export interface RuleTarget {
  /** The roles whose NICs the NSG protects (the holders of its rules), with their ASG IDs. */
  readonly holders: ReadonlyMap<Role, string>;
  /** Peers of the roles at the other end (for PRD/MBR/DOMUM: their ASG). */
  readonly peersOf: (role: Role) => Peer[];
  /** Roles at the other end that share rules (their ports are the same): PRD and MBR seen from a gateway. */
  readonly combinedPeers?: readonly Role[];
  /** The NSG's slot table (priorities.ts). */
  readonly slots: readonly string[];
  /** A token's string form, for a deploy-time port. */
  readonly tokenString: (v: number) => string;
}

function endpointOf(peers: Peer[]): NsgEndpoint {
  const kind = peers[0].kind;
  if (kind === PeerKind.APPLICATION_SECURITY_GROUP) return { asgIds: peers.map(p => p.value) };
  if (kind === PeerKind.SERVICE_TAG || peers.length === 1) return { prefix: peers[0].value };
  return { prefixes: [...new Set(peers.map(p => p.value))] };
}

/** Peers in rules: the bucket's offset in its slot, its name suffix, and its peers. */
interface Bucket { readonly offset: number; readonly suffix: string; readonly peers: Peer[] }

const chunk = <T>(list: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

/**
 * A rule's peers in buckets, each a rule: IPv4 prefixes in chunks of 4,000, then IPv6
 * prefixes likewise, ASGs in chunks of 10, and each service tag alone.
 */
function buckets(peers: Peer[], property: string, towardNodes: boolean): Bucket[] {
  const bands = towardNodes ? NODE_SLOT_BANDS : SLOT_BANDS;
  // Each peer once (the first kept), as aggregatePeers keeps them: in one pass, so 40,000 prefixes cost no more than their count.
  const seen = new Set<unknown>();
  const unique = peers.filter(p => {
    const key = peerIdentity(p.kind, p.value);
    return !seen.has(key) && !!seen.add(key);
  });
  const prefixes = unique.filter(p => p.kind === PeerKind.ADDRESS_PREFIX);
  const groups: Array<[Band, Peer[][], (i: number) => string]> = [
    ['ipv4', chunk(prefixes.filter(p => !p.value.includes(':')), MAX_PREFIXES_PER_RULE), i => (i ? `-${i + 1}` : '')],
    ['ipv6', chunk(prefixes.filter(p => p.value.includes(':')), MAX_PREFIXES_PER_RULE), i => `-V6${i ? `-${i + 1}` : ''}`],
    ['asg', chunk(unique.filter(p => p.kind === PeerKind.APPLICATION_SECURITY_GROUP), MAX_ASGS_PER_RULE),
      i => (towardNodes ? (i ? `-${i + 1}` : '') : `-ASG${i ? `-${i + 1}` : ''}`)],
  ];
  const tags = unique.filter(p => p.kind === PeerKind.SERVICE_TAG).sort((a, b) => a.value.localeCompare(b.value));
  const out: Bucket[] = [];
  for (const [band, chunks, suffix] of groups) {
    if (chunks.length > SLOT_BANDS[band][1]) {
      const most = SLOT_BANDS[band][1] * (band === 'asg' ? MAX_ASGS_PER_RULE : MAX_PREFIXES_PER_RULE);
      throw new SeguraValidationError(property, band === 'asg'
        ? `${chunks.flat().length} application security groups: the rules of a slot name at most ${most}; give some peers as address prefixes instead of ASGs`
        : `more than ${most} ${band === 'ipv4' ? 'IPv4' : 'IPv6'} prefixes after aggregation: more than one NSG rule slot holds; give wider prefixes`);
    }
    chunks.forEach((peersOfChunk, i) => out.push({ offset: bands[band][0] + i, suffix: suffix(i), peers: peersOfChunk }));
  }
  if (tags.length > SLOT_BANDS.tag[1]) {
    throw new SeguraValidationError(property, `${tags.length} service tags: a rule slot holds ${SLOT_BANDS.tag[1]} (each tag takes a rule of its own); use fewer tags, or prefixes`);
  }
  tags.forEach((tag, i) => out.push({ offset: bands.tag[0] + i, suffix: `-${tag.value}`, peers: [tag] }));
  return out;
}

/** The NSG rules for the sides of `flows` that fall on `target.holders`, described as the render context says. */
export function nsgRules(context: RenderContext, flows: readonly Flow[], target: RuleTarget): NsgRuleSpec[] {
  const peerKey = peerKeyFor(target.combinedPeers);
  interface Group { direction: Direction; peer: string; peerRoles: Set<Role>; protocol: Protocol; holders: Set<Role>; flows: Flow[] }
  const groups = new Map<string, Group>();
  for (const side of sidesOf(flows, [...target.holders.keys()])) {
    const peer = peerKey(side.peerRole);
    const key = slotKey(side.direction, peer, side.flow.protocol, side.flow.viaVendorGuide);
    const g = groups.get(key)
      ?? { direction: side.direction, peer, peerRoles: new Set<Role>(), protocol: side.flow.protocol, holders: new Set<Role>(), flows: [] };
    g.holders.add(side.holder);
    g.peerRoles.add(side.peerRole);
    if (!g.flows.includes(side.flow)) g.flows.push(side.flow);
    groups.set(key, g);
  }
  const rules: NsgRuleSpec[] = [];
  const slotOf = (key: string) => {
    const slot = target.slots.indexOf(key);
    if (slot < 0) throw new Error(`segura-constructs: no priority slot for ${key} (run \`npx projen generate\`; please report this bug)`);
    return slot;
  };
  const keys = [...groups.keys()].sort((a, b) => slotOf(a) - slotOf(b));
  for (const key of keys) {
    const g = groups.get(key)!;
    const slot = slotOf(key);
    const ranges = mergePorts(g.flows.map(f => f.port), context.isUnresolved);
    const ports = ranges.map(r => context.isUnresolved(r.from) ? target.tokenString(r.from) : formatRange(r));
    const holders = [...target.holders.keys()].filter(r => g.holders.has(r));
    const holderEndpoint: NsgEndpoint = { asgIds: holders.map(h => target.holders.get(h)!) };
    const dir = g.direction === 'ingress' ? 'In' : 'Out';
    const peerRoles = [...g.peerRoles];
    const peerName = peerRoles.length === 1 ? ROLES[peerRoles[0]].short : g.peer;
    const baseName = `Segura-${dir}-${holders.map(h => ROLES[h].short).join('_')}-${g.direction === 'ingress' ? 'from' : 'to'}-${peerName}-${g.protocol === Protocol.TCP ? 'Tcp' : 'Udp'}`;
    const peerBuckets = buckets(peerRoles.flatMap(r => target.peersOf(r)), peerRoles.map(propertyOf).join(', '),
      peerRoles.every(r => ROLES[r].kind !== RoleKind.ADDRESSES));
    const flowsSorted = [...g.flows].sort((a, b) => a.ordinal - b.ordinal);
    const description = context.describe({ flows: flowsSorted, protocol: g.protocol }, MAX_DESCRIPTION);
    peerBuckets.forEach(bucket => {
      const priority = FIRST_PRIORITY + slot * SLOT_STRIDE + bucket.offset;
      if (priority >= USER_BAND_FIRST) {
        throw new Error(`segura-constructs: rule ${baseName} would need priority ${priority}, in the band left to your rules (${USER_BAND_FIRST}-${DENY_PRIORITY - 1}; please report this bug)`);
      }
      const peerEndpoint = endpointOf(bucket.peers);
      const [source, destination] = g.direction === 'ingress' ? [peerEndpoint, holderEndpoint] : [holderEndpoint, peerEndpoint];
      rules.push({
        name: `${baseName}${bucket.suffix}`.slice(0, MAX_NAME),
        priority,
        direction: g.direction === 'ingress' ? 'Inbound' : 'Outbound',
        protocol: g.protocol === Protocol.TCP ? 'Tcp' : 'Udp',
        ports,
        source,
        destination,
        description,
        roles: peerRoles,
      });
    });
  }
  return rules;
}
