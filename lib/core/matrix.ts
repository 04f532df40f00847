/**
 * The vendor's firewall document ("Segura firewall rules") as data.
 *
 * Every row of the document's six tables is here exactly as documented, with a
 * stable ID (cdk-nag style: `SECTION-SERVICE[-PROTOCOL]`) that renderers use in
 * rule descriptions, rule names and priorities. IDs are a contract: never
 * renumber or rename one.
 *
 * The document has a few unusual entries. They are kept *as documented* and can
 * be changed per deployment with `portOverrides` (see the README):
 * - SMTP on 420/tcp (MGT-SMTP), where 25/465/587 would be usual;
 * - syslog on 6514/udp (MGT-SYSLOG-UDP), 6514 being syslog over TLS (tcp) elsewhere;
 * - SMB on 5445/tcp toward the backup server (MGT-BACKUP-SMB) but 445/tcp from it
 *   (BKP-SMB);
 * - Oracle on 7443/tcp toward devices (DVC-ORACLE), where 1521 would be usual.
 */

import { Role } from './roles';


/** IP protocol of a rule. */
export enum Protocol {
  /** TCP. */
  TCP = 'tcp',
  /** UDP. */
  UDP = 'udp',
}

/** A table (section) of the document, plus the prose note on package updates. */
export enum Section {
  /** "Communication between Segura® and management systems". */
  MANAGEMENT = 'MANAGEMENT',
  /** "Communication between management systems and Segura®". */
  MANAGEMENT_TO_SEGURA = 'MANAGEMENT_TO_SEGURA',
  /** "Communication between users and Segura®". */
  USERS = 'USERS',
  /** "Communication between Segura® and managed devices". */
  DEVICES = 'DEVICES',
  /** "Communication between instances of Segura® (if applicable)". */
  CLUSTER = 'CLUSTER',
  /** Between the members themselves: the vendor's installation guides (the cluster ports open between all instances). */
  MEMBERS = 'MEMBERS',
  /** "Communication between Domum and instances of Segura® (if applicable)". */
  DOMUM = 'DOMUM',
  /** Between the Arbitrator and every instance: the vendor's Arbitrator requirements. */
  ARBITRATOR = 'ARBITRATOR',
  /** From the load balancers to every instance: the vendor's load-balancing guides (the users' ports). */
  LOAD_BALANCERS = 'LOAD_BALANCERS',
  /** The prose note: the instances must reach the vendor's package mirrors. */
  PACKAGE_UPDATES = 'PACKAGE_UPDATES',
}

/** One row of the document. */
export interface MatrixRow {
  /** Stable ID, e.g. `MGT-SMTP`. */
  readonly id: string;
  /** Position in the document: 1-58 for table rows, 59 and 60 for the prose rows, 61 on for the vendor guides' rows. */
  readonly ordinal: number;
  /** The table the row belongs to. */
  readonly section: Section;
  /** Protocol column. */
  readonly protocol: Protocol;
  /** Source column. */
  readonly source: Role;
  /** Destination column. */
  readonly destination: Role;
  /** Destination port as documented (the source port is always ANY). */
  readonly port: number;
  /** Service label of the destination port column, e.g. `SMTP`. */
  readonly service: string;
  /**
   * Why the row is unusual, when it is.
   *
   * @default - nothing unusual
   */
  readonly quirk?: string;

  /**
   * Where the row comes from when it is not the firewall document: the vendor's
   * installation guide or Arbitrator requirements, by address.
   *
   * @default - the firewall document (its tables or its prose)
   */
  readonly vendorGuide?: string;

  /**
   * The rows whose ports this row takes, when it has none of its own to set: member to
   * member opens the cluster table's services on the ports of the Primary-to-member and
   * member-to-Primary rows (so that a member promoted to Primary has every flow the
   * Primary had). Such a row is not overridden or disabled itself.
   *
   * @default - the row has its own port
   */
  readonly follows?: string[];

  /**
   * The row whose port this row takes unless it is overridden itself: a load balancer
   * reaches an instance where the instance serves its users, so `LB-HTTPS` is on the
   * port of `USR-HTTPS` (its override, or its documented port), whether or not the
   * users' rows are open. Unlike `follows`, the row opens, closes and is overridden on
   * its own.
   *
   * @default - the row's own port
   */
  readonly portOf?: string;
}

