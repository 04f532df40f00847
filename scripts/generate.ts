// `npx projen generate`: writes every file derived from the data (scripts/generate/index.ts:
// docs/matrix.md, the config schema, the constructs' peer props, the Azure priority slots,
// the README's options table); the task then compiles, which writes API.md and its
// fingerprint (this script with --api-fingerprint). test/generated.test.ts fails when any
// of them is stale.
import * as fs from 'fs';
import * as path from 'path';
import { withFingerprint } from './generate/api-fingerprint';
import { GENERATED_FILES } from './generate/index';

const ROOT = path.join(__dirname, '..');
if (process.argv.includes('--api-fingerprint')) {
  const file = path.join(ROOT, 'API.md');
  fs.writeFileSync(file, withFingerprint(fs.readFileSync(file, 'utf8'), ROOT));
} else {
  for (const { file, source } of GENERATED_FILES) {
    const at = path.join(ROOT, file);
    const current = fs.existsSync(at) ? fs.readFileSync(at, 'utf8') : '';
    const next = source(current);
    if (next !== current) {
      fs.writeFileSync(at, next);
      console.log(`generated ${file}`);
    }
  }
}
