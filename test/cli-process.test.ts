/* eslint-disable no-bitwise */ // addresses from counters
/**
 * The built command (dist/cli/main.js) as a process, where only a process shows it:
 * exit codes, standard input, a reader that goes away (a small heap: the streaming test
 * in test/external/cli-heap.test.ts). Everything else about the command line runs in
 * process (test/cli.test.ts, test/audit/cli.test.ts).
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const BIN = path.join(ROOT, 'dist', 'cli', 'main.js');
const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'segura-cli-'));
afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));
const config = (name: string, o: object) => { const f = path.join(DIR, name); fs.writeFileSync(f, JSON.stringify(o)); return f; };

beforeAll(() => {
  if (!fs.existsSync(BIN)) throw new Error('dist/cli/main.js is missing: run `npm test` (it compiles first) or `npm run compile`');
});

describe('segura-firewall, the built command', () => {
  test('--version prints the package\'s version, exit 0; no arguments, usage on stderr and exit 2', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const version = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' });
    expect({ code: version.status, stdout: version.stdout, stderr: version.stderr }).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    const none = spawnSync(process.execPath, [BIN], { encoding: 'utf8' });
    expect({ code: none.status, stdout: none.stdout }).toEqual({ code: 2, stdout: '' });
    expect(none.stderr).toContain('Usage: segura-firewall');
  });

  test('--config - reads standard input, byte-order mark and all; bad JSON there is exit 2 with one line', () => {
    const text = `\uFEFF${JSON.stringify({ users: ['10.10.0.0/16'] })}`;
    const r = spawnSync(process.execPath, [BIN, 'matrix', '--format', 'csv', '--config', '-'], { encoding: 'utf8', input: text });
    expect({ code: r.status, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(5);
    const bad = spawnSync(process.execPath, [BIN, 'matrix', '--config', '-'], { encoding: 'utf8', input: '{' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^segura-firewall: config file \(standard input\) is not valid JSON: .+\n$/);
  });

  test('a reader that goes away (| head -1) ends the run quietly, exit 0', async () => {
    const big = config('big.json', { primary: ['10.201.0.1/32'], members: ['10.200.0.1/32', '10.200.0.2/32'], devices: Array.from({ length: 2000 }, (_, i) => `10.${i >> 8}.${i & 255}.1/32`) });
    const child = spawn(process.execPath, [BIN, 'matrix', '--format', 'json', '--config', big], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', d => { stderr += d; });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise(resolve => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });


});
