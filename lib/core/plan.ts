import { checkOneOf } from './checks';
import { describeValue, didYouMean, SeguraValidationError } from './errors';
import { FirewallMatrix, MatrixRow, Protocol, Section } from './matrix';
import { isValidPort } from './ports';
import { isNode, PEER_ROLES, propertyOf, Role, ROLES } from './roles';

/** Which instances of a cluster reach each other on the cluster ports. */
export enum ClusterTraffic {
  /**
   * Every instance reaches every instance, members included: what the vendor's
   * installation guides require (Galera connects every node to every node) and what
   * lets a member take over as Primary without regrouping. The default.
   */
  ALL_INSTANCES = 'ALL_INSTANCES',
  /**
   * The firewall document read literally: the Primary and the members reach each
   * other, members never reach members. A cluster of three or more instances will not
   * replicate between its members, and a promoted member lacks the Primary's flows.
   */
  PRIMARY_AND_MEMBERS_ONLY = 'PRIMARY_AND_MEMBERS_ONLY',
}

/** What a deployment has configured: the input of the plan. Cloud-neutral. */
export interface PlanOptions {
  /**
   * The peer roles that are configured (have at least one peer): any of USERW, LOAD
   * BALANCER, DVC, DOMUM, ARB, the management servers, PACKAGE MIRROR, APT PROXY. PRD is
   * always there.
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
   * Which instances reach each other on the cluster ports.
   *
   * @default ClusterTraffic.ALL_INSTANCES
   */
  readonly clusterTraffic?: ClusterTraffic;

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
  /** True when the flow comes from the vendor's guides rather than the firewall document (member to member, the Arbitrator, the load balancers). */
  readonly viaVendorGuide: boolean;
}

function unknownRow(property: string, id: string, rows: readonly MatrixRow[]): SeguraValidationError {
  return new SeguraValidationError(property, `"${id}" is not a row ID of the Segura firewall matrix.${didYouMean(id, rows.map(r => r.id))} The IDs are listed in docs/matrix.md.`);
}

function followsError(property: string, row: MatrixRow): SeguraValidationError {
  return new SeguraValidationError(property, `"${row.id}" follows ${row.follows!.join(' and ')} (member to member on the cluster table's ports): `
    + `override or disable those, or set clusterTraffic to ${ClusterTraffic.PRIMARY_AND_MEMBERS_ONLY}`);
}

/** The peer role of a row (the side that is not PRD/MBR), if any. */
export function peerRoleOf(row: MatrixRow): Role | undefined {
  if (!isNode(row.source)) return row.source;
  if (!isNode(row.destination)) return row.destination;
  return undefined;
}

/** Why a row does not apply to a configuration (a reason), or undefined when it does. */
type Applies = (row: MatrixRow) => string | undefined;

/**
 * The plan, with a predicate for deploy-time values (tokens) that must not be
 * validated. Renderers call this; `FirewallPlan.flows` is its public face. `rows`
 * is the matrix (a copy with more rows in tests).
 */
export function planFlows(options: PlanOptions, isUnresolved: (v: number) => boolean = () => false,
  rows: readonly MatrixRow[] = FirewallMatrix.ALL_ROWS): Flow[] {
  const members = options.clusterMembers ?? true;
  const configured = configuredRoles(options.peerRoles);
  const traffic = checkOneOf('clusterTraffic', options.clusterTraffic, Object.values(ClusterTraffic), 'a cluster traffic') ?? ClusterTraffic.ALL_INSTANCES;
  const applies: Applies = row => whyNot(row, members, traffic, configured);
  const findRow = (id: string) => rows.find(r => r.id === id);
  const disabled = disabledRows(options.disabledRules ?? [], rows, applies);
  const ports = overriddenPorts(options, rows, configured, applies, disabled, isUnresolved);
  /** A row's ports: its own (overridden, taken from the row it has its port of, or documented), or those of the open rows it follows. */
  const portsOf = (row: MatrixRow): number[] => row.follows
    ? [...new Set(row.follows.filter(id => !disabled.has(id) && !applies(findRow(id)!)).map(id => ports.get(id) ?? findRow(id)!.port))]
    : [ports.get(row.id) ?? (row.portOf !== undefined ? ports.get(row.portOf) ?? findRow(row.portOf)!.port : row.port)];

  const flows: Flow[] = [];
  for (const row of rows) {
    if (applies(row) || disabled.has(row.id)) continue;
    portsOf(row).forEach((port, i) => flows.push(...flowsOf(row, port, i === 0 ? row.id : `${row.id}#${port}`, members)));
  }
  return flows;
}

/** The configured peer roles, checked: each a peer role, and not both the package mirrors and the APT proxy. */
function configuredRoles(peerRoles: readonly Role[] | undefined): Set<Role> {
  const configured = new Set<Role>();
  (peerRoles ?? []).forEach((role, i) => {
    if (!PEER_ROLES.includes(role)) {
      throw new SeguraValidationError(`peerRoles[${i}]`, `"${role}" is not a peer role; expected one of ${PEER_ROLES.join(', ')}`);
    }
    configured.add(role);
  });
  if (configured.has(Role.PACKAGE_MIRROR) && configured.has(Role.APT_PROXY)) {
    throw new SeguraValidationError('aptProxy', `configure either ${propertyOf(Role.PACKAGE_MIRROR)} (443/tcp to the mirrors) or aptProxy (the instances reach the mirrors through the proxy), not both`);
  }
  return configured;
}

