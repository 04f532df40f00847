/* eslint-disable no-bitwise */ // addresses from counters
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run as runCli } from '../lib/cli/main';
import { FirewallMatrix, FirewallPlan, Role } from '../lib/core';
import { configOf } from './support/addresses';
import { configFileKeys, keysAt } from './support/keys';
import { peerRoleOf } from '../lib/core/plan';
import { ALL_ROLES, CONTAINERS } from '../lib/core/roles';
import { matrixDocument } from '../scripts/generate/matrix-doc';

// In process, but on large estates too (4,000 device networks): seconds, not milliseconds.
jest.setTimeout(30_000);

const ROOT = path.join(__dirname, '..');
const FULL = path.join(__dirname, 'fixtures', 'cli', 'full.json');

/** The command line, in process (test/cli-process.test.ts runs the built command as a process). */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = []; const err: string[] = [];
  const code = await runCli(args, { out: c => { out.push(c); }, err: m => { err.push(m); }, stdin: () => '' });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

function tmpFile(name: string, content: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'segura-cli-')), name);
  fs.writeFileSync(file, content);
  return file;
}

/** Parse RFC 4180 CSV (quoted cells with doubled quotes). */
function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = []; let cell = ''; let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') {quoted = false;} else {cell += c;}
    } else if (c === '"') {quoted = true;} else if (c === ',') { row.push(cell); cell = ''; } else if (c === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; } else {cell += c;}
  }
  const [header, ...body] = rows;
  return body.map(r => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

/** The plan's flows for the fixture, expanded by the test itself into address pairs. */
function expectedForFull(): string[] {
  const config = JSON.parse(fs.readFileSync(FULL, 'utf8'));
  const addresses: Record<string, string[]> = {
    [Role.PRD]: config.primary,
    [Role.MBR]: config.members,
    [Role.DOMUM]: config.domum,
    [Role.ARB]: config.arbitrator,
    [Role.USERW]: config.users,
    [Role.LOAD_BALANCER]: config.loadBalancers,
    [Role.DVC]: config.devices,
    [Role.NTP_SERVER]: config.management.ntp,
    [Role.DNS_SERVER]: config.management.dns,
    [Role.MAIL_SERVER]: config.management.mail,
    [Role.LDAP_SERVER]: config.management.ldap,
    [Role.RADIUS_SERVER]: config.management.radius,
    [Role.TACACS_SERVER]: config.management.tacacs,
    [Role.LOG_SERVER]: config.management.syslog,
    [Role.BACKUP_SERVER]: config.management.backup,
    [Role.APT_PROXY]: config.aptProxy.peers,
  };
  const flows = FirewallPlan.flows({
    peerRoles: Object.keys(addresses).filter(r => r !== Role.PRD && r !== Role.MBR) as Role[],
    portOverrides: config.portOverrides,
    disabledRules: config.disabledRules,
    aptProxyPort: config.aptProxy.port,
  });
  // Every pair of the two ends' addresses, but a host and itself (member to member).
  return flows.flatMap(f => addresses[f.source].flatMap(s => addresses[f.destination].filter(d => d !== s).map(d =>
    `${f.rowId}|${f.source}|${s}|${f.destination}|${d}|${f.protocol}|${f.port}|${f.port}|${f.service}`))).sort();
}

const key = (r: any) => [r.rowId, r.source, r.sourceAddress, r.destination, r.destinationAddress, r.protocol, r.fromPort, r.toPort, r.service].join('|');

describe('segura-firewall matrix', () => {
  test('JSON with a config parses back to exactly the plan\'s flows, with concrete addresses', async () => {
    const r = await cli('matrix', '--format', 'json', '--config', FULL);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const rows = JSON.parse(r.stdout);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(expect.arrayContaining(['source', 'destination', 'protocol', 'fromPort', 'toPort', 'service', 'rowId']));
      expect(['tcp', 'udp']).toContain(row.protocol);
    }
    expect(rows.map(key).sort()).toEqual(expectedForFull());
    expect(rows.some((x: any) => x.rowId === 'MGT-SMTP' && x.fromPort === 587)).toBe(true);
    expect(rows.some((x: any) => x.rowId === 'DVC-TELNET')).toBe(false);
    expect(rows.filter((x: any) => x.rowId === 'CLU-P2M-SSH').map((x: any) => x.destinationAddress)).toEqual(['10.0.1.5/32', '10.0.1.6/32']);
    // With two members, member to member between their own addresses, marked as from the vendor's guides.
    expect(rows.filter((x: any) => x.rowId === 'CLU-M2M-SSH').map((x: any) => `${x.sourceAddress}>${x.destinationAddress} ${x.viaVendorGuide}`))
      .toEqual(['10.0.1.5/32>10.0.1.6/32 true', '10.0.1.6/32>10.0.1.5/32 true']);
    // The load balancers to the Primary and both members, on the users' ports.
    expect(rows.filter((x: any) => x.rowId.startsWith('LB-')).map((x: any) => `${x.sourceAddress}>${x.destinationAddress} ${x.fromPort}`).sort())
      .toEqual(['10.0.1.4/32', '10.0.1.5/32', '10.0.1.6/32'].flatMap(d => [443, 80, 22, 3389].map(p => `10.0.4.0/27>${d} ${p}`)).sort());
    // The Arbitrator with the Primary and both members, both ways.
    expect(new Set(rows.filter((x: any) => x.rowId.startsWith('ARB-')).flatMap((x: any) => [x.sourceAddress, x.destinationAddress])))
      .toEqual(new Set(['10.0.3.4/32', '10.0.1.4/32', '10.0.1.5/32', '10.0.1.6/32']));
  });

  test('CSV with a config parses back to the same flows', async () => {
    const r = await cli('matrix', '--format=csv', '--config', FULL);
    expect(r.code).toBe(0);
    const rows = parseCsv(r.stdout).map(x => ({ ...x, fromPort: Number(x.fromPort), toPort: Number(x.toPort) }));
    expect(rows.map(key).sort()).toEqual(expectedForFull());
  });

  test('without a config: the document by role, with the cluster note, in JSON and CSV alike', async () => {
    const json = JSON.parse((await cli('matrix', '--format', 'json')).stdout);
    const roles = Object.values(Role).filter(x => x !== Role.PRD && x !== Role.MBR && x !== Role.APT_PROXY);
    const flows = FirewallPlan.flows({ peerRoles: roles });
    expect(json.map((x: any) => `${x.rowId} ${x.source}>${x.destination} ${x.protocol}/${x.fromPort}`))
      .toEqual(flows.map(f => `${f.rowId} ${f.source}>${f.destination} ${f.protocol}/${f.port}`));
    // Every row of the data but the proxy's: the tables, the mirror note, the rows not in the document.
    expect(new Set(json.map((x: any) => x.rowId)).size).toBe(FirewallMatrix.ALL_ROWS.filter(r => peerRoleOf(r) !== Role.APT_PROXY).length);
    expect(new Set(json.map((x: any) => x.rowId)).has('CLU-M2M-SSH')).toBe(true);
    expect(json.filter((x: any) => x.source === 'MBR' && x.destination === 'NTP SERVER')).toHaveLength(1);
    const csv = parseCsv((await cli('matrix', '--format', 'csv')).stdout);
    expect(csv.map(x => x.rowId)).toEqual(json.map((x: any) => x.rowId));
  });

  test('table and markdown: grouped by the document\'s sections, quirks and overrides noted', async () => {
    const table = (await cli('matrix')).stdout;
    expect(table).toContain('Communication between Segura® and management systems');
    expect(table).toMatch(/MGT-SMTP\s+PRD\s+MAIL SERVER\s+tcp\s+420\s+SMTP\s+as documented \(quirk\)/);
    const md = (await cli('matrix', '--format', 'markdown', '--config', FULL)).stdout;
    expect(md).toContain('### Communication between instances of Segura® (if applicable)');
    expect(md).toContain('| MGT-SMTP | PRD | 10.0.1.4/32 | MAIL SERVER | 10.30.0.25/32 | tcp | 587 | SMTP | documented 420 |');
    expect(md).toContain('| UPD-APT-PROXY | MBR | 10.0.1.6/32 | APT PROXY | 10.40.0.1/32 | tcp | 3128 | APT proxy | cluster note; documented 3142 |');
  });

  test('a config without members is a standalone Primary: no cluster rows', async () => {
    const file = tmpFile('solo.json', JSON.stringify({ primary: ['10.0.1.4/32'], users: ['10.10.0.0/16'] }));
    const rows = JSON.parse((await cli('matrix', '--format', 'json', '--config', file)).stdout);
    expect(rows.map((x: any) => `${x.rowId} ${x.sourceAddress}>${x.destinationAddress}`)).toEqual([
      'USR-HTTPS 10.10.0.0/16>10.0.1.4/32', 'USR-HTTP 10.10.0.0/16>10.0.1.4/32', 'USR-SSH 10.10.0.0/16>10.0.1.4/32', 'USR-RDP 10.10.0.0/16>10.0.1.4/32',
    ]);
  });
});

