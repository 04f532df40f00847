/**
 * `npm run test:external`: the examples through the real CLIs, as their READMEs say: `npx cdk synth` (cdk.json
 * runs examples/aws/main.ts) and `npx cdktf synth` (cdktf.json runs
 * examples/azure/main.ts), offline, with no account and no provider download.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';

const ROOT = path.join(__dirname, '..', '..');
const exec = promisify(execFile);
const OUT = fs.mkdtempSync(path.join(os.tmpdir(), 'segura-examples-'));
// An empty terraform CLI config: terraform complains about a missing one, on machines without it.
fs.writeFileSync(path.join(OUT, 'terraformrc'), '');
const ENV = { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true', CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: path.join(OUT, 'terraformrc') };
// The CDK and CDKTF CLIs start slowly.
jest.setTimeout(180_000);
afterAll(() => fs.rmSync(OUT, { recursive: true, force: true }));

test('npx cdk synth: the AWS example\'s three stacks, with no warning and no feature flag left unconfigured (cdk.json has today\'s)', async () => {
  const out = path.join(OUT, 'cdk.out');
  const { stdout, stderr } = await exec('npx', ['cdk', 'synth', '--no-notices', '-q', '-o', out], { cwd: ROOT, env: ENV });
  // stderr, or stdout when CI=true (the CDK CLI's CI mode).
  expect(`${stdout}${stderr}`).toContain('Successfully synthesized');
  expect(`${stdout}${stderr}`.split('\n').filter(l => /\[(Warning|Error)|feature flags/i.test(l))).toEqual([]);
  expect(fs.readdirSync(out).filter(f => f.endsWith('.template.json')).sort())
    .toEqual(['SeguraArbitrator.template.json', 'SeguraDomum.template.json', 'SeguraNetwork.template.json']);
  // The load balancers in front of the nodes: an ALB (443, 80) and an NLB (22, 3389), internal.
  const network = JSON.parse(fs.readFileSync(path.join(out, 'SeguraNetwork.template.json'), 'utf8'));
  const of = (type: string) => Object.values<any>(network.Resources).filter(r => r.Type === type).map(r => r.Properties);
  expect(of('AWS::ElasticLoadBalancingV2::LoadBalancer').map(p => `${p.Type} ${p.Scheme}`).sort()).toEqual(['application internal', 'network internal']);
  expect(of('AWS::ElasticLoadBalancingV2::Listener').map(p => `${p.Protocol} ${p.Port}`).sort()).toEqual(['HTTP 80', 'HTTPS 443', 'TCP 22', 'TCP 3389']);
});

test('npx cdktf synth: the Azure example, with its Arbitrator and two members', async () => {
  const out = path.join(OUT, 'cdktf.out');
  const { stdout, stderr } = await exec('npx', ['cdktf', 'synth', '--output', out], { cwd: ROOT, env: ENV });
  expect(`${stdout}${stderr}`).not.toMatch(/\[(WARNING|ERROR)\]/);
  const tf = JSON.parse(fs.readFileSync(path.join(out, 'stacks', 'segura-azure', 'cdk.tf.json'), 'utf8'));
  expect(Object.values<any>(tf.resource.azurerm_network_security_group).map(n => n.name).sort()).toEqual(['segura-arbitrator-nsg', 'segura-domum-nsg', 'segura-nsg']);
  expect(Object.keys(tf.resource.azurerm_network_interface_application_security_group_association)).toHaveLength(5);
  // The Standard Load Balancer in front of the nodes: a rule per user-facing port.
  expect(Object.values<any>(tf.resource.azurerm_lb).map(l => l.sku)).toEqual(['Standard']);
  expect(Object.values<any>(tf.resource.azurerm_lb_rule).map(r => r.frontend_port).sort((a, b) => a - b)).toEqual([22, 80, 443, 3389]);
});

test('npx cdktf synth --hcl, then terraform fmt (as the README says): fmt -check is clean, and no path of this machine', async () => {
  const out = path.join(OUT, 'hcl.out');
  await exec('npx', ['cdktf', 'synth', '--hcl', '--output', out], { cwd: ROOT, env: ENV });
  const dir = path.join(out, 'stacks', 'segura-azure');
  const before = fs.readFileSync(path.join(dir, 'cdk.tf'), 'utf8');
  // What cdktf's own formatter leaves: interpolation-only strings, which terraform fmt rewrites.
  expect(before).toMatch(/= "\$\{azurerm_resource_group\.ResourceGroup\.name\}"$/m);
  await exec('terraform', ['fmt', dir], { env: ENV });
  const check = await exec('terraform', ['fmt', '-check', '-diff', dir], { env: ENV }).then(() => ({ code: 0, diff: '' }), (e: any) => ({ code: e.code, diff: e.stdout }));
  expect(check).toEqual({ code: 0, diff: '' });
  const after = fs.readFileSync(path.join(dir, 'cdk.tf'), 'utf8');
  expect(after).toMatch(/^ {2}resource_group_name += azurerm_resource_group\.ResourceGroup\.name$/m);
  expect(after).toMatch(/^ {2}backend "azurerm" \{$/m);
  expect([ROOT, OUT, os.homedir()].filter(p => after.includes(p))).toEqual([]);
  // Absolute paths: none but the load balancer's health probe's, a URL path.
  expect(after.split('\n').filter(l => /= "\/|= "[A-Za-z]:\\/.test(l))).toEqual(['  request_path        = "/flow/orbit/mntr"']);
});
