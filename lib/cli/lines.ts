/**
 * The plan for people and other firewalls: one line per source, destination,
 * protocol and port, with the configuration's addresses. Lines are produced lazily,
 * so that a large configuration never sits in memory whole.
 */
import { ReadConfig } from '../core/config-file';
import { Section } from '../core/matrix';
import { Flow, planFlows } from '../core/plan';
import { PEER_ROLES, Role } from '../core/roles';

/** One line of the matrix: a flow between two concrete addresses (or role names). */
export interface MatrixLine {
  readonly rowId: string;
  readonly section: Section;
  readonly source: string;
  readonly sourceAddress: string;
  readonly destination: string;
  readonly destinationAddress: string;
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly service: string;
  readonly viaClusterNote: boolean;
  readonly viaVendorGuide: boolean;
}

/** The lines of a plan, as a re-iterable sequence. */
export interface MatrixLines extends Iterable<MatrixLine> {
  /** The flows the lines come from. */
  readonly flows: readonly Flow[];
  /** Whether the lines carry addresses (a config was given). */
  readonly addressed: boolean;
}

function lineOf(f: Flow, sourceAddress: string, destinationAddress: string): MatrixLine {
  return {
    rowId: f.rowId,
    section: f.section,
    source: f.source,
    sourceAddress,
    destination: f.destination,
    destinationAddress,
    protocol: f.protocol,
    fromPort: f.port,
    toPort: f.port,
    service: f.service,
    viaClusterNote: f.viaClusterNote,
    viaVendorGuide: f.viaVendorGuide,
  };
}

/** The document by role: every role present, members and Domum included, mirrors (not the proxy). */
export function documentLines(): MatrixLines {
  const flows = planFlows({ peerRoles: PEER_ROLES.filter(r => r !== Role.APT_PROXY) });
  return { flows, addressed: false, [Symbol.iterator]: () => flows.map(f => lineOf(f, f.source, f.destination))[Symbol.iterator]() };
}

/**
 * The lines of a read configuration: every flow, between every pair of the two ends'
 * addresses (member to member: between every two members, never a member to itself).
 */
export function configLines(config: ReadConfig): MatrixLines {
  const flows = config.flows;
  function* generate(): Generator<MatrixLine> {
    for (const f of flows) {
      const destinations = config.addresses(f.destination);
      const sameRole = f.source === f.destination;
      for (const s of config.addresses(f.source)) for (const d of destinations) if (!sameRole || s !== d) yield lineOf(f, s, d);
    }
  }
  return { flows, addressed: true, [Symbol.iterator]: generate };
}
