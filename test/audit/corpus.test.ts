/**
 * The conformance corpus (test/fixtures/audit/corpus): real public exports of both
 * clouds (API specification examples, CLI reference output, scanners' and modules'
 * fixtures, recorded API responses), templates and Terraform plans, identities replaced by
 * neutral ones. Each case
 * holds its export, its provenance and the audit's inputs (case.json), and the truth
 * decided by hand from the clouds' documented rules (expected.txt). Every case runs
 * through the CLI as a user would run it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../../lib/cli/main';

const CORPUS = path.join(__dirname, '..', 'fixtures', 'audit', 'corpus');
const CASES = fs.readdirSync(CORPUS).filter(d => fs.statSync(path.join(CORPUS, d)).isDirectory()).sort();
const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'segura-corpus-'));
afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));

interface Case {
  /** The audit: `aws`, `azure`, `cloudformation` or `terraform`. */
  cloud: 'aws' | 'azure' | 'cloudformation' | 'terraform';
  what: string;
  source: { url: string; repository: string; path: string; commit: string; licence: string; excerpt?: string };
  changes: string[];
  config: object;
  args: string[];
}

const load = (name: string) => {
  const dir = path.join(CORPUS, name);
  const c: Case = JSON.parse(fs.readFileSync(path.join(dir, 'case.json'), 'utf8'));
  const exportFile = ['export.json', 'export.txt', 'export.yaml'].map(f => path.join(dir, f)).find(f => fs.existsSync(f))!;
  const expected = fs.readFileSync(path.join(dir, 'expected.txt'), 'utf8').split('\n').filter(l => l.trim() !== '' && !l.startsWith('#'));
  return { c, exportFile, expected };
};

async function audit(c: Case, exportFile: string): Promise<{ code: number; out: string; err: string }> {
  const config = path.join(DIR, `${path.basename(path.dirname(exportFile))}-site.json`);
  fs.writeFileSync(config, JSON.stringify(c.config));
  const out: string[] = []; const err: string[] = [];
  const exportFlag = { aws: '--security-groups', azure: '--nsgs', cloudformation: '--template', terraform: '--plan' }[c.cloud];
  const code = await run(['audit', c.cloud, '--config', config, exportFlag, exportFile, ...c.args, '--format', 'json'],
    { out: s => { out.push(s); }, err: s => { err.push(s); }, stdin: () => '' });
  return { code, out: out.join(''), err: err.join('') };
}

/** The report as expected.txt writes it. */
function lines(report: any): string[] {
  const ports = (f: any) => (f.fromPort < 0 ? '-' : `${f.fromPort}-${f.toPort}`);
  return [
    ...report.missing.map((f: any) => `missing ${f.rowId} ${f.source} ${f.sourceAddress} > ${f.destination} ${f.destinationAddress} ${f.protocol}/${f.fromPort} | ${f.reason}`),
    ...report.extra.map((f: any) => `extra ${f.rule} | ${f.source} > ${f.destination} ${f.protocol} ${ports(f)} | ${f.reason}`),
    ...report.unresolved.map((u: any) => `unresolved ${u.rule} | ${u.reason}`),
  ];
}

describe('the conformance corpus', () => {
  test('holds at least 12 real exports of both clouds, templates and plans, each with its provenance, the changes made to it and a truth', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(12);
    const clouds = CASES.map(name => load(name).c.cloud);
    expect(new Set(clouds)).toEqual(new Set(['aws', 'azure', 'cloudformation', 'terraform']));
    for (const name of CASES) {
      const { c, expected } = load(name);
      expect({ name, url: /^https:\/\/github\.com\/[^/]+\/[^/]+\/(blob|tree)\/[0-9a-f]{40}\//.test(c.source.url), licence: /^(MIT|Apache-2\.0)$/.test(c.source.licence) })
        .toEqual({ name, url: true, licence: true });
      expect(c.source.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(Array.isArray(c.changes)).toBe(true);
      expect(expected.length).toBeGreaterThan(0);
    }
  });

  test.each(CASES)('%s', async name => {
    const { c, exportFile, expected } = load(name);
    const r = await audit(c, exportFile);
    const error = expected.find(l => l.startsWith('error: '));
    if (error) {
      expect(r).toEqual({ code: 2, out: '', err: `segura-firewall: ${error.slice('error: '.length).replace('{export}', exportFile)}\n` });
      return;
    }
    expect(r.err).toBe('');
    expect(lines(JSON.parse(r.out))).toEqual(expected);
    expect(r.code).toBe(expected.length === 0 ? 0 : 1);
  });
});
