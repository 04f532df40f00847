import * as fs from 'fs';
import * as path from 'path';
import { FirewallMatrix, Protocol, Role, Section } from '../lib/core';

const FIXTURE = path.join(__dirname, 'fixtures', 'document-tables.txt');

const SECTION_BY_HEADING: Record<string, Section> = {
  'Communication between Segura® and management systems': Section.MANAGEMENT,
  'Communication between management systems and Segura®': Section.MANAGEMENT_TO_SEGURA,
  'Communication between users and Segura®': Section.USERS,
  'Communication between Segura® and managed devices': Section.DEVICES,
  'Communication between instances of Segura® (if applicable)': Section.CLUSTER,
  'Communication between Domum and instances of Segura® (if applicable)': Section.DOMUM,
};

interface DocRow { section: Section; protocol: string; source: string; sourcePort: string; destination: string; port: number; service: string }

function parseTables(text: string): DocRow[] {
  const rows: DocRow[] = [];
  let section: Section | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('Communication')) section = SECTION_BY_HEADING[line.trim()];
    if (!line.startsWith('ALLOW |')) continue;
    const cells = line.split('|').map(c => c.trim());
    const [, protocol, source, sourcePort, destination, destPort] = cells;
    const [port, ...label] = destPort.split('/');
    rows.push({ section: section!, protocol, source, sourcePort, destination, port: Number(port), service: label.join('/') });
  }
  return rows;
}

describe('the matrix, against the document', () => {
  const doc = parseTables(fs.readFileSync(FIXTURE, 'utf8'));

  test('the fixture holds the six tables: 58 rows', () => {
    expect(doc).toHaveLength(58);
    expect(new Set(doc.map(r => r.section)).size).toBe(6);
  });

  test('every row is encoded exactly as documented, in document order', () => {
    expect(FirewallMatrix.TABLE_ROWS.map(r => ({
      section: r.section,
      protocol: r.protocol.toUpperCase(),
      source: r.source,
      sourcePort: 'ANY',
      destination: r.destination,
      port: r.port,
      service: r.service,
    }))).toEqual(doc);
  });
});