/** Why `row` does not apply to a deployment (no members, member traffic, its peer not configured), or undefined. */
function whyNot(row: MatrixRow, members: boolean, traffic: ClusterTraffic, configured: ReadonlySet<Role>): string | undefined {
  const betweenNodes = isNode(row.source) && isNode(row.destination);
  if (betweenNodes && !members) return 'the deployment has no cluster members';
  if (betweenNodes && row.source === Role.MBR && row.destination === Role.MBR && traffic !== ClusterTraffic.ALL_INSTANCES) {
    return `clusterTraffic is ${traffic}`;
  }
  const peer = peerRoleOf(row);
  if (peer && !configured.has(peer)) return `${propertyOf(peer)} is not configured`;
  return undefined;
}

/** The row IDs of `disabledRules`, each checked: a row of the matrix that applies and follows none. */
function disabledRows(ids: readonly string[], rows: readonly MatrixRow[], applies: Applies): Set<string> {
  const disabled = new Set<string>();
  ids.forEach((id, i) => {
    const property = `disabledRules[${i}]`;
    if (typeof id !== 'string') throw new SeguraValidationError(property, `expected a row ID (a string), got ${describeValue(id)}`);
    const row = rows.find(r => r.id === id);
    if (!row) throw unknownRow(property, id, rows);
    const why = applies(row);
    if (why) throw new SeguraValidationError(property, `"${id}" does not apply (${why}), so disabling it would be silently ignored`);
    if (row.follows) throw followsError(property, row);
    disabled.add(id);
  });
  return disabled;
}

/** The port of each overridden row (`portOverrides`, and `aptProxyPort` for its row), each checked. */
function overriddenPorts(options: PlanOptions, rows: readonly MatrixRow[], configured: ReadonlySet<Role>, applies: Applies,
  disabled: ReadonlySet<string>, isUnresolved: (v: number) => boolean): Map<string, number> {
  const ports = new Map<string, number>();
  const overrides = { ...(options.portOverrides ?? {}) };
  const proxyPort = ROLES[Role.APT_PROXY].port!;
  if (options.aptProxyPort !== undefined) {
    if (!configured.has(Role.APT_PROXY)) {
      throw new SeguraValidationError(proxyPort.property, `${describeValue(options.aptProxyPort)} is set but ${propertyOf(Role.APT_PROXY)} is not configured`);
    }
    if (overrides[proxyPort.rowId] !== undefined) {
      throw new SeguraValidationError(`portOverrides["${proxyPort.rowId}"]`, `the APT proxy port is set twice (${proxyPort.property} and portOverrides); keep one`);
    }
    overrides[proxyPort.rowId] = options.aptProxyPort;
  }
  for (const id of Object.keys(overrides).sort()) {
    const port = overrides[id];
    const property = id === proxyPort.rowId && options.aptProxyPort !== undefined ? proxyPort.property : `portOverrides["${id}"]`;
    const row = rows.find(r => r.id === id);
    if (!row) throw unknownRow(property, id, rows);
    if (typeof port !== 'number' || (!isUnresolved(port) && !isValidPort(port))) {
      throw new SeguraValidationError(property, `${describeValue(port)} is not a port; expected an integer within 1-65535`);
    }
    const why = applies(row);
    if (why) throw new SeguraValidationError(property, `"${id}" does not apply (${why}), so the override would be silently ignored`);
    if (disabled.has(id)) throw new SeguraValidationError(property, `"${id}" is also in disabledRules; an override of a closed row would be ignored`);
    if (row.follows) throw followsError(property, row);
    ports.set(id, port);
  }
  return ports;
}

/** The flows of a row on one port: the row itself, and its copy for the members when it holds for them. */
function flowsOf(row: MatrixRow, port: number, id: string, members: boolean): Flow[] {
  const out: Flow[] = [];
  const base = {
    rowId: row.id,
    ordinal: row.ordinal,
    section: row.section,
    protocol: row.protocol,
    port,
    documentedPort: row.port,
    service: row.service,
  };
  const viaVendorGuide = row.vendorGuide !== undefined;
  out.push({ ...base, id, source: row.source, destination: row.destination, viaClusterNote: false, viaVendorGuide });
  // A row between the Primary and a host that is not an instance holds for the members
  // too: by the document's cluster note, or, for a vendor guide's row, because it
  // names every instance.
  const primaryAndOther = (row.source === Role.PRD && !isNode(row.destination)) || (row.destination === Role.PRD && !isNode(row.source));
  if (members && primaryAndOther) {
    out.push({
      ...base,
      id: `${id}@MBR`,
      source: row.source === Role.PRD ? Role.MBR : row.source,
      destination: row.destination === Role.PRD ? Role.MBR : row.destination,
      viaClusterNote: !viaVendorGuide,
      viaVendorGuide,
    });
  }
  return out;
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
