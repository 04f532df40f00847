/**
 * The audit proper, cloud-neutral: the plan's flows between the config's addresses
 * against a firewall state. Missing: a flow some side does not let through. Extra:
 * for each allow rule, the part of what it decides that no flow needs.
 */
import { AddressSet } from './address-set';
import { hasPorts, Piece, Proto, Region } from './region';
import { decide, Decision, FirewallState, Policy, PolicyRule, ProtectedInstance } from './state';
import { AuditFinding, AuditReport } from './types';
import { Flow } from '../core/plan';

/** One place the config gives for a role: an instance's address or a peer's prefix. */
export interface Endpoint {
  readonly address: string;
  readonly set: AddressSet;
}

/** The config's addresses by role. */
export type Endpoints = ReadonlyMap<string, readonly Endpoint[]>;

const portText = (protocol: string, from: number, to: number) => (from < 0 ? protocol : `${protocol} ${from === to ? from : `${from}-${to}`}`);

function explain(d: Decision, wanted: AddressSet): string {
  const denied = d.deniedBy.length > 0 ? `denied by ${d.deniedBy.join(', ')}` : 'no rule allows it';
  if (d.allowed.isEmpty) return denied;
  return `allows only ${d.allowed.describe()} of ${wanted.describe()} (the rest: ${denied})`;
}

/** Planned flows the state does not let through, one finding per pair of addresses. */
function missing(flows: readonly Flow[], endpoints: Endpoints, instances: ReadonlyMap<string, ProtectedInstance>): AuditFinding[] {
  const out: AuditFinding[] = [];
  for (const f of flows) {
    for (const s of endpoints.get(f.source) ?? []) {
      for (const d of endpoints.get(f.destination) ?? []) {
        if (f.source === f.destination && s.address === d.address) continue;
        const [from, to] = [instances.get(`${f.source}|${s.address}`), instances.get(`${f.destination}|${d.address}`)];
        const problems: string[] = [];
        const side = (instance: ProtectedInstance, direction: 'egress' | 'ingress', policy: Policy, other: AddressSet) => {
          const decision = decide(policy, other, f.protocol as Proto, f.port);
          if (!decision.allowed.covers(other)) problems.push(`${instance.role} ${direction} (${policy.name}): ${explain(decision, other)}`);
        };
        if (from) side(from, 'egress', from.egress, d.set);
        if (to) side(to, 'ingress', to.ingress, s.set);
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
        });
      }
    }
  }
  return out;
}

/** What the plan needs of one instance's rules in one direction: the other ends' addresses per protocol and port. */
function needOf(instance: ProtectedInstance, direction: 'ingress' | 'egress', flows: readonly Flow[], endpoints: Endpoints): Region {
  let need = Region.EMPTY;
  for (const f of flows) {
    const [mine, theirs] = direction === 'ingress' ? [f.destination, f.source] : [f.source, f.destination];
    if (mine !== instance.role) continue;
    const others = (endpoints.get(theirs) ?? []).filter(e => e.address !== instance.address);
    const set = others.reduce((acc, e) => acc.union(e.set), AddressSet.EMPTY);
    need = need.union(Region.of([f.protocol as Proto], [[f.port, f.port]], set));
  }
  return need;
}

/** The protected side and the other end of a rule, as a finding names them. */
function ends(instance: ProtectedInstance, direction: 'ingress' | 'egress', other: string): { source: string; destination: string } {
  return direction === 'ingress' ? { source: other, destination: instance.role } : { source: instance.role, destination: other };
}

/** A short account of the traffic a region holds: `tcp 22, 443; udp 123`. */
function trafficOf(region: Region): string {
  const byProtocol = new Map<string, string[]>();
  for (const p of region.pieces()) {
    const list = byProtocol.get(p.protocol) ?? [];
    if (hasPorts(p.protocol)) list.push(p.lo === p.hi ? String(p.lo) : `${p.lo}-${p.hi}`);
    byProtocol.set(p.protocol, list);
  }
  return [...byProtocol].map(([protocol, ports]) => (ports.length > 0 ? `${protocol} ${ports.join(', ')}` : protocol)).join('; ');
}

