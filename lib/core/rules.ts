/**
 * From flows to rules, cloud-neutral: which node group holds a rule in which
 * direction, and adjacent ports of the same peer and protocol joined into ranges.
 * Pure functions (no constructs), shared by both renderers.
 */
import { Protocol, Role } from './matrix';
import { Flow, PEER_ROLES } from './plan';
import { mergePorts, PortRange } from './ports';

/** Direction of a rule, seen from the group that holds it. */
export type Direction = 'ingress' | 'egress';

/** One side of a flow that a renderer must open on a group it owns. */
export interface FlowSide {
  /** The group (role) holding the rule. */
  readonly holder: Role;
  /** Ingress when the holder is the flow's destination, egress when it is its source. */
  readonly direction: Direction;
  /** The role at the other end. */
  readonly peerRole: Role;
  /** The flow. */
  readonly flow: Flow;
}

/** The sides of the flows that fall on groups in `owned` (e.g. PRD and MBR, or DOMUM). */
export function sidesOf(flows: readonly Flow[], owned: readonly Role[]): FlowSide[] {
  const out: FlowSide[] = [];
  for (const flow of flows) {
    if (owned.includes(flow.source)) out.push({ holder: flow.source, direction: 'egress', peerRole: flow.destination, flow });
    if (owned.includes(flow.destination)) out.push({ holder: flow.destination, direction: 'ingress', peerRole: flow.source, flow });
  }
  return out;
}

/** A flow side bound to one concrete peer (a CIDR, a group reference...). */
export interface PeerSide {
  readonly side: FlowSide;
  /** Identifies the concrete peer; sides with the same key may share a rule. */
  readonly peerKey: string;
}

/** A rule: one holder, direction, peer and protocol, over one port range. */
export interface MergedRule {
  readonly holder: Role;
  readonly direction: Direction;
  readonly peerKey: string;
  readonly protocol: Protocol;
  readonly range: PortRange;
  /** The flows the rule serves, in document order. */
  readonly flows: Flow[];
}

/**
 * Group sides by (holder, direction, peer, protocol) and join adjacent ports into
 * ranges, never wider than the ports asked for. Output order is deterministic.
 */
export function mergeRules(sides: readonly PeerSide[], isUnresolved: (n: number) => boolean = () => false): MergedRule[] {
  const groups = new Map<string, PeerSide[]>();
  for (const ps of sides) {
    const key = [ps.side.holder, ps.side.direction, ps.peerKey, ps.side.flow.protocol].join('\u0000');
    const list = groups.get(key) ?? [];
    list.push(ps);
    groups.set(key, list);
  }
  const out: MergedRule[] = [];
  for (const key of [...groups.keys()].sort()) {
    const list = groups.get(key)!;
    const first = list[0];
    for (const range of mergePorts(list.map(ps => ps.side.flow.port), isUnresolved)) {
      const flows = list.map(ps => ps.side.flow)
        .filter(f => isUnresolved(f.port) ? f.port === range.from : f.port >= range.from && f.port <= range.to)
        .filter((f, i, all) => all.findIndex(g => g.id === f.id) === i)
        .sort((a, b) => a.ordinal - b.ordinal || a.id.localeCompare(b.id));
      out.push({
        holder: first.side.holder,
        direction: first.side.direction,
        peerKey: first.peerKey,
        protocol: first.side.flow.protocol,
        range,
        flows,
      });
    }
  }
  return out;
}

/**
 * A plain-ASCII description naming the document rows, services, ports and direction:
 * `MGT-SMTP: SMTP 420/tcp PRD to MAIL SERVER`. Cut to `max` characters.
 */
export function describeRule(rule: { readonly flows: readonly Flow[]; readonly protocol: Protocol }, max: number): string {
  const ids = [...new Set(rule.flows.map(f => f.rowId))];
  const services = [...new Set(rule.flows.map(f => `${f.service} ${f.port}`))];
  const sources = [...new Set(rule.flows.map(f => f.source))];
  const destinations = [...new Set(rule.flows.map(f => f.destination))];
  const pairs = sources.length > 1 && destinations.length > 1
    ? [...new Set(rule.flows.map(f => `${f.source} to ${f.destination}`))]
    : [`${sources.join('+')} to ${destinations.join('+')}`];
  const note = rule.flows.some(f => f.viaClusterNote) ? ' (cluster note)' : '';
  const text = `${ids.join(' ')}: ${services.join(', ')}/${rule.protocol} ${pairs.join(', ')}${note}`
    .replace(/[^A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]/g, ' ');
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}

/** What an NSG-style rule is: its direction, the role at the other end, and its protocol. */
export function slotKey(direction: Direction, peer: string, protocol: Protocol): string {
  return `${direction}|${peer}|${protocol}`;
}

/**
 * Every rule a group set could ever need, in document order, from the whole matrix
 * (every role configured, members present, mirrors and proxy alike). A rule's index
 * in this catalog depends on what it is, never on the configuration, so that turning
 * one integration on or off moves no other rule (stable NSG priorities).
 * `peerKey` names the other end: roles it maps to one key share a rule.
 */
export function slotCatalog(owned: readonly Role[], flowsFor: (peerRoles: Role[]) => Flow[], peerKey: (role: Role) => string = r => r): string[] {
  const withMirror = flowsFor(PEER_ROLES.filter(r => r !== Role.APT_PROXY));
  const withProxy = flowsFor(PEER_ROLES.filter(r => r !== Role.PACKAGE_MIRROR));
  const keys: string[] = [];
  for (const side of sidesOf([...withMirror, ...withProxy], owned)) {
    const key = slotKey(side.direction, peerKey(side.peerRole), side.flow.protocol);
    if (!keys.includes(key)) keys.push(key);
  }
  return keys;
}
