/**
 * From flows to rules, cloud-neutral: which group holds a rule in which direction,
 * and how a rule describes itself. Pure functions (no constructs), shared by both
 * renderers; each cloud's own strategies live in its backend.
 */
import { Protocol } from './matrix';
import { Flow } from './plan';
import { Role } from './roles';

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

/** The sides of the flows that fall on groups of `holders` (e.g. PRD and MBR, or DOMUM). */
export function sidesOf(flows: readonly Flow[], holders: readonly Role[]): FlowSide[] {
  const out: FlowSide[] = [];
  for (const flow of flows) {
    if (holders.includes(flow.source)) out.push({ holder: flow.source, direction: 'egress', peerRole: flow.destination, flow });
    if (holders.includes(flow.destination)) out.push({ holder: flow.destination, direction: 'ingress', peerRole: flow.source, flow });
  }
  return out;
}

/**
 * A plain-ASCII description naming the document rows, services, ports and direction:
 * `MGT-SMTP: SMTP 420/tcp PRD to MAIL SERVER`. Cut to `max` characters.
 */
export function describeRule(rule: { readonly flows: readonly Flow[]; readonly protocol: Protocol }, max: number,
  isUnresolved: (v: unknown) => boolean = () => false): string {
  const ids = [...new Set(rule.flows.map(f => f.rowId))];
  // A deploy-time port stays out of the text (a token cut short would corrupt it).
  const services = [...new Set(rule.flows.map(f => `${f.service} ${isUnresolved(f.port) ? '(deploy-time port)' : f.port}`))];
  const sources = [...new Set(rule.flows.map(f => f.source))];
  const destinations = [...new Set(rule.flows.map(f => f.destination))];
  const pairs = sources.length > 1 && destinations.length > 1
    ? [...new Set(rule.flows.map(f => `${f.source} to ${f.destination}`))]
    : [`${sources.join('+')} to ${destinations.join('+')}`];
  const note = `${rule.flows.some(f => f.viaClusterNote) ? ' (cluster note)' : ''}${rule.flows.some(f => f.viaVendorGuide) ? ' (vendor guide)' : ''}`;
  const text = `${ids.join(' ')}: ${services.join(', ')}/${rule.protocol} ${pairs.join(', ')}${note}`
    .replace(/[^A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]/g, ' ');
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}
