/**
 * For the tests that synthesize apps to evaluate their rules (property, failover,
 * stability, HA, the cluster and capacity tests, bad inputs, the audit's round trip):
 * aws-cdk-lib's own template validation (CloudFormation's resource schemas, run at
 * every synth since 2.262) is switched off here. It checks what aws-cdk-lib renders,
 * not what these tests assert, and costs ~2 s to start in each test file and ~130 ms
 * a synth. It stays on in the examples' tests (they assert that it finds nothing, and
 * cfn-lint checks their templates too), in the token tests (deploy-time ports must
 * pass it quietly) and in the README's scratch apps.
 *
 * If aws-cdk-lib moves its plugin, nothing is switched off (the tests only get slower).
 */
import * as fs from 'fs';
import * as path from 'path';

const file = path.join(path.dirname(require.resolve('aws-cdk-lib/package.json')), 'core', 'lib', 'validation', 'cloudformation-validate-plugin.js');
if (fs.existsSync(file)) {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { CloudFormationValidatePlugin } = require(file);
  if (CloudFormationValidatePlugin?.prototype?.validate) {
    CloudFormationValidatePlugin.prototype.validate = () => ({ success: true, violations: [] });
    // Its constructor starts the rule engine (seconds, more under load): one instance without it.
    if (typeof CloudFormationValidatePlugin._singletonInstance === 'function') {
      const quiet = Object.create(CloudFormationValidatePlugin.prototype, { name: { value: CloudFormationValidatePlugin.PLUGIN_NAME } });
      CloudFormationValidatePlugin._singletonInstance = () => quiet;
    }
  }
}
