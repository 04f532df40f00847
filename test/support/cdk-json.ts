/**
 * The context of the repository's cdk.json (the feature flags `cdk init` writes today,
 * and what `cdk synth` gives the AWS example): tests that build the example build it
 * as the CDK CLI does.
 */
import * as fs from 'fs';
import * as path from 'path';

export const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')).context;
