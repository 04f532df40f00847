/**
 * npm run figures: the figures the README quotes, measured here.
 *
 * - how long `npm test` takes (wall clock, whole run);
 * - node_modules of an AWS-only and an Azure-only app: the packed package installed
 *   with its cloud's peers only, as the README's Install section says (the newest
 *   releases, from the registry: what a user installs today), size and packages.
 *
 *   npm run figures               # print the table
 *   npm run figures -- --readme   # and write it into README.md, between the figures markers
 *   npm run figures -- --no-test  # without timing npm test
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CLOUD_PEERS, createScratchApp, installArgs, packArgs, ROOT } from './scratch-app';

const ENV = { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CHECKPOINT_DISABLE: '1' };

/** Bytes and package count of a node_modules tree. */
function measure(dir: string): { mb: number; packages: number } {
  let bytes = 0; let packages = 0;
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (fs.existsSync(path.join(p, 'package.json')) && path.basename(path.dirname(p)).replace(/^@.*/, 'node_modules') === 'node_modules') packages++;
        walk(p);
      } else if (e.isFile()) {
        bytes += fs.statSync(p).size;
      }
    }
  };
  walk(dir);
  return { mb: bytes / 2 ** 20, packages };
}

function main(): void {
  const argv = process.argv.slice(2);
  const rows: string[] = [];
  const machine = `${os.cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
  if (!argv.includes('--no-test')) {
    process.stderr.write('figures: npm test...\n');
    const started = Date.now();
    execFileSync('npm', ['test'], { cwd: ROOT, env: ENV, stdio: 'ignore' });
    rows.push(`| \`npm test\` (compile, type check, every test, lint) | ${Math.round((Date.now() - started) / 1000)} s |`);
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'segura-figures-'));
  const tarball = path.join(work, execFileSync('npm', packArgs(work), { cwd: ROOT, env: ENV, encoding: 'utf8', stdio: 'pipe' }).trim().split('\n').pop()!);
  for (const [cloud, name] of [['aws', 'AWS-only'], ['azure', 'Azure-only']] as const) {
    process.stderr.write(`figures: an ${name} app...\n`);
    const dir = path.join(work, cloud);
    const peers = CLOUD_PEERS[cloud];
    createScratchApp(dir, 'figures', { skipLibCheck: true });
    execFileSync('npm', installArgs(tarball, [...peers]), { cwd: dir, env: ENV, stdio: 'ignore' });
    const { mb, packages } = measure(path.join(dir, 'node_modules'));
    const versions = peers.filter(p => p !== 'constructs').map(p => `${p} ${JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', p, 'package.json'), 'utf8')).version}`);
    rows.push(`| node_modules of an ${name} app (\`npm install segura-constructs ${peers.join(' ')}\`: ${versions.join(', ')}) | ${Math.round(mb)} MB, ${packages} packages |`);
  }
  fs.rmSync(work, { recursive: true, force: true });
  const table = [`Measured by \`npm run figures\` (${machine}):`, '', '| Figure | Value |', '| --- | --- |', ...rows].join('\n');
  process.stdout.write(`${table}\n`);
  if (argv.includes('--readme')) {
    const file = path.join(ROOT, 'README.md');
    const readme = fs.readFileSync(file, 'utf8');
    const updated = readme.replace(/<!-- figures -->[\s\S]*?<!-- \/figures -->/, `<!-- figures -->\n${table}\n<!-- /figures -->`);
    if (updated === readme && !readme.includes(table)) throw new Error('README.md has no <!-- figures --> ... <!-- /figures --> block');
    fs.writeFileSync(file, updated);
  }
}

main();
