#!/usr/bin/env node
// Runs commands at the same time, for npm test on small machines:
//   node scripts/parallel.js --also "CMD" [--also "CMD" ...] -- MAIN [ARGS...]
// MAIN runs with the terminal's output (and any arguments npm test passes on); each
// --also command's output is held and printed after MAIN ends, in order. Exits with
// the first failing command's code, so that npm test fails when any of them fails.
const { spawn } = require('child_process');

const argv = process.argv.slice(2);
const also = [];
while (argv[0] === '--also') { argv.shift(); also.push(argv.shift()); }
if (argv[0] === '--') argv.shift();
if (argv.length === 0) { console.error('parallel.js: no main command'); process.exit(2); }

const run = (command, args, capture) => new Promise(resolve => {
  const child = spawn(command, args, { shell: args.length === 0, stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
  const out = [];
  if (capture) {
    child.stdout.on('data', d => out.push(d));
    child.stderr.on('data', d => out.push(d));
  }
  child.on('close', code => resolve({ command, code: code ?? 1, output: Buffer.concat(out) }));
});

(async () => {
  const others = also.map(c => run(c, [], true));
  const main = await run(argv[0], argv.slice(1), false);
  const results = [main, ...await Promise.all(others)];
  for (const r of results.slice(1)) if (r.output.length) process.stdout.write(r.output);
  const failed = results.find(r => r.code !== 0);
  if (failed) console.error(`parallel.js: "${failed.command}" failed with code ${failed.code}`);
  process.exit(failed ? failed.code : 0);
})();
