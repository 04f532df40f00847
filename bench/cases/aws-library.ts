import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { buildAwsExample, exampleVpc } from '../../examples/aws/app';
import { DomumGateway, SeguraArbitrator, SeguraCluster } from '../../lib/aws';
import { BenchConfig, LARGE } from '../configs';
import { CONTEXT, libraryProps, scaleOf } from './common';

/** The cluster, a Domum Gateway and an Arbitrator for `c`; `ruleQuota` as given (AWS's default otherwise). */
function config(outdir: string, c: BenchConfig, ruleQuota?: number): void {
  const app = new App({ outdir, context: CONTEXT });
  const stack = new Stack(app, 'Segura');
  const vpc = exampleVpc(stack);
  const cluster = new SeguraCluster(stack, 'Segura', { vpc, ...libraryProps(c, ec2.Peer.ipv4), ...(ruleQuota ? { ruleQuota } : {}) });
  new DomumGateway(new Stack(app, 'Domum'), 'Domum', { vpc, cluster, ...(ruleQuota ? { ruleQuota } : {}) });
  new SeguraArbitrator(new Stack(app, 'Arbitrator'), 'Arbitrator', { vpc, cluster, ...(ruleQuota ? { ruleQuota } : {}) });
  app.synth();
}

export function run(name: string, outdir: string): void {
  if (name === 'aws-example') buildAwsExample(new App({ outdir, context: CONTEXT })).app.synth();
  // The large comparison raises the quota as far as AWS allows, as the hand-written copy needs it too.
  else if (name === 'aws-large') config(outdir, LARGE, 1000);
  // The growth table: AWS's default quotas, overflow groups as needed.
  else config(outdir, scaleOf(name)!);
}
