/**
 * From flows to NSG rules, as plain data (no constructs): one rule per direction,
 * other-end role and protocol, with every port of it in `destination_port_ranges`,
 * every prefix in `*_address_prefixes` and the Segura nodes matched by their ASGs.
 * Names and priorities come from what a rule is (its slot), never from its position
 * in the configuration.
 */
import { Peer, PeerKind } from './peer';
import { DENY_PRIORITY, FIRST_PRIORITY, peerKeyFor, SLOT_STRIDE, slotKey, USER_BAND_FIRST } from './slots';
import { SeguraValidationError } from '../core/errors';
import { Protocol } from '../core/matrix';
import { Flow } from '../core/plan';
import { formatRange, mergePorts } from '../core/ports';
import { propertyOf, Role, ROLES } from '../core/roles';
import { describeRule, Direction, sidesOf } from '../core/rules';

/** Azure's limits on a rule's name and description. */
const MAX_NAME = 80;
const MAX_DESCRIPTION = 140;
/** Azure takes up to 10 application security groups on one side of a rule. */
const MAX_ASGS_PER_RULE = 10;

/** An NSG endpoint: ASGs, one prefix or service tag, or a list of prefixes. */
export type Endpoint = { asgIds: string[] } | { prefix: string } | { prefixes: string[] };

/** One NSG rule, ready to be written. */
export interface NsgRuleSpec {
  readonly name: string;
  readonly priority: number;
  readonly direction: 'Inbound' | 'Outbound';
  readonly protocol: 'Tcp' | 'Udp';
  /** Port ranges (`22`, `4567-4568`), or a token's string for a deploy-time port. */
  readonly ports: string[];
  readonly source: Endpoint;
  readonly destination: Endpoint;
  readonly description: string;
}

/** Who is who on the NSG being laid out. */
export interface LayoutTarget {
  /** The roles whose NICs the NSG protects, with their ASG IDs. */
  readonly owned: ReadonlyMap<Role, string>;
  /** Peers of the roles at the other end (for PRD/MBR/DOMUM: their ASG). */
  readonly peersOf: (role: Role) => Peer[];
  /** Roles at the other end that share rules (their ports are the same): PRD and MBR seen from a gateway. */
  readonly combinedPeers?: readonly Role[];
  /** The NSG's slot table (priorities.ts). */
  readonly slots: readonly string[];
  /** True for deploy-time values (tokens). */
  readonly isUnresolved: (v: unknown) => boolean;
  /** A token's string form, for a deploy-time port. */
  readonly tokenString: (v: number) => string;
}

function endpointOf(peers: Peer[]): Endpoint {
  const kind = peers[0].kind;
  if (kind === PeerKind.APPLICATION_SECURITY_GROUP) return { asgIds: peers.map(p => p.value) };
  if (kind === PeerKind.SERVICE_TAG || peers.length === 1) return { prefix: peers[0].value };
  return { prefixes: [...new Set(peers.map(p => p.value))] };
}

/** The prefixes of a role in one rule, its ASGs in rules of up to 10, each service tag in a rule of its own. */
function buckets(peers: Peer[]): Peer[][] {
  const unique = peers.filter((p, i, all) => all.findIndex(q => q.kind === p.kind && q.value === p.value) === i);
  const prefixes = unique.filter(p => p.kind === PeerKind.ADDRESS_PREFIX);
  const asgs = unique.filter(p => p.kind === PeerKind.APPLICATION_SECURITY_GROUP);
  const tags = unique.filter(p => p.kind === PeerKind.SERVICE_TAG);
  const asgChunks: Peer[][] = [];
  for (let i = 0; i < asgs.length; i += MAX_ASGS_PER_RULE) asgChunks.push(asgs.slice(i, i + MAX_ASGS_PER_RULE));
  return [...(prefixes.length ? [prefixes] : []), ...asgChunks, ...tags.map(p => [p])];
}

/** The NSG rules for the sides of `flows` that fall on `target.owned`. */
export function layoutNsgRules(flows: readonly Flow[], target: LayoutTarget): NsgRuleSpec[] {
  const peerKey = peerKeyFor(target.combinedPeers);
  interface Group { direction: Direction; peer: string; peerRoles: Set<Role>; protocol: Protocol; holders: Set<Role>; flows: Flow[] }
  const groups = new Map<string, Group>();
  for (const side of sidesOf(flows, [...target.owned.keys()])) {
    const peer = peerKey(side.peerRole);
    const key = slotKey(side.direction, peer, side.flow.protocol);
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
    if (slot < 0) throw new Error(`segura-constructs: no priority slot for ${key} (run \`npx projen priorities\`; please report this bug)`);
    return slot;
  };
  const keys = [...groups.keys()].sort((a, b) => slotOf(a) - slotOf(b));
  for (const key of keys) {
    const g = groups.get(key)!;
    const slot = slotOf(key);
    const ranges = mergePorts(g.flows.map(f => f.port), target.isUnresolved);
    const ports = ranges.map(r => target.isUnresolved(r.from) ? target.tokenString(r.from) : formatRange(r));
    const holders = [...target.owned.keys()].filter(r => g.holders.has(r));
    const holderEndpoint: Endpoint = { asgIds: holders.map(h => target.owned.get(h)!) };
    const dir = g.direction === 'ingress' ? 'In' : 'Out';
    const peerRoles = [...g.peerRoles];
    const peerName = peerRoles.length === 1 ? ROLES[peerRoles[0]].short : g.peer;
    const baseName = `Segura-${dir}-${holders.map(h => ROLES[h].short).join('_')}-${g.direction === 'ingress' ? 'from' : 'to'}-${peerName}-${g.protocol === Protocol.TCP ? 'Tcp' : 'Udp'}`;
    const peerBuckets = buckets(peerRoles.flatMap(r => target.peersOf(r)));
    const flowsSorted = [...g.flows].sort((a, b) => a.ordinal - b.ordinal);
    const description = describeRule({ flows: flowsSorted, protocol: g.protocol }, MAX_DESCRIPTION);
    peerBuckets.forEach((bucket, i) => {
      if (i >= SLOT_STRIDE) {
        throw new SeguraValidationError(peerRoles.map(propertyOf).join(', '), `${peerBuckets.length} separate service-tag or ASG peers need more than the ${SLOT_STRIDE} priorities a rule slot has; use fewer tags or ASGs, or prefixes`);
      }
      const priority = FIRST_PRIORITY + slot * SLOT_STRIDE + i;
      if (priority >= USER_BAND_FIRST) {
        throw new Error(`segura-constructs: rule ${baseName} would need priority ${priority}, in the band left to your rules (${USER_BAND_FIRST}-${DENY_PRIORITY - 1}; please report this bug)`);
      }
      const peerEndpoint = endpointOf(bucket);
      const [source, destination] = g.direction === 'ingress' ? [peerEndpoint, holderEndpoint] : [holderEndpoint, peerEndpoint];
      rules.push({
        name: (i === 0 ? baseName : `${baseName}-${i + 1}`).slice(0, MAX_NAME),
        priority,
        direction: g.direction === 'ingress' ? 'Inbound' : 'Outbound',
        protocol: g.protocol === Protocol.TCP ? 'Tcp' : 'Udp',
        ports,
        source,
        destination,
        description,
      });
    });
  }
  return rules;
}