describe('segura-firewall diagram', () => {
  test('the HA topology shows: a second member node for member-to-member edges, and the Arbitrator', async () => {
    const r = await cli('diagram');
    expect(r.stdout).toContain('MBR_other["MBR (another member)"]');
    expect(r.stdout).toContain('MBR -->|"tcp 22, 80, 443, 3306, 4248, 4444, 4567, 4568, 9300, 59022; udp 4567"| MBR_other');
    expect(r.stdout).toContain('subgraph Arbitrator["Arbitrator"]');
    expect(r.stdout).toContain('ARB -->|"tcp 3306, 4444, 4567, 4568, 9300; udp 4567"| PRD');
    const dot = (await cli('diagram', '--format', 'dot', '--config', FULL)).stdout;
    expect(dot).toContain('MBR -> MBR_other [label="tcp 22, 80, 443, 3306, 4248, 4444, 4567, 4568, 9300, 59022; udp 4567"];');
    expect(dot).toContain('PRD -> ARB [label="tcp 3306, 4444, 4567, 4568, 9300; udp 4567"];');
  });

  test('mermaid: roles grouped as the document groups them, one labelled edge per section and pair', async () => {
    const r = await cli('diagram');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('flowchart LR\n')).toBe(true);
    expect(r.stdout).toContain('subgraph Management_systems["Management systems"]');
    expect(r.stdout).toContain('PRD -->|"tcp 22, 80, 443, 3306, 4248, 4444, 4567, 4568, 9300, 59022; udp 4567"| MBR');
    expect(r.stdout).toContain('PRD -->|"tcp 22, 23, 80, 135, 139, 443, 445, 1433, 3306, 3389, 5432, 7443"| DVC');
    expect(r.stdout).toContain('%% Communication between Domum and instances of Segura® (if applicable)');
  });

  test('dot: a digraph with clusters and labelled edges; a config changes the labels', async () => {
    const r = await cli('diagram', '--format', 'dot', '--config', FULL);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^digraph segura \{/);
    expect(r.stdout).toContain('PRD -> MAIL_SERVER [label="tcp 587"];');
    expect(r.stdout).toContain('subgraph cluster_0 {');
    expect(r.stdout.trim().endsWith('}')).toBe(true);
  });
});

