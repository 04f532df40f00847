/**
 * The audit proper, cloud-neutral: the plan's flows between the config's addresses
 * against a firewall state. Missing: a flow some filter on its path does not let
 * through. Extra: for each allow rule, the part of what it decides (and the other
 * filters on the same path let through) that no flow needs, one finding per rule and
 * role.
 */
import { AddressSet } from './address-set';
import { hasPorts, Piece, Proto, Region } from './region';
import { allowedRegion, decide, Decision, decidedParts, FirewallState, Policy, PolicyRule, ProtectedInstance } from './state';
import { AuditFinding, AuditLocation, AuditReport } from './types';
import { Flow } from '../core/plan';

/** One place the config gives for a role: an instance's address or a peer's prefix. */
export interface Endpoint {
  readonly address: string;
  readonly set: AddressSet;
}

/** The config's addresses by role. */
export type Endpoints = ReadonlyMap<string, readonly Endpoint[]>;

type Direction = 'ingress' | 'egress';

/** `{ locations }` when there are any (each once, in order), else nothing: exports' findings keep their shape. */
function located(locations: readonly AuditLocation[]): { locations?: AuditLocation[] } {
  const seen = new Map(locations.map(l => [`${l.file}|${l.resource}`, l]));
  return seen.size === 0 ? {} : { locations: [...seen.values()] };
}

/** The rules the audit cannot place that might allow a flow a policy blocks. */
function mightAllow(policy: Policy, protocol: Proto, port: number): string[] {
  const unknown = policy.rules.filter(r => r.allow && r.unknown && !r.region.at(protocol, port).isEmpty).map(r => `${r.name} (${r.unknown})`);
  const maybe = policy.maybe.filter(m => m.allow && !m.region.at(protocol, port).isEmpty).map(m => `${m.name} (${m.why})`);
  return [...unknown, ...maybe];
}

function explain(d: Decision, wanted: AddressSet, might: readonly string[]): string {
  const denied = d.deniedBy.length > 0 ? `denied by ${d.deniedBy.join(', ')}` : 'no rule allows it';
  const text = d.allowed.isEmpty ? denied : `allows only ${d.allowed.describe()} of ${wanted.describe()} (the rest: ${denied})`;
  return might.length === 0 ? text : `${text}; might be allowed by ${might.join(', ')}`;
}

/** Planned flows the state does not let through, one finding per pair of addresses. */
function missing(flows: readonly Flow[], endpoints: Endpoints, instances: ReadonlyMap<string, ProtectedInstance>): AuditFinding[] {
  const out: AuditFinding[] = [];
  for (const f of flows) {
    for (const s of endpoints.get(f.source) ?? []) {
      for (const d of endpoints.get(f.destination) ?? []) {
        // An address's traffic with itself does not leave the instance, so no filter sees it: not needed, whatever
        // roles the configuration gives that address (as extra() leaves an instance's own address out of every rule).
        if (s.address === d.address) continue;
        const [from, to] = [instances.get(`${f.source}|${s.address}`), instances.get(`${f.destination}|${d.address}`)];
        const problems: string[] = [];
        const locations: AuditLocation[] = [];
        // Every filter on the path must let the flow through: each one that does not is named.
        const side = (instance: ProtectedInstance, direction: Direction, other: AddressSet) => {
          for (const policy of instance[direction]) {
            const decision = decide(policy, other, f.protocol as Proto, f.port);
            if (!decision.allowed.covers(other)) {
              problems.push(`${instance.role} ${direction} (${policy.name}): ${explain(decision, other, mightAllow(policy, f.protocol as Proto, f.port))}`);
              locations.push(...policy.locations ?? []);
            }
          }
        };
        if (from) side(from, 'egress', d.set);
        if (to) side(to, 'ingress', s.set);
        if (problems.length === 0) continue;
        out.push({
          source: f.source,
          destination: f.destination,
          protocol: f.protocol,
          fromPort: f.port,
          toPort: f.port,
          rowId: f.rowId,
          sourceAddress: s.address,
          destinationAddress: d.address,
          reason: problems.join('; '),
          ...located(locations),
        });
      }
    }
  }
  return out;
}

