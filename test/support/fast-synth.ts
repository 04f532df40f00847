/**
 * For the tests that synthesize apps to evaluate their rules (property, failover,
 * stability, HA, the cluster and capacity tests, bad inputs, the audit's round trip,
 * the README's blocks run in process):
 * aws-cdk-lib's own template validation (CloudFormation's resource schemas, run at
 * every synth since 2.262) is switched off here. It checks what aws-cdk-lib renders,
 * not what these tests assert, and costs seconds of CPU to start (its rules engine, in
 * WebAssembly) in each test file, and more at each synth. It stays on in the examples'
 * tests (they assert that it finds nothing, and cfn-lint checks their templates too),
 * in the token tests (deploy-time ports must pass it quietly) and in the README's
 * scratch apps (`npm run test:external`).
 *
 * If aws-cdk-lib moves its plugin, nothing is switched off (the tests only get slower).
 */
import * as fs from 'fs';
import * as path from 'path';

const file = path.join(path.dirname(require.resolve('aws-cdk-lib/package.json')), 'core', 'lib', 'validation', 'cloudformation-validate-plugin.js');
if (fs.existsSync(file)) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { CloudFormationValidatePlugin } = require(file);
  if (CloudFormationValidatePlugin?.prototype?.validate && CloudFormationValidatePlugin._singletonInstance) {
    // The plugin's constructor starts its rules engine (WebAssembly, seconds of CPU), so
    // the instance aws-cdk-lib asks for is made without calling it: one that finds nothing.
    const inert = Object.create(CloudFormationValidatePlugin.prototype, { version: { value: 'off in these tests' } });
    inert.validate = () => ({ success: true, violations: [] });
    CloudFormationValidatePlugin._singletonInstance = () => inert;
  }
}
