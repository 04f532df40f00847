/**
 * The README's benchmark figures are written by the code that measured them: `npm run
 * bench` records bench/results.json and writes the README's block from it
 * (bench/report.ts). Here the block must be exactly what the committed results make.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BenchResults, benchBlock, CASES, readBenchBlock } from '../bench/report';

const ROOT = path.join(__dirname, '..');
const results = JSON.parse(fs.readFileSync(path.join(ROOT, 'bench', 'results.json'), 'utf8')) as BenchResults;

describe('the README\'s benchmark block', () => {
  test('is what the last results file (bench/results.json) makes: rerun `npm run bench` to refresh both', () => {
    expect(readBenchBlock(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'))).toBe(benchBlock(results));
  });

  test('the results file is a whole run: every case, import, growth step, CLI format and audit case', () => {
    expect(Object.keys(results.cases).sort()).toEqual(CASES.map(([key]) => key).sort());
    expect(results.imports.map(i => i.module)).toEqual(['segura-constructs/aws', 'segura-constructs/azure', '@cdktf/provider-azurerm', 'aws-cdk-lib', 'cdktf']);
    expect(results.scale).toHaveLength(2 * 2 * 5);
    expect(results.cli.map(c => `${c.command} ${c.format}`)).toEqual(['matrix json', 'matrix csv', 'matrix table', 'matrix markdown', 'diagram mermaid', 'diagram dot']);
    // The audit at scale: each source it reads (two AWS placements, Azure, a template, a plan).
    expect(results.audit.map(a => a.name.split(',')[0])).toEqual(['aws', 'aws', 'azure', 'cloudformation', 'terraform']);
    // The largest fits, each found by bisection beside its count bound.
    const fits = [results.awsLargestFit].flat();
    expect(fits.length).toBeGreaterThan(0);
    for (const f of fits) expect(typeof f === 'number' ? f : f.fits).toBeGreaterThan(0);
  });
});
