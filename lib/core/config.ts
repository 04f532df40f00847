/**
 * The configuration shared by every renderer, cloud-neutral: which property holds
 * which role's peers, the options that change the document's rows, and the checks
 * on them. A renderer supplies its own peer type and peer validation.
 */
import { didYouMean, SeguraValidationError } from './errors';
import { Role } from './matrix';
import { PlanOptions } from './plan';

/**
 * Options that change which rows of the document are opened, and on which ports.
 * Shared by the AWS and Azure constructs.
 */
export interface RuleOptions {
  /**
   * Destination port per row ID, replacing the documented port, e.g.
   * `{ 'MGT-SMTP': 587 }` for mail on 587 instead of the documented 420. Rows not
   * listed follow the document. An override on a row that does not apply to the
   * configuration (its peers are not configured) is an error.
   *
   * @default - every row on its documented port
   */
  readonly portOverrides?: { [rowId: string]: number };

  /**
   * Row IDs to leave closed, e.g. `['DVC-TELNET']` for no Telnet toward devices.
   *
   * @default - every row that applies is opened
   */
  readonly disabledRules?: string[];
}

/** The `management` property names and the document roles they hold. */
export const MANAGEMENT_ROLES: { readonly [key: string]: Role } = {
  ntp: Role.NTP_SERVER,
  dns: Role.DNS_SERVER,
  mail: Role.MAIL_SERVER,
  ldap: Role.LDAP_SERVER,
  radius: Role.RADIUS_SERVER,
  tacacs: Role.TACACS_SERVER,
  syslog: Role.LOG_SERVER,
  backup: Role.BACKUP_SERVER,
};

/** Top-level peer properties and their roles. */
export const PEER_PROPERTIES: { readonly [key: string]: Role } = {
  users: Role.USERW,
  devices: Role.DVC,
  packageMirrors: Role.PACKAGE_MIRROR,
};

/** The property a role's peers are configured in, for error messages and docs. */
export function propertyOfRole(role: Role): string {
  for (const [k, r] of Object.entries(PEER_PROPERTIES)) if (r === role) return k;
  for (const [k, r] of Object.entries(MANAGEMENT_ROLES)) if (r === role) return `management.${k}`;
  if (role === Role.APT_PROXY) return 'aptProxy.peers';
  return role;
}

/** The peer-bearing part of a construct's props, generic over the cloud's peer type. */
export interface PeerConfig<P> {
  readonly users?: P[];
  readonly devices?: P[];
  readonly management?: object;
  readonly packageMirrors?: P[];
  readonly aptProxy?: { readonly peers: P[]; readonly port?: number };
}

/** A configured role: its peers and the property they came from. */
export interface RolePeers<P> {
  readonly role: Role;
  readonly property: string;
  readonly peers: P[];
}

function checkList<P>(property: string, value: unknown, validatePeer: (property: string, peer: P) => void): P[] {
  if (!Array.isArray(value)) {
    throw new SeguraValidationError(property, `expected a list of peers, got ${JSON.stringify(value)}`);
  }
  if (value.length === 0) {
    throw new SeguraValidationError(property, 'the peer list is empty; leave the property out to open nothing for this role');
  }
  value.forEach((peer, i) => validatePeer(`${property}[${i}]`, peer as P));
  return value as P[];
}

/** Throws on a property that is not among `known` (a typo would otherwise be ignored). */
export function rejectUnknownKeys(property: string, value: object | undefined, known: readonly string[]): void {
  if (value === undefined || value === null) return;
  for (const key of Object.keys(value)) {
    if ((value as Record<string, unknown>)[key] === undefined) continue;
    if (!known.includes(key)) {
      throw new SeguraValidationError(property ? `${property}.${key}` : key, `unknown property.${didYouMean(key, known)} Known: ${known.join(', ')}`);
    }
  }
}

/** The configured roles with their (validated) peers, in a stable order. */
export function collectPeers<P>(config: PeerConfig<P>, validatePeer: (property: string, peer: P) => void): RolePeers<P>[] {
  const out: RolePeers<P>[] = [];
  for (const [key, role] of Object.entries(PEER_PROPERTIES)) {
    const value = (config as Record<string, unknown>)[key];
    if (value !== undefined) out.push({ role, property: key, peers: checkList(key, value, validatePeer) });
  }
  rejectUnknownKeys('management', config.management, Object.keys(MANAGEMENT_ROLES));
  for (const [key, role] of Object.entries(MANAGEMENT_ROLES)) {
    const value = (config.management as Record<string, unknown> | undefined)?.[key];
    if (value !== undefined) out.push({ role, property: `management.${key}`, peers: checkList(`management.${key}`, value, validatePeer) });
  }
  if (config.aptProxy !== undefined) {
    rejectUnknownKeys('aptProxy', config.aptProxy, ['peers', 'port']);
    out.push({ role: Role.APT_PROXY, property: 'aptProxy.peers', peers: checkList('aptProxy.peers', config.aptProxy.peers, validatePeer) });
  }
  return out;
}

/** The plan options of a configuration. */
export function planOptionsOf(roles: readonly Role[], options: RuleOptions & { readonly aptProxy?: { readonly port?: number } }): PlanOptions {
  if (options.portOverrides !== undefined && (typeof options.portOverrides !== 'object' || Array.isArray(options.portOverrides))) {
    throw new SeguraValidationError('portOverrides', `expected an object of row ID to port, got ${JSON.stringify(options.portOverrides)}`);
  }
  if (options.disabledRules !== undefined && !Array.isArray(options.disabledRules)) {
    throw new SeguraValidationError('disabledRules', `expected a list of row IDs, got ${JSON.stringify(options.disabledRules)}`);
  }
  return {
    peerRoles: [...roles],
    portOverrides: options.portOverrides,
    disabledRules: options.disabledRules,
    aptProxyPort: options.aptProxy?.port,
  };
}
