import { didYouMean, SeguraValidationError } from './errors';
import { FirewallMatrix, MatrixRow, Protocol, Role, Section } from './matrix';
import { isValidPort } from './ports';

/** What a deployment has configured: the input of the plan. Cloud-neutral. */
export interface PlanOptions {
  /**
   * The peer roles that are configured (have at least one peer): any of USERW, DVC,
   * DOMUM, the management servers, PACKAGE MIRROR, APT PROXY. PRD is always there.
   * A role not listed gets no rules.
   */
  readonly peerRoles: Role[];

  /**
   * Whether the deployment has secondary members (MBR). When true, the cluster
   * table is wired in both directions and, as the document's note says, every rule
   * of the Primary holds for the members too.
   *
   * @default true
   */
  readonly clusterMembers?: boolean;

  /**
   * Destination port per row ID, replacing the documented port, e.g.
   * `{ 'MGT-SMTP': 587 }`. Rows not listed follow the document.
   *
   * @default - every row on its documented port
   */
  readonly portOverrides?: { [rowId: string]: number };

  /**
   * Row IDs to leave closed, e.g. `['DVC-TELNET']`.
   *
   * @default - no row is left out
   */
  readonly disabledRules?: string[];

  /**
   * The port of the APT proxy (row UPD-APT-PROXY), when APT PROXY is configured.
   *
   * @default 3142
   */
  readonly aptProxyPort?: number;
}

/** One flow that must be open: a document row, applied to one source and destination. */
export interface Flow {
  /** Stable key: the row ID, with `@MBR` appended when it comes from the cluster note. */
  readonly id: string;
  /** The document row it comes from. */
  readonly rowId: string;
  /** The row's position in the document. */
  readonly ordinal: number;
  /** The table of the row. */
  readonly section: Section;
  /** Who opens the connection. */
  readonly source: Role;
  /** Who accepts it. */
  readonly destination: Role;
  /** Protocol. */
  readonly protocol: Protocol;
  /** Destination port (the documented one unless overridden). */
  readonly port: number;
  /** The documented port. */
  readonly documentedPort: number;
  /** Service label. */
  readonly service: string;
  /** True when the flow applies the Primary's row to the members (the document's cluster note). */
  readonly viaClusterNote: boolean;
}

const NODE_ROLES = new Set<Role>([Role.PRD, Role.MBR]);
/** Roles a configuration may list as peers. */
export const PEER_ROLES: readonly Role[] = Object.values(Role).filter(r => !NODE_ROLES.has(r));

function rowIds(): string[] {
  return FirewallMatrix.ALL_ROWS.map(r => r.id);
}

function unknownRow(property: string, id: string): SeguraValidationError {
  return new SeguraValidationError(property, `"${id}" is not a row ID of the Segura firewall matrix.${didYouMean(id, rowIds())} The IDs are listed in docs/matrix.md.`);
}

/** The peer role of a row (the side that is not PRD/MBR), if any. */
export function peerRoleOf(row: MatrixRow): Role | undefined {
  if (!NODE_ROLES.has(row.source)) return row.source;
  if (!NODE_ROLES.has(row.destination)) return row.destination;
  return undefined;
}

/**
 * The plan, with a predicate for deploy-time values (tokens) that must not be
 * validated. Renderers call this; `FirewallPlan.flows` is its public face.
 */
export function planFlows(options: PlanOptions, isUnresolved: (v: number) => boolean = () => false): Flow[] {
  const members = options.clusterMembers ?? true;
  const configured = new Set<Role>();
  (options.peerRoles ?? []).forEach((role, i) => {
    if (NODE_ROLES.has(role) || !Object.values(Role).includes(role)) {
      throw new SeguraValidationError(`peerRoles[${i}]`, `"${role}" is not a peer role; expected one of ${PEER_ROLES.join(', ')}`);
    }
    configured.add(role);
  });
  if (configured.has(Role.PACKAGE_MIRROR) && configured.has(Role.APT_PROXY)) {
    throw new SeguraValidationError('aptProxy', 'configure either packageMirrors (443/tcp to the mirrors) or aptProxy (the instances reach the mirrors through the proxy), not both');
  }

  const applies = (row: MatrixRow): string | undefined => {
    if (row.section === Section.CLUSTER && !members) return 'the deployment has no cluster members';
    const peer = peerRoleOf(row);
    if (peer && !configured.has(peer)) return `no ${peer} peer is configured`;
    return undefined;
  };

  const disabled = new Set<string>();
  (options.disabledRules ?? []).forEach((id, i) => {
    const property = `disabledRules[${i}]`;
    const row = FirewallMatrix.tryFindRow(id);
    if (!row) throw unknownRow(property, id);
    const why = applies(row);
    if (why) throw new SeguraValidationError(property, `"${id}" does not apply (${why}), so disabling it would be silently ignored`);
    disabled.add(id);
  });

  const ports = new Map<string, number>();
  const overrides = { ...(options.portOverrides ?? {}) };
  if (options.aptProxyPort !== undefined) {
    if (!configured.has(Role.APT_PROXY)) throw new SeguraValidationError('aptProxy.port', `${options.aptProxyPort} is set but no APT proxy peer is configured`);
    if (overrides['UPD-APT-PROXY'] !== undefined) throw new SeguraValidationError('portOverrides["UPD-APT-PROXY"]', 'the APT proxy port is set twice (aptProxy.port and portOverrides); keep one');
    overrides['UPD-APT-PROXY'] = options.aptProxyPort;
  }
  for (const id of Object.keys(overrides).sort()) {
    const port = overrides[id];
    const property = id === 'UPD-APT-PROXY' && options.aptProxyPort !== undefined ? 'aptProxy.port' : `portOverrides["${id}"]`;
    const row = FirewallMatrix.tryFindRow(id);
    if (!row) throw unknownRow(property, id);
    if (typeof port !== 'number' || (!isUnresolved(port) && !isValidPort(port))) {
      throw new SeguraValidationError(property, `${JSON.stringify(port)} is not a port; expected an integer within 1-65535`);
    }
    const why = applies(row);
    if (why) throw new SeguraValidationError(property, `"${id}" does not apply (${why}), so the override would be silently ignored`);
    if (disabled.has(id)) throw new SeguraValidationError(property, `"${id}" is also in disabledRules; an override of a closed row would be ignored`);
    ports.set(id, port);
  }

  const flows: Flow[] = [];
  for (const row of FirewallMatrix.ALL_ROWS) {
    if (applies(row) || disabled.has(row.id)) continue;
    const port = ports.get(row.id) ?? row.port;
    const base = {
      rowId: row.id,
      ordinal: row.ordinal,
      section: row.section,
      protocol: row.protocol,
      port,
      documentedPort: row.port,
      service: row.service,
    };
    flows.push({ ...base, id: row.id, source: row.source, destination: row.destination, viaClusterNote: false });
    // The document's note: in a cluster, the Primary's rules apply to the members too.
    if (members && row.section !== Section.CLUSTER) {
      flows.push({
        ...base,
        id: `${row.id}@MBR`,
        source: row.source === Role.PRD ? Role.MBR : row.source,
        destination: row.destination === Role.PRD ? Role.MBR : row.destination,
        viaClusterNote: true,
      });
    }
  }
  return flows;
}

/** The cloud-neutral plan: what must be open for a configuration. */
export class FirewallPlan {
  /**
   * The flows that must be open for this configuration, in document order, and
   * nothing else. Throws `SeguraValidationError` on a bad option.
   */
  public static flows(options: PlanOptions): Flow[] {
    return planFlows(options);
  }

  private constructor() {}
}
