/**
 * The roles of the Segura firewall matrix, and every fact about each role, in one
 * table. Everything that needs a role's property path, its short name, its diagram
 * group or its kind derives it from `ROLES`: the props checks and known keys of the
 * constructs, the CLI's config reader, the diagram, the JSON schema and the Azure
 * rule names. `ROLES` is a `Record<Role, RoleFacts>`: a role without its facts does
 * not compile.
 */

/** A role of the document: a value of its Source / Destination columns. */
export enum Role {
  /** Primary application. */
  PRD = 'PRD',
  /** Secondary members of a cluster. */
  MBR = 'MBR',
  /** User workstations. */
  USERW = 'USERW',
  /**
   * Load balancers in front of the instances: where their forwarded sessions and health
   * checks come from (from the vendor's load-balancing guides, not the matrix).
   */
  LOAD_BALANCER = 'LOAD BALANCER',
  /** Devices registered in Segura. */
  DVC = 'DVC',
  /** Domum Gateway. */
  DOMUM = 'DOMUM',
  /** The Arbitrator of a two-instance deployment (from the vendor's Arbitrator requirements, not the matrix). */
  ARB = 'ARB',
  /** NTP server. */
  NTP_SERVER = 'NTP SERVER',
  /** DNS server. */
  DNS_SERVER = 'DNS SERVER',
  /** Mail (SMTP) server. */
  MAIL_SERVER = 'MAIL SERVER',
  /** LDAP server. */
  LDAP_SERVER = 'LDAP SERVER',
  /** RADIUS server. */
  RADIUS_SERVER = 'RADIUS SERVER',
  /** TACACS server. */
  TACACS_SERVER = 'TACACS SERVER',
  /** Syslog server (the document's "LOG SERVER"). */
  LOG_SERVER = 'LOG SERVER',
  /** Backup server. */
  BACKUP_SERVER = 'BACKUP SERVER',
  /** The vendor's package mirrors (from the document's prose, not its tables). */
  PACKAGE_MIRROR = 'PACKAGE MIRROR',
  /** An APT proxy in front of the package mirrors (from the document's prose). */
  APT_PROXY = 'APT PROXY',
}

/** What a role is to a deployment. */
export enum RoleKind {
  /** A Segura instance (PRD, MBR): the cluster construct owns its security groups. */
  NODE = 'NODE',
  /** A host with its own construct attached to a cluster (the Domum Gateway, the Arbitrator). */
  GATEWAY = 'GATEWAY',
  /**
   * Known only by the addresses the configuration lists (users, load balancers, devices,
   * servers...): a peer role with no construct of its own. (Every role but the nodes is a
   * peer role, gateways included: `PEER_ROLES`.)
   */
  ADDRESSES = 'ADDRESSES',
}

/** How diagrams group the roles, in the document's order. */
export enum RoleGroup {
  /** The Segura instances. */
  SEGURA = 'Segura',
  /** The Arbitrator. */
  ARBITRATOR = 'Arbitrator',
  /** NTP, DNS, mail, LDAP, RADIUS, TACACS, syslog, backup. */
  MANAGEMENT = 'Management systems',
  /** User workstations. */
  USERS = 'Users',
  /** Load balancers in front of the instances. */
  LOAD_BALANCERS = 'Load balancers',
  /** Managed devices. */
  DEVICES = 'Managed devices',
  /** The Domum Gateway. */
  DOMUM = 'Domum',
  /** Package mirrors and the APT proxy. */
  PACKAGE_UPDATES = 'Package updates',
}

/** Every fact about one role. */
export interface RoleFacts {
  /** What the role is. */
  readonly kind: RoleKind;
  /**
   * Where a configuration holds the role's addresses: the construct property
   * (`users`, `management.syslog`, `aptProxy.peers`), or for nodes and gateways the
   * key of the CLI config (`primary`, `members`, `domum`). Errors name it.
   */
  readonly property: string;
  /** Whether the constructs take a peer list at `property` (false where a construct stands for the role). */
  readonly peerListInConstructs: boolean;
  /** Short name in rule names: letters and digits only. */
  readonly short: string;
  /** The role's group in diagrams. */
  readonly group: RoleGroup;
  /** What the addresses are, for docs, the schema and messages: "Syslog servers (the document's LOG SERVER)". */
  readonly title: string;
  /** For a gateway: its construct's class, what messages call it, and its slug in resource names. */
  readonly gateway?: { readonly construct: string; readonly name: string; readonly slug: string };
  /** What leaving the property out of a CLI config means, where it is not "no rules for the role". */
  readonly configNote?: string;
  /** A property beside `property` that sets the port of the role's row, e.g. `aptProxy.port` for UPD-APT-PROXY. */
  readonly port?: { readonly property: string; readonly rowId: string; readonly title: string };
}

const facts = (kind: RoleKind, property: string, short: string, group: RoleGroup, title: string,
  extra: Partial<RoleFacts> = {}): RoleFacts =>
  Object.freeze({ kind, property, peerListInConstructs: kind === RoleKind.ADDRESSES, short, group, title, ...extra });

const { NODE, GATEWAY, ADDRESSES } = RoleKind;
const G = RoleGroup;