/**
 * What the plan needs of one instance's rules in one direction: the other ends' addresses per protocol and port
 * (the instance's own among them when its role is at both ends: `extra` takes it out of what a rule lets through).
 */
function needOf(instance: ProtectedInstance, direction: Direction, flows: readonly Flow[], endpoints: Endpoints): Region {
  let need = Region.EMPTY;
  for (const f of flows) {
    const [mine, theirs] = direction === 'ingress' ? [f.destination, f.source] : [f.source, f.destination];
    if (mine !== instance.role) continue;
    const set = (endpoints.get(theirs) ?? []).reduce((acc, e) => acc.union(e.set), AddressSet.EMPTY);
    need = need.union(Region.of([f.protocol as Proto], [[f.port, f.port]], set));
  }
  return need;
}

/** The protected side and the other end of a rule, as a finding names them. */
function ends(instance: ProtectedInstance, direction: Direction, other: string): { source: string; destination: string } {
  return direction === 'ingress' ? { source: other, destination: instance.role } : { source: instance.role, destination: other };
}

/** A short account of the traffic of some pieces: `tcp 22, 443; udp 123`. */
function trafficOf(pieces: readonly Piece[]): string {
  const byProtocol = new Map<string, string[]>();
  for (const p of pieces) {
    const list = byProtocol.get(p.protocol) ?? [];
    if (hasPorts(p.protocol)) list.push(p.lo === p.hi ? String(p.lo) : `${p.lo}-${p.hi}`);
    byProtocol.set(p.protocol, list);
  }
  return [...byProtocol].map(([protocol, ports]) => (ports.length > 0 ? `${protocol} ${ports.join(', ')}` : protocol)).join('; ');
}

type Namer = (set: AddressSet, written: string) => string;

/** The extra finding of one rule for one role: `leftover` is what it lets through that no flow needs; `effective` what it lets through. */
function ruleFinding(instance: ProtectedInstance, direction: Direction, rule: PolicyRule, effective: Region, leftover: Region,
  otherName: Namer): AuditFinding {
  const prefix = rule.isDefault ? `Azure's default rule ${rule.name} is in force: ` : '';
  const suffix = rule.unknown ? `; ${rule.unknown}` : '';
  const toward = direction === 'ingress' ? 'from' : 'to';
  const base = { ...ends(instance, direction, otherName(rule.other, rule.peer)), rule: rule.reportAs ?? rule.name };
  const at = located(rule.location ? [rule.location] : []);
  if (rule.allTraffic) {
    const needed = effective.minus(leftover);
    return {
      ...base,
      protocol: 'all',
      fromPort: -1,
      toPort: -1,
      reason: `${prefix}every protocol and port ${toward} ${rule.peer}`
        + (needed.isEmpty ? ', and the plan needs none of it' : `, where the plan needs only ${trafficOf(needed.pieces())}`) + suffix,
      ...at,
    };
  }
  const pieces = leftover.pieces();
  // Pieces no flow needs at all, and pieces where the plan needs some of the addresses, grouped by what it needs.
  const unneeded: Piece[] = [];
  const wider = new Map<string, { pieces: Piece[]; needed: string; notNeeded: string }>();
  for (const piece of pieces) {
    const needed = effective.at(piece.protocol, piece.lo).minus(piece.set);
    if (needed.isEmpty) { unneeded.push(piece); continue; }
    const name = otherName(needed, needed.describe());
    // What is not needed, when it is short to say (not for "everything but the users").
    const notNeeded = piece.set.toStrings().length <= 4 ? ` (not needed: ${otherName(piece.set, piece.set.describe())})` : '';
    const key = `${name}|${notNeeded}`;
    const group = wider.get(key) ?? { pieces: [], needed: name, notNeeded };
    group.pieces.push(piece);
    wider.set(key, group);
  }
  const parts: string[] = [];
  if (unneeded.length > 0) parts.push(`no row needs ${trafficOf(unneeded)} ${toward} ${rule.peer}`);
  if (wider.size > 0) {
    const groups = [...wider.values()].map(g => `${trafficOf(g.pieces)} ${toward} ${rule.peer}, where the plan needs only ${g.needed}${g.notNeeded}`);
    parts.push(`wider than the plan: ${groups.join('; ')}`);
  }
  const withPorts = pieces.filter(p => hasPorts(p.protocol));
  const [fromPort, toPort] = withPorts.length > 0 ? [Math.min(...withPorts.map(p => p.lo)), Math.max(...withPorts.map(p => p.hi))] : [-1, -1];
  const protocols = [...new Set(pieces.map(p => p.protocol))];
  return {
    ...base,
    protocol: rule.allProtocols || protocols.length > 1 ? 'all' : protocols[0],
    fromPort,
    toPort,
    reason: prefix + parts.join('; ') + suffix,
    ...at,
  };
}

