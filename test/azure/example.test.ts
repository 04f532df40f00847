import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdktf';
import { buildAzureExample } from '../../examples/azure/app';
import { AZURE_LB, portAt, probeAt } from '../support/azure-evaluator';
import { evaluateAzureExample } from '../support/azure-example';
import { azureVmZones } from '../support/placement';

/** Every string of a JSON value. */
const strings = (v: unknown): string[] => (typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(strings) : []);

// The example app, synthesized as JSON and as HCL, and evaluated.
jest.setTimeout(60_000);


describe('the Azure example', () => {
  test('synthesizes; what its NSGs allow is exactly the plan', () => {
    const { stack } = buildAzureExample(Testing.app());
    const tf = JSON.parse(Testing.synth(stack));
    expect(Object.keys(tf.provider)).toEqual(['azurerm']); // the app's provider, not the library's
    const { extra, missing, evaluation } = evaluateAzureExample({ app: Testing.app(), stack }, tf);
    expect({ extra, missing }).toEqual({ extra: [], missing: [] });
    // The load balancer's health probes (from the AzureLoadBalancer tag's address) reach every instance on exactly 443, 80, 22 and 3389.
    const probes = probeAt(evaluation, AZURE_LB);
    const reached = [...evaluation.actual].filter(c => c.startsWith(`${probes}>`)).sort();
    expect(reached).toEqual(['MBR1', 'MBR2', 'PRD'].flatMap(n => [22, 80, 443, 3389].map(p => `${probes}>${n} tcp/${portAt(evaluation, p)}`)).sort());
    // Each user-facing port is a balancing rule with its probe: GET /flow/orbit/mntr over HTTPS 443 for the web, TCP for the proxies.
    const probeOf = (ref: string) => tf.resource.azurerm_lb_probe[/azurerm_lb_probe\.(\w+)\.id/.exec(ref)![1]];
    expect(Object.values<any>(tf.resource.azurerm_lb_rule).map(r => {
      const p = probeOf(r.probe_id);
      return `${r.frontend_port}>${r.backend_port}: ${p.protocol} ${p.port} ${p.request_path ?? '-'}`;
    }).sort()).toEqual(['22>22: Tcp 22 -', '3389>3389: Tcp 3389 -', '443>443: Https 443 /flow/orbit/mntr', '80>80: Https 443 /flow/orbit/mntr']);
    // Every node is in the balancer's pool.
    expect(Object.keys(tf.resource.azurerm_network_interface_backend_address_pool_association)).toHaveLength(3);
    // The associations are there: NSGs on both subnets, NICs in their ASGs.
    expect(Object.keys(tf.resource.azurerm_subnet_network_security_group_association)).toHaveLength(3);
    expect(Object.keys(tf.resource.azurerm_network_interface_application_security_group_association)).toHaveLength(5);
  });

  test('the VMs are spread over the availability zones: the Primary, each member and the Arbitrator not all in one, the Arbitrator never with the Primary', () => {
    const tf = JSON.parse(Testing.synth(buildAzureExample(Testing.app()).stack));
    expect(azureVmZones(tf)).toEqual({ 'vm-primary': '1', 'vm-member1': '2', 'vm-member2': '3', 'vm-domum': '2', 'vm-arbitrator': '3' });
    // Each VM is on the NIC its role's ASG holds: the zones above are the roles' zones.
    const asgOfNic = new Map(Object.values<any>(tf.resource.azurerm_network_interface_application_security_group_association)
      .map(a => [a.network_interface_id, a.application_security_group_id]));
    const asgName = (ref: string) => tf.resource.azurerm_application_security_group[/azurerm_application_security_group\.(\w+)\.id/.exec(ref)![1]].name;
    const roleOfVm = Object.fromEntries(Object.values<any>(tf.resource.azurerm_linux_virtual_machine)
      .map(vm => [vm.name, asgName(asgOfNic.get(vm.network_interface_ids[0]))]));
    expect(roleOfVm).toEqual({
      'vm-primary': 'segura-prd-asg', 'vm-member1': 'segura-mbr-asg', 'vm-member2': 'segura-mbr-asg', 'vm-domum': 'segura-domum-asg', 'vm-arbitrator': 'segura-arbitrator-asg',
    });
  });

  test('no machine path in the output: the state backend is remote, every path relative', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'segura-paths-'));
    buildAzureExample(new App({ outdir })).app.synth();
    const tf = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'segura-azure', 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(tf.terraform.backend)).toEqual(['azurerm']);
    // The health probes' request paths are URL paths, not the machine's.
    expect(Object.values<any>(tf.resource.azurerm_lb_probe).map(p => p.request_path).filter(Boolean)).toEqual(['/flow/orbit/mntr']);
    for (const p of Object.values<any>(tf.resource.azurerm_lb_probe)) delete p.request_path;
    expect(strings(tf).filter(v => path.isAbsolute(v) || v.includes(outdir) || v.includes(process.cwd()) || v.includes(os.homedir()))).toEqual([]);
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
