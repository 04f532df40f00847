/* eslint-disable no-bitwise */ // addresses from counters
/**
 * `npm run test:external`: the built command streams what it prints. In a 16 MB heap, a
 * plan of 240 device networks and 60 members prints more than the heap holds, in every
 * format. (8 MB, about the command's live set, failed on a loaded machine: V8 gives up
 * when mark-compacts free little and take most of the time, whatever the output.) Six processes that spend most of their time collecting garbage: seconds of CPU
 * that `npm test`'s budget keeps for the rest (test/cli-process.test.ts has the other
 * process-level checks).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'dist', 'cli', 'main.js');
const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'segura-cli-heap-'));
afterAll(() => fs.rmSync(DIR, { recursive: true, force: true }));
const config = (name: string, o: object) => { const f = path.join(DIR, name); fs.writeFileSync(f, JSON.stringify(o)); return f; };
jest.setTimeout(120_000);

beforeAll(() => {
  if (!fs.existsSync(BIN)) throw new Error('dist/cli/main.js is missing: run `npm test` (it compiles first) or `npm run compile`');
});

describe('segura-firewall, the built command, in a small heap', () => {
  test('every format streams: 240 device /32s x 60 members in a 16 MB heap, more output than the heap', () => {
    const members = Array.from({ length: 60 }, (_, i) => `10.200.0.${i + 1}/32`);
    const big = config('big.json', { primary: ['10.201.0.1/32'], members, devices: Array.from({ length: 240 }, (_, i) => `10.${i >> 8}.${i & 255}.1/32`) });
    for (const [command, format] of [['matrix', 'json'], ['matrix', 'csv'], ['matrix', 'markdown'], ['matrix', 'table'], ['diagram', 'mermaid'], ['diagram', 'dot']]) {
      const r = spawnSync(process.execPath, ['--max-old-space-size=16', BIN, command, '--format', format, '--config', big], { maxBuffer: 1 << 30 });
      expect({ format, code: r.status, stderr: String(r.stderr) }).toEqual({ format, code: 0, stderr: '' });
      if (command === 'matrix') expect(r.stdout.length).toBeGreaterThan(16 << 20);
    }
  });
});
