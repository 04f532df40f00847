/** docs/matrix.md, generated from the data (`npx projen docs`; a test fails when it is stale). */
import { renderMermaid } from './diagram';
import { renderMarkdown } from './formats';
import { documentLines } from './lines';
import { FirewallMatrix, VENDOR_GUIDES } from '../core/matrix';

const collect = (chunks: Iterable<string>): string => [...chunks].join('');

/** docs/matrix.md: the full table and the diagram. */
export function matrixDocument(): string {
  const lines = documentLines();
  return [
    '<!-- Generated from lib/core/matrix.ts by `npx projen docs`; do not edit. A test fails when it is stale. -->',
    '# The Segura firewall matrix',
    '',
    'Every row of the vendor\'s document, by role, with the cluster note applied (every row of the',
    'Primary holds for the members too, marked "cluster note") and the prose note on package',
    'mirrors as row UPD-MIRROR (or UPD-APT-PROXY with an APT proxy), then the rows the vendor\'s',
    'installation guides add (marked "vendor guide"): the cluster ports between the members',
    'themselves, the Arbitrator\'s, and the load balancers\'. `segura-firewall matrix` prints the same',
    'for your own addresses.',
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
    '## Rows from the vendor\'s guides',
    '',
    'The firewall document lists flows between the Primary and the members only. The vendor\'s',
    'installation guides say more, and the library follows them (each of these flows is marked',
    '"vendor guide" in rule descriptions and in `segura-firewall matrix`):',
    '',
    '- **Member to member** (rows CLU-M2M-\\*): the cluster ports must be open between all',
    '  instances; Galera connects every node to every node, and a member may become the Primary.',
    '  Set `clusterTraffic: PRIMARY_AND_MEMBERS_ONLY` for the document\'s literal reading.',
    `  Sources: ${VENDOR_GUIDES.cluster}.`,
    '- **The Arbitrator** (rows ARB-\\*): TCP 9300, 3306, 4567, 4568, 4444 and UDP 4567 between the',
    '  Arbitrator and every instance, both ways (the page gives no direction).',
    `  Source: ${VENDOR_GUIDES.arbitrator}.`,
    '- **Load balancers** (rows LB-\\*, with `loadBalancers`): from the balancers to every instance',
    '  (Primary and members: any member may be promoted) on the users\' ports, for forwarded sessions',
    '  and health checks (each access proxy\'s TCP port, and `GET /flow/orbit/mntr` over HTTPS 443).',
    '  Each row takes the port of its USR-\\* row (that row\'s override too) unless overridden itself,',
    '  and opens or closes on its own: with a balancer in front, the users\' rows may be disabled.',
    `  Sources: ${VENDOR_GUIDES.loadBalancing}.`,
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
