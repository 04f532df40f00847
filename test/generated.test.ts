/**
 * Every file derived from the data is current: the ones scripts/generate/index.ts lists
 * (docs/matrix.md, the config schema, the peer props, the Azure priority slots, the
 * README's options table) and API.md, by the fingerprint of the API it documents. A stale
 * file fails with its name and the one command that regenerates them all.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { apiFingerprint, recordedFingerprint } from '../scripts/generate/api-fingerprint';
import { GENERATED_FILES, REGENERATE } from '../scripts/generate/index';

const ROOT = path.join(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** The first line where `actual` and `expected` differ, to show with the failure. */
function firstDifference(actual: string, expected: string): string {
  const a = actual.split('\n');
  const e = expected.split('\n');
  const i = a.findIndex((line, n) => line !== e[n]);
  const at = i < 0 ? a.length : i;
  return `line ${at + 1}: has ${JSON.stringify(a[at] ?? '(end of file)')}, should have ${JSON.stringify(e[at] ?? '(end of file)')}`;
}

/** Fails, naming the file and the command, when a generated file is not what its generator writes. */
function expectCurrent(file: string, actual: string, expected: string): void {
  if (actual !== expected) throw new Error(`${file} is stale: run \`${REGENERATE}\` (it regenerates every derived file) and commit the result. First difference, ${firstDifference(actual, expected)}`);
}

describe(`the generated files are current (regenerate them all with \`${REGENERATE}\`)`, () => {
  test.each(GENERATED_FILES.map(g => [g.file, g] as const))('%s', (file, g) => {
    const current = read(file);
    expectCurrent(file, current, g.source(current));
  });

  test('API.md documents the API compiled in .jsii (its fingerprint)', () => {
    const recorded = recordedFingerprint(read('API.md'));
    const compiled = apiFingerprint(ROOT);
    if (recorded !== compiled) {
      throw new Error(`API.md is stale: run \`${REGENERATE}\` (it compiles, then writes API.md with the fingerprint of the API it documents) and commit the result. `
        + `API.md records ${recorded ?? 'no fingerprint'}; the compiled API (.jsii) is ${compiled}`);
    }
  });
});

describe('the fingerprint of the API', () => {
  const jsii = JSON.parse(read('.jsii'));
  const fingerprintOf = (assembly: object) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'segura-api-'));
    fs.writeFileSync(path.join(dir, '.jsii'), JSON.stringify(assembly));
    fs.mkdirSync(path.join(dir, 'node_modules', 'jsii-docgen'), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'node_modules', 'jsii-docgen', 'package.json'), path.join(dir, 'node_modules', 'jsii-docgen', 'package.json'));
    return apiFingerprint(dir);
  };
  const [fqn, type] = Object.entries<any>(jsii.types).find(([, t]) => t.docs?.summary)!;

  test('changes with what API.md shows: a type\'s docs', () => {
    const edited = { ...jsii, types: { ...jsii.types, [fqn]: { ...type, docs: { ...type.docs, summary: `${type.docs.summary} More.` } } } };
    expect(fingerprintOf(edited)).not.toEqual(fingerprintOf(jsii));
  });

  test('does not change with what API.md never shows: where a type sits in the sources, the README, the version', () => {
    const moved = { ...type, locationInModule: { filename: 'lib/elsewhere.ts', line: 999 }, symbolId: 'lib/elsewhere:X' };
    const edited = { ...jsii, readme: { markdown: 'other' }, version: '9.9.9', types: { ...jsii.types, [fqn]: moved } };
    expect(fingerprintOf(edited)).toEqual(fingerprintOf(jsii));
  });
});
