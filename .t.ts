import * as fc from 'fast-check';
import { configArb, anyCidr, synthAws } from './test/support/random';
const cs = fc.sample(configArb(anyCidr), { numRuns: 12, seed: 42 });
synthAws(cs[0]);
const t = Date.now();
for (const c of cs.slice(1)) { const t0 = Date.now(); synthAws(c); process.stdout.write(`${Date.now() - t0} `); }
console.log('\ntotal', Date.now() - t);
