/** docs/matrix.md, generated from the data (`npx projen generate`; test/generated.test.ts fails when it is stale). */
import { renderMermaid } from '../../lib/cli/diagram';
import { renderMarkdown } from '../../lib/cli/formats';
import { documentLines } from '../../lib/cli/lines';
import { FirewallMatrix, MatrixRow, Section, SECTION_TITLES } from '../../lib/core/matrix';

const collect = (chunks: Iterable<string>): string => [...chunks].join('');

/**
 * What the docs add about a section of rows that the firewall document does not list, beyond
 * its rows and its source (which come from the data): why it is there, how to turn it off.
 */
const NOT_IN_DOCUMENT_NOTES: Partial<Record<Section, string>> = {
  [Section.MEMBERS]: 'the cluster ports must be open between all instances; Galera connects every node to every node, '
    + 'and a member may become the Primary. Set `clusterTraffic: PRIMARY_AND_MEMBERS_ONLY` for the document\'s literal reading.',
  [Section.ARBITRATOR]: 'between the Arbitrator and every instance, both ways (the page gives no direction).',
  [Section.LOAD_BALANCERS]: 'with `loadBalancers`, from the balancers to every instance (Primary and members: any member may be '
    + 'promoted) on the users\' ports, for forwarded sessions and health checks (each access proxy\'s TCP port, and '
    + '`GET /flow/orbit/mntr` over HTTPS 443). Each row takes the port of its USR-\\* row (that row\'s override too) unless '
    + 'overridden itself, and opens or closes on its own: with a balancer in front, the users\' rows may be disabled.',
};

/** `CLU-M2M-\\*` for rows sharing a prefix, or the one row's ID. */
function idPattern(rows: readonly MatrixRow[]): string {
  if (rows.length === 1) return rows[0].id;
  const parts = rows.map(r => r.id.split('-'));
  let n = 0;
  while (parts.every(p => p.length > n + 1 && p[n] === parts[0][n])) n++;
  return `${parts[0].slice(0, n).join('-')}-\\*`;
}

/** `tcp 9300, 3306; udp 4567` for rows, by protocol in order of appearance. */
function portsOf(rows: readonly MatrixRow[]): string {
  const byProtocol = new Map<string, number[]>();
  for (const r of rows) {
    const ports = byProtocol.get(r.protocol) ?? [];
    if (!ports.includes(r.port)) ports.push(r.port);
    byProtocol.set(r.protocol, ports);
  }
  return [...byProtocol].map(([protocol, ports]) => `${protocol} ${ports.join(', ')}`).join('; ');
}

/** One item per section of rows the firewall document does not list: its rows, ports, why, and its source. */
function notInDocumentItems(): string[] {
  const sections = [...new Set(FirewallMatrix.GUIDE_ROWS.map(r => r.section))];
  return sections.map(section => {
    const rows = FirewallMatrix.GUIDE_ROWS.filter(r => r.section === section);
    const note = NOT_IN_DOCUMENT_NOTES[section];
    return `- **${SECTION_TITLES[section]}** (rows ${idPattern(rows)}; ${portsOf(rows)})${note ? `: ${note}` : '.'} Source: ${rows[0].vendorGuide}.`;
  });
}

/** docs/matrix.md: the full table and the diagram. */
export function matrixDocument(): string {
  const lines = documentLines();
  return [
    '<!-- Generated from lib/core/matrix.ts by `npx projen generate`; do not edit. A test fails when it is stale. -->',
    '# The Segura firewall matrix',
    '',
    'Every row of the vendor\'s document, by role, with the cluster note applied (every row of the',
    'Primary holds for the members too, marked "cluster note") and the prose note on package',
    'mirrors as row UPD-MIRROR (or UPD-APT-PROXY with an APT proxy), then the rows that are not in',
    'the firewall document (marked "vendor guide"), each section with its source. `segura-firewall',
    'matrix` prints the same for your own addresses.',
    '',
    '## Diagram',
    '',
    '```mermaid',
    collect(renderMermaid(lines)).trimEnd(),
    '```',
    '',
    '## Rows by section',
    '',
    collect(renderMarkdown(lines)).trimEnd(),
    '',
    '## Rows not in the firewall document',
    '',
    'The firewall document lists flows between the Primary and the members only. The vendor\'s',
    'installation guides and requirements say more, and the library follows them, each source a',
    'section of its own (each of these flows is marked "vendor guide" in rule descriptions and in',
    '`segura-firewall matrix`):',
    '',
    ...notInDocumentItems(),
    '',
    '## Row IDs',
    '',
    'Use these in `portOverrides` and `disabledRules`.',
    '',
    '| ID | Section | Protocol | Source | Destination | Port | Service | Quirk or source |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...FirewallMatrix.ALL_ROWS.map(r => `| ${r.id} | ${r.section} | ${r.protocol} | ${r.source} | ${r.destination} | ${r.port} | ${r.service} | ${r.quirk ?? (r.vendorGuide ? 'vendor guide' : '')} |`),
    '',
  ].join('\n');
}
