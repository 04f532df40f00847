import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdktf';
import { buildAzureExample } from '../../examples/azure/app';
import { evaluateAzureExample } from '../support/azure-example';

// The example app, synthesized as JSON and as HCL, and evaluated.
jest.setTimeout(60_000);


describe('the Azure example', () => {
  test('synthesizes; what its NSGs allow is exactly the plan', () => {
    const { stack } = buildAzureExample(Testing.app());
    const tf = JSON.parse(Testing.synth(stack));
    expect(Object.keys(tf.provider)).toEqual(['azurerm']); // the app's provider, not the library's
    expect(evaluateAzureExample({ app: Testing.app(), stack }, tf)).toEqual({ extra: [], missing: [] });
    // The associations are there: NSGs on both subnets, NICs in their ASGs.
    expect(Object.keys(tf.resource.azurerm_subnet_network_security_group_association)).toHaveLength(3);
    expect(Object.keys(tf.resource.azurerm_network_interface_application_security_group_association)).toHaveLength(5);
  });

  test('two synths are byte-identical', () => {
    const once = () => {
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'segura-det-'));
      buildAzureExample(new App({ outdir })).app.synth();
      return fs.readFileSync(path.join(outdir, 'stacks', 'segura-azure', 'cdk.tf.json'));
    };
    const [a, b] = [once(), once()];
    expect(a.length).toBeGreaterThan(1000);
    expect(Buffer.compare(a, b)).toBe(0);
  });

  test('as HCL (what `cdktf synth --hcl` asks for): plain Terraform with the same resources as the JSON', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'segura-hcl-'));
    // The CLI's --hcl sets SYNTH_HCL_OUTPUT for the app; stacks read it when they are created.
    process.env.SYNTH_HCL_OUTPUT = 'true';
    try {
      buildAzureExample(new App({ outdir })).app.synth();
    } finally {
      delete process.env.SYNTH_HCL_OUTPUT;
    }
    const hcl = fs.readFileSync(path.join(outdir, 'stacks', 'segura-azure', 'cdk.tf'), 'utf8');
    const tf = JSON.parse(Testing.synth(buildAzureExample(Testing.app()).stack));
    for (const type of ['azurerm_network_security_rule', 'azurerm_network_security_group', 'azurerm_application_security_group']) {
      const inHcl = [...hcl.matchAll(new RegExp(`^resource "${type}" "([^"]+)"`, 'gm'))].map(m => m[1]).sort();
      expect({ type, names: inHcl }).toEqual({ type, names: Object.keys(tf.resource[type]).sort() });
    }
  });
});