/** Extra findings of one rule: `leftover` is what it decides that no flow needs; `effective` what it decides. */
function ruleFindings(instance: ProtectedInstance, direction: 'ingress' | 'egress', rule: PolicyRule, effective: Region, leftover: Region,
  otherName: (set: AddressSet, written: string) => string): AuditFinding[] {
  const prefix = rule.isDefault ? `Azure's default rule ${rule.name} is in force: ` : '';
  const toward = direction === 'ingress' ? 'from' : 'to';
  const other = otherName(rule.other, rule.peer);
  if (rule.allProtocols) {
    const needed = effective.minus(leftover);
    return [{
      ...ends(instance, direction, other),
      protocol: 'all',
      fromPort: -1,
      toPort: -1,
      rule: rule.name,
      reason: `${prefix}every protocol and port ${toward} ${rule.peer}`
        + (needed.isEmpty ? ', and the plan needs none of it' : `, where the plan needs only ${trafficOf(needed)}`),
    }];
  }
  return leftover.pieces().map((piece: Piece) => {
    const [from, to] = hasPorts(piece.protocol) ? [piece.lo, piece.hi] : [-1, -1];
    const traffic = portText(piece.protocol, from, to);
    const needed = effective.at(piece.protocol, piece.lo).minus(piece.set);
    const leftoverName = otherName(piece.set, piece.set.describe());
    // What is not needed, when it is short to say (not for "everything but the users").
    const notNeeded = piece.set.toStrings().length <= 4 ? ` (not needed: ${leftoverName})` : '';
    const reason = needed.isEmpty
      ? `no row needs ${traffic} ${toward} ${rule.peer}`
      : `wider than the plan: ${traffic} ${toward} ${rule.peer}, where the plan needs only ${otherName(needed, needed.describe())}${notNeeded}`;
    return { ...ends(instance, direction, other), protocol: piece.protocol, fromPort: from, toPort: to, rule: rule.name, reason: prefix + reason };
  });
}

/** What each allow rule decides beyond the plan. */
function extra(flows: readonly Flow[], endpoints: Endpoints, state: FirewallState): AuditFinding[] {
  // Name a set by the roles whose addresses make it up exactly, else as written.
  const roleSets = [...endpoints].map(([role, list]) => [role, list.reduce((acc, e) => acc.union(e.set), AddressSet.EMPTY)] as const)
    .filter(([, set]) => !set.isEmpty);
  const otherName = (set: AddressSet, written: string) => {
    const inside = roleSets.filter(([, s]) => set.covers(s));
    const union = inside.reduce((acc, [, s]) => acc.union(s), AddressSet.EMPTY);
    return inside.length > 0 && union.equals(set) ? inside.map(([r]) => r).join(', ') : written;
  };
  // Per role, direction and rule: what the rule decides and what of it nothing needs, over the role's instances
  // (a member's own address is no traffic of its own; another member's may be needed or not).
  const parts = new Map<string, { instance: ProtectedInstance; direction: 'ingress' | 'egress'; rule: PolicyRule; effective: Region; leftover: Region }>();
  for (const instance of state.instances) {
    const self = AddressSet.ofCidrs([instance.address]);
    for (const direction of ['ingress', 'egress'] as const) {
      const policy = instance[direction];
      const need = needOf(instance, direction, flows, endpoints);
      let decided = Region.EMPTY;
      for (const rule of policy.rules) {
        // First match: a rule decides only what no earlier rule did. Any: every allow rule allows its whole region.
        const effective = (policy.order === 'first-match' ? rule.region.minus(decided) : rule.region).minusAddresses(self);
        if (policy.order === 'first-match') decided = decided.union(rule.region);
        if (!rule.allow || effective.isEmpty) continue;
        const key = `${instance.role}|${direction}|${policy.name}|${rule.name}`;
        const part = parts.get(key);
        const leftover = effective.minus(need);
        parts.set(key, part
          ? { ...part, effective: part.effective.union(effective), leftover: part.leftover.union(leftover) }
          : { instance, direction, rule, effective, leftover });
      }
    }
  }
  const out: AuditFinding[] = [];
  for (const p of parts.values()) {
    if (!p.leftover.isEmpty) out.push(...ruleFindings(p.instance, p.direction, p.rule, p.effective, p.leftover, otherName));
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
