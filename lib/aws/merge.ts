/**
 * AWS's rule strategy: one rule per holder, direction, peer and protocol, with
 * adjacent ports joined into ranges (security-group rules take one port range
 * each). Pure functions, tested without constructs.
 */
import { Protocol } from '../core/matrix';
import { Flow } from '../core/plan';
import { mergePorts, PortRange } from '../core/ports';
import { Role } from '../core/roles';
import { Direction, FlowSide } from '../core/rules';

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
export function mergeRules(sides: readonly PeerSide[], isTokenPort: (n: number) => boolean = () => false): MergedRule[] {
  // Asked once per port value: recognising a token is costly, and a port recurs for every peer.
  const known = new Map<number, boolean>();
  const isDeployTime = (n: number) => {
    let answer = known.get(n);
    if (answer === undefined) known.set(n, answer = isTokenPort(n));
    return answer;
  };
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
    for (const range of mergePorts(list.map(ps => ps.side.flow.port), isDeployTime)) {
      const flows = list.map(ps => ps.side.flow)
        .filter(f => isDeployTime(f.port) ? f.port === range.from : f.port >= range.from && f.port <= range.to)
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