/** The vendor's pages behind the rows that the firewall document does not list. */
export const VENDOR_GUIDES = Object.freeze({
  /** Every instance must reach every other on the cluster ports. */
  cluster: 'https://helpcenter.senhasegura.io/docs/3.25/installation/cluster-ha-dr/ and https://docs.senhasegura.io/v3-27/docs/en/installation-configure-cluster',
  /** The Arbitrator's firewall ports. */
  arbitrator: 'https://docs.senhasegura.io/docs/arbitrator-introduction (Arbitrator > Installation > Requirements, docs 3.32)',
  /** External load balancers in front of every node, their health checks on the access proxies' ports and the web control URL. */
  loadBalancing: 'https://docs.senhasegura.io/docs/load-balancing and https://community.senhasegura.io/t/configuration-of-third-party-load-balancers-with-senhasegura/685',
});

/** Section headings as the document writes them. */
export const SECTION_TITLES: Readonly<Record<Section, string>> = Object.freeze({
  [Section.MANAGEMENT]: 'Communication between Segura® and management systems',
  [Section.MANAGEMENT_TO_SEGURA]: 'Communication between management systems and Segura®',
  [Section.USERS]: 'Communication between users and Segura®',
  [Section.DEVICES]: 'Communication between Segura® and managed devices',
  [Section.CLUSTER]: 'Communication between instances of Segura® (if applicable)',
  [Section.MEMBERS]: 'Between the members themselves (vendor installation guides)',
  [Section.DOMUM]: 'Communication between Domum and instances of Segura® (if applicable)',
  [Section.ARBITRATOR]: 'Between the Arbitrator and every instance (vendor Arbitrator requirements)',
  [Section.LOAD_BALANCERS]: 'From the load balancers to every instance (vendor load-balancing guides)',
  [Section.PACKAGE_UPDATES]: 'Access to the official package mirrors (prose note)',
});

type RowSpec = [id: string, protocol: Protocol, source: Role, destination: Role, port: number, service: string, quirk?: string];

const T = Protocol.TCP;
const U = Protocol.UDP;
const { PRD, MBR, USERW, DVC, DOMUM } = Role;

/** The cluster table's eleven services, in its order: ID suffix, protocol, port, service. */
const CLUSTER_SERVICES: ReadonlyArray<readonly [string, Protocol, number, string]> = [
  ['SSH', T, 22, 'SSH'],
  ['MYSQL', T, 3306, 'MySQL'],
  ['VRACE', T, 9300, 'VRACE'],
  ['TRAM-TCP', T, 4567, 'TRAM'],
  ['BMC', T, 4568, 'BMC'],
  ['SST', T, 4444, 'SST do Galera Cluster'],
  ['TRAM-UDP', U, 4567, 'TRAM'],
  ['HTTP', T, 80, 'HTTP'],
  ['HTTPS', T, 443, 'HTTPS'],
  ['SYNC', T, 4248, 'Segura Sync'],
  ['SEGSSH', T, 59022, 'Segura SSH'],
];

/** Rows `PREFIX-DIR-SUFFIX` for the cluster services named (all of them by default), in the order given. */
function serviceRows(prefix: string, dir: string, source: Role, destination: Role, suffixes = CLUSTER_SERVICES.map(([suffix]) => suffix)): RowSpec[] {
  return suffixes.map(wanted => {
    const [suffix, protocol, port, service] = CLUSTER_SERVICES.find(([sx]) => sx === wanted)!;
    return [`${prefix}-${dir}-${suffix}`, protocol, source, destination, port, service];
  });
}

/** The cluster table lists the same eleven services in each direction (and the vendor's guides between members). */
function clusterRows(dir: string, source: Role, destination: Role): RowSpec[] {
  return serviceRows('CLU', dir, source, destination);
}