describe('help and version', () => {
  test.each([['--help'], ['-h'], ['help']])('%s', async (flag) => {
    const r = await cli(flag);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: segura-firewall <command>');
  });
  test.each([['matrix', '--help'], ['help', 'matrix'], ['diagram', '-h']])('%s %s', async (a, b) => {
    const r = await cli(a, b);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: segura-firewall (matrix|diagram) \[--format/);
  });
  test('every command: the same help from `help CMD` and `CMD --help`, a usage line, its options and -h; the main help lists them all', async () => {
    const help = async (...argv: string[]) => {
      const out: string[] = [];
      expect(await runCli(argv, { out: c => { out.push(c); }, err: () => {}, stdin: () => '' })).toBe(0);
      return out.join('');
    };
    const main = await help('--help');
    const commands = [...main.matchAll(/^ {2}([a-z]+) {2,}/gm)].map(m => m[1]);
    expect(commands).toEqual(['matrix', 'diagram', 'audit', 'help']);
    for (const command of ['matrix', 'diagram', 'audit', 'audit aws', 'audit azure']) {
      const text = await help(...command.split(' '), '--help');
      expect({ command, usage: text.split('\n')[0].startsWith(`Usage: segura-firewall ${command}`), h: /^ {2}-h, --help +show this help$/m.test(text) })
        .toEqual({ command, usage: true, h: true });
      if (!command.includes(' ')) expect(await help('help', command)).toBe(text);
    }
  });
  test('--version prints the package version', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(await cli('--version')).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });
});

