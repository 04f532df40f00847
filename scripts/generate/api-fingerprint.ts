/**
 * API.md's staleness, without running jsii-docgen in the tests (~12 CPU-seconds): jsii-docgen
 * writes API.md from the jsii assembly (.jsii) alone, so API.md records, on its last line, a
 * fingerprint of what jsii-docgen reads from it: the package's name, its types (members,
 * docs, signatures) and submodules, and jsii-docgen's own version. Left out: where each type
 * sits in the sources (`locationInModule`, `symbolId`), which API.md never shows, and the
 * README, version and fingerprint jsii adds (neither in API.md). `npx projen compile` (and so
 * `npx projen generate`) writes API.md then this line; test/generated.test.ts compares it
 * with the fingerprint of the .jsii that `npm test`'s compile has just written.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

const MARK = '<!-- public API fingerprint (npx projen generate): ';

/** Drop the keys that place a type in the sources: API.md never shows them. */
function withoutLocations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutLocations);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'locationInModule' && k !== 'symbolId').map(([k, v]) => [k, withoutLocations(v)]));
}

/** The fingerprint of the public API as jsii-docgen reads it from `root`'s .jsii. */
export function apiFingerprint(root: string): string {
  const assembly = JSON.parse(fs.readFileSync(path.join(root, '.jsii'), 'utf8'));
  const docgen = JSON.parse(fs.readFileSync(path.join(root, 'node_modules', 'jsii-docgen', 'package.json'), 'utf8')).version;
  const read = { name: assembly.name, docgen, types: withoutLocations(assembly.types), submodules: withoutLocations(assembly.submodules ?? {}) };
  return `sha256:${createHash('sha256').update(JSON.stringify(read)).digest('hex')}`;
}

/** The fingerprint API.md records, if any. */
export function recordedFingerprint(apiMd: string): string | undefined {
  const line = apiMd.trimEnd().split('\n').pop() ?? '';
  return line.startsWith(MARK) ? line.slice(MARK.length, line.length - ' -->'.length) : undefined;
}

/** API.md as jsii-docgen wrote it, with the fingerprint of `root`'s .jsii on its last line. */
export function withFingerprint(apiMd: string, root: string): string {
  const lines = apiMd.trimEnd().split('\n');
  if (lines[lines.length - 1].startsWith(MARK)) lines.pop();
  return `${lines.join('\n').trimEnd()}\n\n${MARK}${apiFingerprint(root)} -->\n`;
}