/** What each allow rule lets through beyond the plan. */
function extra(flows: readonly Flow[], endpoints: Endpoints, state: FirewallState): AuditFinding[] {
  // Name a set by the roles whose addresses make it up exactly, else as written.
  const roleSets = [...endpoints].map(([role, list]) => [role, list.reduce((acc, e) => acc.union(e.set), AddressSet.EMPTY)] as const)
    .filter(([, set]) => !set.isEmpty);
  const otherName: Namer = (set, written) => {
    const inside = roleSets.filter(([, s]) => set.covers(s));
    const union = inside.reduce((acc, [, s]) => acc.union(s), AddressSet.EMPTY);
    return inside.length > 0 && union.equals(set) ? inside.map(([r]) => r).join(', ') : written;
  };
  // Per role, direction, filter and rule: what the rule lets through and what of it nothing needs, over the role's instances
  // (a member's own address is no traffic of its own; another member's may be needed or not).
  const parts = new Map<string, { instance: ProtectedInstance; direction: Direction; rule: PolicyRule; effective: Region; leftover: Region }>();
  for (const instance of state.instances) {
    const self = AddressSet.ofCidrs([instance.address]);
    for (const direction of ['ingress', 'egress'] as const) {
      const layers = instance[direction];
      const need = needOf(instance, direction, flows, endpoints);
      // Only what every filter on the path lets through is open: a rule's part is bounded by the other filters.
      const allowed = layers.length > 1 ? layers.map(allowedRegion) : [];
      layers.forEach((policy, i) => {
        const others = allowed.filter((_, j) => j !== i);
        for (const { rule, part } of decidedParts(policy)) {
          if (!rule.allow) continue;
          const effective = others.reduce((acc, a) => acc.intersect(a), part).minusAddresses(self);
          if (effective.isEmpty) continue;
          const key = `${instance.role}|${direction}|${policy.name}|${rule.name}`;
          const prior = parts.get(key);
          const leftover = effective.minus(need);
          parts.set(key, prior
            ? { ...prior, effective: prior.effective.union(effective), leftover: prior.leftover.union(leftover) }
            : { instance, direction, rule, effective, leftover });
        }
      });
    }
  }
  const out: AuditFinding[] = [];
  for (const p of parts.values()) {
    if (!p.leftover.isEmpty) out.push(ruleFinding(p.instance, p.direction, p.rule, p.effective, p.leftover, otherName));
  }
  return out;
}

/** Audit `state` against the plan's `flows` between the config's `endpoints`. */
export function compare(flows: readonly Flow[], endpoints: Endpoints, state: FirewallState): AuditReport {
  const instances = new Map(state.instances.map(i => [`${i.role}|${i.address}`, i]));
  return {
    missing: missing(flows, endpoints, instances),
    extra: extra(flows, endpoints, state),
    unresolved: [...state.unresolved],
  };
}