describe('no arguments', () => {
  test('no arguments prints usage on stderr and exits 2', async () => {
    const r = await cli();
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Usage: segura-firewall');
  });
});

describe('docs/matrix.md', () => {
  test('names the vendor guides\' rows and their sources', () => {
    const doc = matrixDocument();
    expect(doc).toContain('## Rows not in the firewall document');
    expect(doc).toContain('https://helpcenter.senhasegura.io/docs/3.25/installation/cluster-ha-dr/');
    expect(doc).toContain('https://docs.senhasegura.io/docs/arbitrator-introduction');
    expect(doc).toContain('| CLU-M2M-SSH | MBR | MBR | tcp | 22 | SSH | vendor guide |');
    expect(doc).toContain('| ARB-A2I-TRAM-UDP | ARBITRATOR | udp | ARB | PRD | 4567 | TRAM | vendor guide |');
  });

  test('holds every row ID and the Mermaid diagram', () => {
    const doc = matrixDocument();
    expect(doc).toContain('```mermaid\nflowchart LR');
    for (const id of ['MGT-NTP', 'BKP-SMB', 'USR-RDP', 'DVC-ORACLE', 'CLU-M2P-SEGSSH', 'DOM-D2P-WSS', 'UPD-APT-PROXY']) expect(doc).toContain(`| ${id} |`);
  });
});

describe('the config schema', () => {
  test('documents exactly the options the command accepts', async () => {
    const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema', 'segura-firewall.schema.json'), 'utf8'));
    // The keys of a config file, from the role table and the options schema (test/support/keys.ts).
    const fileKeys = [...new Set([...configFileKeys('cli'), ...configFileKeys('audit')])];
    expect(Object.keys(schema.properties).sort()).toEqual(fileKeys.sort());
    for (const container of Object.keys(CONTAINERS)) {
      expect(Object.keys(schema.properties[container].properties).sort()).toEqual(keysAt(container, ALL_ROLES).sort());
    }
    // Every property the schema names is accepted by the command: two configs between them hold every one
    // (packageMirrors and aptProxy exclude each other), each with every property it can take.
    const every = { ...configOf(ALL_ROLES), portOverrides: { 'MGT-SMTP': 587 }, disabledRules: ['DVC-TELNET'] };
    const withProxy = { ...every, packageMirrors: undefined, allowAnyAddress: ['users'], clusterTraffic: 'PRIMARY_AND_MEMBERS_ONLY' };
    const withMirrors = { ...every, aptProxy: undefined, clusterTraffic: 'ALL_INSTANCES' };
    const given = (c: Record<string, unknown>, property: string) => property === '$schema' || c[property] !== undefined;
    for (const property of Object.keys(schema.properties)) {
      expect({ property, in: [withProxy, withMirrors].some(c => given(c, property)) }).toEqual({ property, in: true });
    }
    const rowsOf = async (config: object) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runCli(['matrix', '--format', 'json', '--config', '-'], { out: s => { out.push(s); }, err: s => { err.push(s); }, stdin: () => JSON.stringify(config) });
      expect({ code, err }).toEqual({ code: 0, err: [] });
      return new Set(JSON.parse(out.join('')).map((l: any) => l.rowId as string));
    };
    // And each one is read: the cluster traffic, the proxy or the mirrors, the overrides and opt-outs.
    const [proxyRows, mirrorRows] = [await rowsOf(withProxy), await rowsOf(withMirrors)];
    expect([proxyRows.has('CLU-M2M-MYSQL'), mirrorRows.has('CLU-M2M-MYSQL')]).toEqual([false, true]);
    expect([proxyRows.has('UPD-APT-PROXY'), proxyRows.has('UPD-MIRROR'), mirrorRows.has('UPD-APT-PROXY'), mirrorRows.has('UPD-MIRROR')]).toEqual([true, false, false, true]);
    expect([proxyRows.has('DVC-TELNET'), proxyRows.has('DVC-SSH')]).toEqual([false, true]);
  });
});

