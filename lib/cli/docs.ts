/** docs/matrix.md, generated from the data (`npx projen docs`; a test fails when it is stale). */
import { renderMermaid } from './diagram';
import { renderMarkdown } from './formats';
import { documentLines } from './lines';
import { FirewallMatrix } from '../core/matrix';

const collect = (render: (write: (s: string) => void) => void): string => {
  const parts: string[] = [];
  render(s => parts.push(s));
  return parts.join('');
};

/** docs/matrix.md: the full table and the diagram. */
export function matrixDocument(): string {
  const lines = documentLines();
  return [
    '<!-- Generated from lib/core/matrix.ts by `npx projen docs`; do not edit. A test fails when it is stale. -->',
    '# The Segura firewall matrix',
    '',
    'Every row of the vendor\'s document, by role, with the cluster note applied (every row of the',
    'Primary holds for the members too, marked "cluster note") and the prose note on package',
    'mirrors as row UPD-MIRROR (or UPD-APT-PROXY with an APT proxy). `segura-firewall matrix`',
    'prints the same for your own addresses.',
    '',
    '## Diagram',
    '',
    '```mermaid',
    collect(w => renderMermaid(lines, w)).trimEnd(),
    '```',
    '',
    '## Rows by section',
    '',
    collect(w => renderMarkdown(lines, w)).trimEnd(),
    '',
    '## Row IDs',
    '',
    'Use these in `portOverrides` and `disabledRules`.',
    '',
    '| ID | Section | Protocol | Source | Destination | Port | Service | Quirk |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...FirewallMatrix.ALL_ROWS.map(r => `| ${r.id} | ${r.section} | ${r.protocol} | ${r.source} | ${r.destination} | ${r.port} | ${r.service} | ${r.quirk ?? ''} |`),
    '',
  ].join('\n');
}