describe('row IDs (cdk-nag style: a stable, exact set)', () => {
  test('each table holds exactly the expected IDs', () => {
    const bySection = (s: Section) => FirewallMatrix.TABLE_ROWS.filter(r => r.section === s).map(r => r.id);
    expect(bySection(Section.MANAGEMENT)).toEqual(['MGT-NTP', 'MGT-DNS', 'MGT-SMTP', 'MGT-LDAP', 'MGT-LDAPS', 'MGT-RADIUS',
      'MGT-TACACS-TCP', 'MGT-TACACS-UDP', 'MGT-SYSLOG-TCP', 'MGT-SYSLOG-UDP', 'MGT-BACKUP-SSH', 'MGT-BACKUP-NFS', 'MGT-BACKUP-SMB']);
    expect(bySection(Section.MANAGEMENT_TO_SEGURA)).toEqual(['BKP-SSH', 'BKP-NFS', 'BKP-SMB']);
    expect(bySection(Section.USERS)).toEqual(['USR-HTTPS', 'USR-HTTP', 'USR-SSH', 'USR-RDP']);
    expect(bySection(Section.DEVICES)).toEqual(['DVC-SSH', 'DVC-TELNET', 'DVC-ORACLE', 'DVC-MSSQL', 'DVC-POSTGRES', 'DVC-MYSQL',
      'DVC-RDP', 'DVC-RPC', 'DVC-RM', 'DVC-SMB', 'DVC-HTTP', 'DVC-HTTPS']);
    const services = ['SSH', 'MYSQL', 'VRACE', 'TRAM-TCP', 'BMC', 'SST', 'TRAM-UDP', 'HTTP', 'HTTPS', 'SYNC', 'SEGSSH'];
    expect(bySection(Section.CLUSTER)).toEqual([...services.map(s => `CLU-P2M-${s}`), ...services.map(s => `CLU-M2P-${s}`)]);
    expect(bySection(Section.DOMUM)).toEqual(['DOM-P2D-WEBSOCKET', 'DOM-P2D-WSS', 'DOM-D2P-WEBSOCKET', 'DOM-D2P-WSS']);
    expect(FirewallMatrix.NOTE_ROWS.map(r => r.id)).toEqual(['UPD-MIRROR', 'UPD-APT-PROXY']);
    // The rows the firewall document does not list, each source a section of its own.
    const notInDocument: Record<string, string[]> = {};
    for (const r of FirewallMatrix.GUIDE_ROWS) (notInDocument[r.section] ??= []).push(r.id);
    const arbitrator = ['VRACE', 'MYSQL', 'TRAM-TCP', 'BMC', 'SST', 'TRAM-UDP'];
    expect(notInDocument).toEqual({
      [Section.MEMBERS]: services.map(s => `CLU-M2M-${s}`),
      [Section.ARBITRATOR]: [...arbitrator.map(s => `ARB-I2A-${s}`), ...arbitrator.map(s => `ARB-A2I-${s}`)],
      [Section.LOAD_BALANCERS]: ['LB-HTTPS', 'LB-HTTP', 'LB-SSH', 'LB-RDP'],
    });
    // Each names its source; the document's rows name none.
    for (const r of FirewallMatrix.GUIDE_ROWS) expect(r.vendorGuide).toMatch(/^https:\/\//);
    for (const r of [...FirewallMatrix.TABLE_ROWS, ...FirewallMatrix.NOTE_ROWS]) expect(r.vendorGuide).toBeUndefined();
  });

  test('the vendor guides\' rows: member to member, the Arbitrator\'s, the load balancers\'', () => {
    const bySection = (s: Section) => FirewallMatrix.GUIDE_ROWS.filter(r => r.section === s).map(r => r.id);
    const services = ['SSH', 'MYSQL', 'VRACE', 'TRAM-TCP', 'BMC', 'SST', 'TRAM-UDP', 'HTTP', 'HTTPS', 'SYNC', 'SEGSSH'];
    expect(bySection(Section.MEMBERS)).toEqual(services.map(s => `CLU-M2M-${s}`));
    const arbitrator = ['VRACE', 'MYSQL', 'TRAM-TCP', 'BMC', 'SST', 'TRAM-UDP'];
    expect(bySection(Section.ARBITRATOR)).toEqual([...arbitrator.map(s => `ARB-I2A-${s}`), ...arbitrator.map(s => `ARB-A2I-${s}`)]);
    expect(bySection(Section.LOAD_BALANCERS)).toEqual(['LB-HTTPS', 'LB-HTTP', 'LB-SSH', 'LB-RDP']);
    expect(FirewallMatrix.GUIDE_ROWS.map(r => r.section)).toEqual([...services.map(() => Section.MEMBERS),
      ...arbitrator.map(() => Section.ARBITRATOR),
      ...arbitrator.map(() => Section.ARBITRATOR), ...[1, 2, 3, 4].map(() => Section.LOAD_BALANCERS)]);
  });

  test('the load balancers\' rows: toward the Primary (the plan adds the members) on the users\' ports, each taking its USR- row\'s port, from the load-balancing guides', () => {
    expect(FirewallMatrix.GUIDE_ROWS.filter(r => r.section === Section.LOAD_BALANCERS)
      .map(r => `${r.id} ${r.protocol}/${r.port} ${r.source}>${r.destination} ${r.service} ${r.portOf} ${r.follows}`)).toEqual([
      'LB-HTTPS tcp/443 LOAD BALANCER>PRD HTTPS USR-HTTPS undefined',
      'LB-HTTP tcp/80 LOAD BALANCER>PRD HTTP USR-HTTP undefined',
      'LB-SSH tcp/22 LOAD BALANCER>PRD SSH USR-SSH undefined',
      'LB-RDP tcp/3389 LOAD BALANCER>PRD RDP USR-RDP undefined',
    ]);
    for (const r of FirewallMatrix.GUIDE_ROWS.filter(row => row.section === Section.LOAD_BALANCERS)) {
      expect(r.vendorGuide).toBe('https://docs.senhasegura.io/docs/load-balancing and https://community.senhasegura.io/t/configuration-of-third-party-load-balancers-with-senhasegura/685');
    }
  });

  test('IDs and ordinals are unique; ordinals follow document order', () => {
    const all = FirewallMatrix.ALL_ROWS;
    expect(new Set(all.map(r => r.id)).size).toBe(all.length);
    expect(all.map(r => r.ordinal)).toEqual(all.map((_, i) => i + 1));
    for (const r of all) expect(FirewallMatrix.tryFindRow(r.id)).toBe(r);
    expect(FirewallMatrix.tryFindRow('NOPE')).toBeUndefined();
  });

  test('the data cannot be changed at run time', () => {
    expect(() => { (FirewallMatrix.TABLE_ROWS[0] as any).port = 1; }).toThrow();
    expect(FirewallMatrix.TABLE_ROWS[0].port).toBe(123);
  });
});

describe('the document\'s quirks are kept as documented and flagged', () => {
  test.each([
    ['MGT-SMTP', Protocol.TCP, 420],
    ['MGT-SYSLOG-UDP', Protocol.UDP, 6514],
    ['MGT-BACKUP-SMB', Protocol.TCP, 5445],
    ['DVC-ORACLE', Protocol.TCP, 7443],
  ])('%s is %s/%d and carries a quirk note', (id, protocol, port) => {
    const row = FirewallMatrix.tryFindRow(id)!;
    expect(row.protocol).toBe(protocol);
    expect(row.port).toBe(port);
    expect(row.quirk).toMatch(/documented as/);
  });

  test('SMB from the backup server is 445/tcp (the reverse of 5445)', () => {
    expect(FirewallMatrix.tryFindRow('BKP-SMB')).toMatchObject({ source: Role.BACKUP_SERVER, port: 445, protocol: Protocol.TCP });
    expect(FirewallMatrix.tryFindRow('BKP-SMB')!.quirk).toBeUndefined();
  });
});