describe('a command line that never crashes', () => {
  const config = (o: object) => tmpFile('c.json', JSON.stringify(o));

  test('a UTF-8 byte-order mark is accepted, in a file and on standard input (--config -)', async () => {
    const text = `\uFEFF${JSON.stringify({ users: ['10.10.0.0/16'] })}`;
    const fromFile = await cli('matrix', '--format', 'csv', '--config', tmpFile('bom.json', text));
    expect(fromFile).toMatchObject({ code: 0, stderr: '' });
    const out: string[] = [];
    expect(await runCli(['matrix', '--format', 'csv', '--config', '-'], { out: c => { out.push(c); }, err: () => {}, stdin: () => text })).toBe(0);
    expect(out.join('')).toBe(fromFile.stdout);
  });

  test('4,000 device /32s: the default table (every row, none of them lost), in process', async () => {
    const devices = Array.from({ length: 4000 }, (_, i) => `10.${i >> 8}.${i & 255}.1/32`);
    const chunks: string[] = [];
    const code = await runCli(['matrix', '--config', '-'], { out: c => { chunks.push(c); }, err: () => {}, stdin: () => JSON.stringify({ devices }) });
    expect(code).toBe(0);
    const lines = chunks.join('').split('\n');
    const deviceRows = FirewallMatrix.ALL_ROWS.filter(r => r.destination === Role.DVC).length;
    expect(lines.filter(l => / DVC-[A-Z]+ /.test(` ${l} `) && /10\.\d+\.\d+\.1\/32/.test(l))).toHaveLength(devices.length * deviceRows);
  });

  test('a config covering every address: a warning on stderr, and the output (exit 0)', async () => {
    const r = await cli('matrix', '--format', 'csv', '--config', config({ users: ['0.0.0.0/0'] }));
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('segura-firewall: warning: users[0]: "0.0.0.0/0" is every IPv4 address: it would open tcp 443, 80, 22, 3389 from anywhere '
      + '(USR-HTTPS, USR-HTTP, USR-SSH, USR-RDP). If that is intended, add "users" to allowAnyAddress.\n');
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(5);
    expect((await cli('matrix', '--config', config({ users: ['0.0.0.0/0'], allowAnyAddress: ['users'] }))).stderr).toBe('');
  });

  test('a config that opens nothing says so on stderr', async () => {
    expect(await cli('matrix', '--config', config({ primary: ['10.0.1.4/32'] }))).toEqual({
      code: 0,
      stdout: '',
      stderr: 'segura-firewall: the config opens no flow: give the Primary some peers (users, devices, management.*, ...), members (members) or a gateway (domum, arbitrator)\n',
    });
  });

  test('an option given twice is bad input', async () => {
    expect(await cli('matrix', '--format', 'csv', '--format', 'json')).toEqual({ code: 2, stdout: '', stderr: 'segura-firewall: --format is given twice\n' });
  });
});

describe('the table fits the terminal', () => {
  const run = async (columns?: number) => {
    const out: string[] = [];
    const code = await runCli(['matrix', '--config', FULL], { out: s => { out.push(s); }, err: () => {}, stdin: () => '', columns });
    return { code, lines: out.join('').split('\n') };
  };

  test('within 100 columns, the least useful columns go; not a terminal, every column', async () => {
    const wide = await run();
    expect(Math.max(...wide.lines.map(l => l.length))).toBeGreaterThan(100);
    expect(wide.lines.find(l => l.startsWith('Row'))).toMatch(/Service\s+Note$/);
    const narrow = await run(100);
    expect(narrow.code).toBe(0);
    expect(Math.max(...narrow.lines.map(l => l.length))).toBeLessThanOrEqual(100);
    // Service and Note go first.
    expect(narrow.lines.find(l => l.startsWith('Row'))).toMatch(/^Row\s+Source\s+Source address\s+Destination\s+Destination address\s+Protocol\s+Port$/);
    const tight = await run(60);
    expect(tight.lines.find(l => l.startsWith('Row'))).toMatch(/^Row\s+Source address\s+Destination address\s+Port$/);
  });
});