const TABLES: Array<[Section, RowSpec[]]> = [
  [Section.MANAGEMENT, [
    ['MGT-NTP', U, PRD, Role.NTP_SERVER, 123, 'NTP'],
    ['MGT-DNS', U, PRD, Role.DNS_SERVER, 53, 'DNS'],
    ['MGT-SMTP', T, PRD, Role.MAIL_SERVER, 420, 'SMTP', 'documented as 420/tcp; SMTP is usually 25, 465 or 587'],
    ['MGT-LDAP', T, PRD, Role.LDAP_SERVER, 389, 'LDAP'],
    ['MGT-LDAPS', T, PRD, Role.LDAP_SERVER, 636, 'LDAPS'],
    ['MGT-RADIUS', U, PRD, Role.RADIUS_SERVER, 1812, 'RADIUS'],
    ['MGT-TACACS-TCP', T, PRD, Role.TACACS_SERVER, 49, 'TACACS'],
    ['MGT-TACACS-UDP', U, PRD, Role.TACACS_SERVER, 49, 'TACACS'],
    ['MGT-SYSLOG-TCP', T, PRD, Role.LOG_SERVER, 514, 'SYSLOG'],
    ['MGT-SYSLOG-UDP', U, PRD, Role.LOG_SERVER, 6514, 'SYSLOG', 'documented as 6514/udp; 6514 is usually syslog over TLS on tcp, plain syslog 514/udp'],
    ['MGT-BACKUP-SSH', T, PRD, Role.BACKUP_SERVER, 22, 'SSH'],
    ['MGT-BACKUP-NFS', T, PRD, Role.BACKUP_SERVER, 2049, 'NFS'],
    ['MGT-BACKUP-SMB', T, PRD, Role.BACKUP_SERVER, 5445, 'SMB', 'documented as 5445/tcp toward the backup server, while the reverse row says 445/tcp'],
  ]],
  [Section.MANAGEMENT_TO_SEGURA, [
    ['BKP-SSH', T, Role.BACKUP_SERVER, PRD, 22, 'SSH'],
    ['BKP-NFS', T, Role.BACKUP_SERVER, PRD, 2049, 'NFS'],
    ['BKP-SMB', T, Role.BACKUP_SERVER, PRD, 445, 'SMB'],
  ]],
  [Section.USERS, [
    ['USR-HTTPS', T, USERW, PRD, 443, 'HTTPS'],
    ['USR-HTTP', T, USERW, PRD, 80, 'HTTP'],
    ['USR-SSH', T, USERW, PRD, 22, 'SSH'],
    ['USR-RDP', T, USERW, PRD, 3389, 'RDP'],
  ]],
  [Section.DEVICES, [
    ['DVC-SSH', T, PRD, DVC, 22, 'SSH'],
    ['DVC-TELNET', T, PRD, DVC, 23, 'TELNET'],
    ['DVC-ORACLE', T, PRD, DVC, 7443, 'ORACLE', 'documented as 7443/tcp; the Oracle listener is usually 1521'],
    ['DVC-MSSQL', T, PRD, DVC, 1433, 'MS-SQL'],
    ['DVC-POSTGRES', T, PRD, DVC, 5432, 'POSTGRES'],
    ['DVC-MYSQL', T, PRD, DVC, 3306, 'MySQL'],
    ['DVC-RDP', T, PRD, DVC, 3389, 'RDP'],
    ['DVC-RPC', T, PRD, DVC, 135, 'RPC'],
    ['DVC-RM', T, PRD, DVC, 139, 'RM'],
    ['DVC-SMB', T, PRD, DVC, 445, 'SMB'],
    ['DVC-HTTP', T, PRD, DVC, 80, 'HTTP'],
    ['DVC-HTTPS', T, PRD, DVC, 443, 'HTTPS'],
  ]],
  [Section.CLUSTER, [
    ...clusterRows('P2M', PRD, MBR),
    ...clusterRows('M2P', MBR, PRD),
  ]],
  [Section.DOMUM, [
    ['DOM-P2D-WEBSOCKET', T, PRD, DOMUM, 51445, 'WebSocket'],
    ['DOM-P2D-WSS', T, PRD, DOMUM, 443, 'WSS'],
    ['DOM-D2P-WEBSOCKET', T, DOMUM, PRD, 51445, 'WebSocket'],
    ['DOM-D2P-WSS', T, DOMUM, PRD, 443, 'WSS'],
  ]],
];

/** The prose note on package updates, as two rows of our own (not in the tables). */
const NOTES: RowSpec[] = [
  ['UPD-MIRROR', T, PRD, Role.PACKAGE_MIRROR, 443, 'HTTPS'],
  ['UPD-APT-PROXY', T, PRD, Role.APT_PROXY, 3142, 'APT proxy', 'the document names no port: 3142 (apt-cacher-ng) unless aptProxy port says otherwise'],
];

/** The users' table: a load balancer forwards the users' sessions to the same ports. */
const USER_ROWS = TABLES.find(([section]) => section === Section.USERS)![1];

/**
 * The rows that are not in the vendor's firewall document, each source a section of its
 * own (a `Section`, its title in SECTION_TITLES, its source in VENDOR_GUIDES): the cluster
 * ports between the members themselves, the Arbitrator's ports between it and every
 * instance, and the load balancers' toward every instance (written with PRD; the plan
 * applies them to the members too), each with, where it has one, the rows it follows or
 * takes its port from. A row the document does not list goes here, in a section of its
 * own, after the others (earlier rows keep their ordinals); never in TABLES, which is the
 * document as published.
 */