/** The role table. Add a role here and its rows in matrix.ts; nothing else under lib/ changes. */
export const ROLES: Readonly<Record<Role, RoleFacts>> = Object.freeze({
  [Role.PRD]: facts(NODE, 'primary', 'PRD', G.SEGURA, 'Addresses of the Primary application (PRD)', {
    configNote: 'Default: the role name PRD stands in for them.',
  }),
  [Role.MBR]: facts(NODE, 'members', 'MBR', G.SEGURA, 'Addresses of the secondary cluster members (MBR)', {
    configNote: 'Without it: a standalone Primary (no cluster rows).',
  }),
  [Role.USERW]: facts(ADDRESSES, 'users', 'USERW', G.USERS, 'User workstations (USERW)'),
  [Role.LOAD_BALANCER]: facts(ADDRESSES, 'loadBalancers', 'LB', G.LOAD_BALANCERS,
    'Load balancers in front of the instances (the sources of their forwarded sessions and health checks)'),
  [Role.DVC]: facts(ADDRESSES, 'devices', 'DVC', G.DEVICES, 'Managed devices (DVC)'),
  [Role.DOMUM]: facts(GATEWAY, 'domum', 'DOMUM', G.DOMUM, 'Addresses of the Domum Gateway (DOMUM)', {
    gateway: { construct: 'DomumGateway', name: 'Domum Gateway', slug: 'domum' },
    configNote: 'Without it: no Domum rows.',
  }),
  [Role.ARB]: facts(GATEWAY, 'arbitrator', 'ARB', G.ARBITRATOR, 'The Arbitrator (ARB) of a two-instance deployment, outside the cloud', {
    gateway: { construct: 'SeguraArbitrator', name: 'Arbitrator', slug: 'arbitrator' },
    // An Arbitrator outside the cloud is given as peers; one in the cloud as a SeguraArbitrator.
    peerListInConstructs: true,
    configNote: 'Without it: no Arbitrator rows.',
  }),
  [Role.NTP_SERVER]: facts(ADDRESSES, 'management.ntp', 'NTP', G.MANAGEMENT, 'NTP servers'),
  [Role.DNS_SERVER]: facts(ADDRESSES, 'management.dns', 'DNS', G.MANAGEMENT, 'DNS servers'),
  [Role.MAIL_SERVER]: facts(ADDRESSES, 'management.mail', 'MAIL', G.MANAGEMENT, 'Mail (SMTP) servers'),
  [Role.LDAP_SERVER]: facts(ADDRESSES, 'management.ldap', 'LDAP', G.MANAGEMENT, 'LDAP servers'),
  [Role.RADIUS_SERVER]: facts(ADDRESSES, 'management.radius', 'RADIUS', G.MANAGEMENT, 'RADIUS servers'),
  [Role.TACACS_SERVER]: facts(ADDRESSES, 'management.tacacs', 'TACACS', G.MANAGEMENT, 'TACACS servers'),
  [Role.LOG_SERVER]: facts(ADDRESSES, 'management.syslog', 'SYSLOG', G.MANAGEMENT, 'Syslog servers (the document\'s LOG SERVER)'),
  [Role.BACKUP_SERVER]: facts(ADDRESSES, 'management.backup', 'BACKUP', G.MANAGEMENT, 'Backup servers'),
  [Role.PACKAGE_MIRROR]: facts(ADDRESSES, 'packageMirrors', 'MIRROR', G.PACKAGE_UPDATES, 'The vendor\'s package mirrors (not with aptProxy)'),
  [Role.APT_PROXY]: facts(ADDRESSES, 'aptProxy.peers', 'APTPROXY', G.PACKAGE_UPDATES, 'An APT proxy in front of the mirrors, instead of packageMirrors', {
    port: { property: 'aptProxy.port', rowId: 'UPD-APT-PROXY', title: 'The proxy\'s port (row UPD-APT-PROXY); default 3142' },
  }),
});

/**
 * The objects that group role properties in a configuration (`management.ntp`,
 * `aptProxy.peers`): the name of their props interface and what they are.
 */
export const CONTAINERS: Readonly<Record<string, { readonly interfaceName: string; readonly title: string; readonly prop: string }>> = Object.freeze({
  management: {
    interfaceName: 'ManagementPeers',
    title: 'Management servers Segura talks to, each a list of peers. A server left out gets no rules.',
    prop: 'Management servers.',
  },
  aptProxy: {
    interfaceName: 'AptProxyPeers',
    title: 'An APT proxy through which the instances reach the vendor\'s package mirrors.',
    prop: 'An APT proxy in front of the mirrors, instead of `packageMirrors`.',
  },
});

/** Every role, in the order of the table. */
export const ALL_ROLES: readonly Role[] = Object.freeze(Object.keys(ROLES) as Role[]);

/** The roles of one kind, in table order. */
function rolesOf(kind: RoleKind): Role[] {
  return ALL_ROLES.filter(r => ROLES[r].kind === kind);
}

/** The Segura instances (PRD, MBR). */
export const NODE_ROLES: readonly Role[] = Object.freeze(rolesOf(RoleKind.NODE));
/** Roles with a construct of their own attached to a cluster (DOMUM, ARB). */
export const GATEWAY_ROLES: readonly Role[] = Object.freeze(rolesOf(RoleKind.GATEWAY));
/** Roles a plan may list as configured: everything but the nodes. */
export const PEER_ROLES: readonly Role[] = Object.freeze(ALL_ROLES.filter(r => ROLES[r].kind !== RoleKind.NODE));

/** True for PRD and MBR. */
export function isNode(role: Role): boolean {
  return ROLES[role]?.kind === RoleKind.NODE;
}

/** The property that holds a role's addresses, for messages: `management.mail`. */
export function propertyOf(role: Role): string {
  return ROLES[role].property;
}
