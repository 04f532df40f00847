/**
 * The README's peer table, from its sources: the ranges package.json declares, the
 * versions the repository develops on (its node_modules), and the floor and newest
 * versions `npm run test:external` installed into its scratch apps and recorded in
 * test/external/tested-peers.json. The test run writes the record and the table
 * (test/external/readme-apps.test.ts); npm test checks that the README's table is the
 * one these sources give (test/readme.test.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Cloud } from './scratch-app';

/** What a test run installed in each scratch app: package name to version. */
export interface TestedPeers {
  /** The day of the run, YYYY-MM-DD. */
  readonly date: string;
  /** `process.version` of the run. */
  readonly node: string;
  readonly floor: Record<Cloud, Record<string, string>>;
  readonly newest: Record<Cloud, Record<string, string>>;
}

export const RECORD = path.join(__dirname, '..', 'test', 'external', 'tested-peers.json');
const README = path.join(__dirname, '..', 'README.md');
const MARKERS = /<!-- peer-floor -->[\s\S]*?<!-- \/peer-floor -->/;

/** The table's rows: the peers, then the tools the apps use (not dependencies of the package). */
export const TABLE_ROWS: ReadonlyArray<{ name: string; label: string; peer: boolean }> = [
  { name: 'aws-cdk-lib', label: '`aws-cdk-lib` (AWS)', peer: true },
  { name: 'constructs', label: '`constructs`', peer: true },
  { name: 'cdktf', label: '`cdktf` (Azure)', peer: true },
  { name: '@cdktf/provider-azurerm', label: '`@cdktf/provider-azurerm` (Azure)', peer: true },
  { name: 'aws-cdk', label: '`aws-cdk` (AWS: the CDK CLI)', peer: false },
  { name: 'cdk-nag', label: '`cdk-nag` (AWS: the README\'s acknowledgement block)', peer: false },
  { name: 'cdktf-cli', label: '`cdktf-cli` (Azure: the CDKTF CLI)', peer: false },
  { name: 'typescript', label: '`typescript` (the apps\' compiler)', peer: false },
];

/** One version, or each cloud's when they differ: `10.0.0 (AWS), 10.3.0 (Azure)`; `-` when no app had it. */
function versions(byCloud: Record<Cloud, Record<string, string>>, name: string): string {
  const found = (['aws', 'azure'] as const).filter(c => byCloud[c][name] !== undefined).map(c => [c, byCloud[c][name]] as const);
  if (found.length === 0) return '-';
  if (new Set(found.map(([, v]) => v)).size === 1) return found[0][1];
  return found.map(([c, v]) => `${v} (${c === 'aws' ? 'AWS' : 'Azure'})`).join(', ');
}

const escapeCell = (s: string) => s.replace(/\|/g, '\\|');

/** The table (with its markers) for these sources. `developedOn` is the repository's installed version of a package. */
export function renderPeerTable(record: TestedPeers, peerRanges: Record<string, string>, developedOn: (name: string) => string): string {
  const lines = [
    '<!-- peer-floor -->',
    `Recorded by \`npm run test:external\` on ${record.date} (Node ${record.node}):`,
    '',
    '| Package | Range | Floor tested | Newest tested | Developed on |',
    '| --- | --- | --- | --- | --- |',
    ...TABLE_ROWS.map(r => `| ${r.label} | ${r.peer ? `\`${escapeCell(peerRanges[r.name])}\`` : 'not a dependency'} | ${versions(record.floor, r.name)} | `
      + `${versions(record.newest, r.name)} | ${developedOn(r.name)} |`),
    '<!-- /peer-floor -->',
  ];
  return lines.join('\n');
}

/** The table the repository's sources give today. */
export function currentPeerTable(root = path.join(__dirname, '..')): string {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const record = JSON.parse(fs.readFileSync(RECORD, 'utf8')) as TestedPeers;
  const developedOn = (name: string) => JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version as string;
  return renderPeerTable(record, pkg.peerDependencies, developedOn);
}

/** The README's table as written. */
export function readmePeerTable(readme = fs.readFileSync(README, 'utf8')): string {
  const found = MARKERS.exec(readme);
  if (!found) throw new Error('README.md has no <!-- peer-floor --> ... <!-- /peer-floor --> block');
  return found[0];
}

/** Write a run's record, and the README's table from it (each file replaced whole, at once). */
export function writeTestedPeers(record: TestedPeers): void {
  const replace = (file: string, text: string) => {
    fs.writeFileSync(`${file}.tmp`, text);
    fs.renameSync(`${file}.tmp`, file);
  };
  replace(RECORD, `${JSON.stringify(record, undefined, 2)}\n`);
  const readme = fs.readFileSync(README, 'utf8');
  readmePeerTable(readme);
  replace(README, readme.replace(MARKERS, () => currentPeerTable()));
}