const GUIDES: Array<[Section, string, RowSpec[], { follows?: (id: string) => string[]; portOf?: (id: string) => string }?]> = [
  [Section.MEMBERS, VENDOR_GUIDES.cluster, clusterRows('M2M', MBR, MBR), { follows: id => [id.replace('M2M', 'P2M'), id.replace('M2M', 'M2P')] }],
  [Section.ARBITRATOR, VENDOR_GUIDES.arbitrator, [
    ...arbitratorRows('I2A', PRD, Role.ARB),
    ...arbitratorRows('A2I', Role.ARB, PRD),
  ]],
  // Forwarded sessions and health checks (every access proxy's TCP port, and GET /flow/orbit/mntr over 443) on the users' ports.
  [Section.LOAD_BALANCERS, VENDOR_GUIDES.loadBalancing,
    USER_ROWS.map(([id, protocol, , destination, port, service]) => [id.replace(/^USR-/, 'LB-'), protocol, Role.LOAD_BALANCER, destination, port, service]),
    { portOf: id => id.replace(/^LB-/, 'USR-') }],
];

/** The Arbitrator's requirements: Elasticsearch 9300 and Galera 3306, 4567 (tcp and udp), 4568, 4444; no direction given, so both. */
function arbitratorRows(dir: string, source: Role, destination: Role): RowSpec[] {
  return serviceRows('ARB', dir, source, destination, ['VRACE', 'MYSQL', 'TRAM-TCP', 'BMC', 'SST', 'TRAM-UDP']);
}

function toRows(section: Section, specs: RowSpec[], firstOrdinal: number, vendorGuide?: string,
  { follows, portOf }: { follows?: (id: string) => string[]; portOf?: (id: string) => string } = {}): MatrixRow[] {
  return specs.map(([id, protocol, source, destination, port, service, quirk], i) => ({
    id,
    ordinal: firstOrdinal + i,
    section,
    protocol,
    source,
    destination,
    port,
    service,
    ...(quirk ? { quirk } : {}),
    ...(vendorGuide ? { vendorGuide } : {}),
    ...(follows ? { follows: Object.freeze(follows(id)) as string[] } : {}),
    ...(portOf ? { portOf: portOf(id) } : {}),
  }));
}

function buildTableRows(): MatrixRow[] {
  const rows: MatrixRow[] = [];
  for (const [section, specs] of TABLES) rows.push(...toRows(section, specs, rows.length + 1));
  return rows;
}

const freezeRows = (rows: MatrixRow[]): MatrixRow[] => Object.freeze(rows.map(r => Object.freeze(r))) as MatrixRow[];
const TABLE_ROWS = freezeRows(buildTableRows());
const NOTE_ROWS = freezeRows(toRows(Section.PACKAGE_UPDATES, NOTES, TABLE_ROWS.length + 1));
const GUIDE_ROWS = freezeRows(GUIDES.reduce<MatrixRow[]>((rows, [section, guide, specs, links]) =>
  [...rows, ...toRows(section, specs, TABLE_ROWS.length + NOTE_ROWS.length + rows.length + 1, guide, links)], []));
const ALL_ROWS = Object.freeze([...TABLE_ROWS, ...NOTE_ROWS, ...GUIDE_ROWS]) as MatrixRow[];
const BY_ID = new Map<string, MatrixRow>(ALL_ROWS.map(r => [r.id, r]));

/**
 * The vendor's firewall document as data. Every list and row is frozen: no caller
 * can change what a later plan in the same process sees.
 */
export class FirewallMatrix {
  /** The 58 rows of the document's six tables, in document order (frozen). */
  public static readonly TABLE_ROWS: MatrixRow[] = TABLE_ROWS;

  /** The rows derived from the document's prose (package mirrors, APT proxy; frozen). */
  public static readonly NOTE_ROWS: MatrixRow[] = NOTE_ROWS;

  /**
   * The rows from the vendor's guides rather than the firewall document: the cluster
   * ports between members, the Arbitrator's, and the load balancers' (frozen).
   */
  public static readonly GUIDE_ROWS: MatrixRow[] = GUIDE_ROWS;

  /** Every row: the tables, the prose rows, then the vendor guides' rows (frozen). */
  public static readonly ALL_ROWS: MatrixRow[] = ALL_ROWS;

  /** The row with this ID, or undefined. */
  public static tryFindRow(id: string): MatrixRow | undefined {
    return BY_ID.get(id);
  }

  /** The document's heading for a section. */
  public static sectionTitle(section: Section): string {
    return SECTION_TITLES[section];
  }

  private constructor() {}
}
