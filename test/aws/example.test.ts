import '../support/fast-synth';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { buildAwsExample } from '../../examples/aws/app';
import { evaluateAwsExample } from '../support/aws-example';

describe('the AWS example', () => {
  test('synthesizes offline; what it allows is exactly the plan', () => {
    const { extra, missing, facts } = evaluateAwsExample(buildAwsExample(new App()));
    expect({ extra, missing }).toEqual({ extra: [], missing: [] });
    // The example's choices are visible in the result.
    expect(facts.some(f => f.fromPort === 587 && f.description!.startsWith('MGT-SMTP'))).toBe(true);
    expect(facts.some(f => f.fromPort <= 23 && f.toPort >= 23)).toBe(false);
  });

  test('two synths are byte-identical', () => {
    const once = () => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'segura-det-'));
      buildAwsExample(new App({ outdir })).app.synth();
      return fs.readdirSync(outdir).filter(f => f.endsWith('.template.json')).sort()
        .map(f => [f, fs.readFileSync(path.join(outdir, f))] as const);
    };
    const [a, b] = [once(), once()];
    expect(a.map(([f]) => f)).toEqual(['SeguraArbitrator.template.json', 'SeguraDomum.template.json', 'SeguraNetwork.template.json']);
    a.forEach(([f, bytes], i) => { expect(b[i][0]).toBe(f); expect(Buffer.compare(bytes, b[i][1])).toBe(0); });
  });
});
