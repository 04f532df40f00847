import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { buildAwsExample, exampleVpc } from '../../examples/aws/app';
import { DomumGateway, SeguraArbitrator, SeguraCluster } from '../../lib/aws';
import { BenchConfig, LARGE } from '../configs';
import { ARBITRATOR_PEERS, arbitratorOutsideOf, CONTEXT, libraryProps, scaleOf } from './common';

/**
 * The cluster, a Domum Gateway and an Arbitrator for `c`; `ruleQuota` as given (AWS's default otherwise). The
 * Arbitrator is a SeguraArbitrator, or, given `arbitratorPeers`, outside the cloud (the cluster's arbitrator peers).
 */
function config(outdir: string, c: BenchConfig, ruleQuota?: number, arbitratorPeers?: string[]): void {
  const app = new App({ outdir, context: CONTEXT });
  const stack = new Stack(app, 'Segura');
  const vpc = exampleVpc(stack);
  const cluster = new SeguraCluster(stack, 'Segura', {
    vpc,
    ...libraryProps(c, ec2.Peer.ipv4),
    ...(ruleQuota ? { ruleQuota } : {}),
    ...(arbitratorPeers ? { arbitrator: arbitratorPeers.map(a => ec2.Peer.ipv4(a)) } : {}),
  });
  new DomumGateway(new Stack(app, 'Domum'), 'Domum', { vpc, cluster, ...(ruleQuota ? { ruleQuota } : {}) });
  if (!arbitratorPeers) new SeguraArbitrator(new Stack(app, 'Arbitrator'), 'Arbitrator', { vpc, cluster, ...(ruleQuota ? { ruleQuota } : {}) });
  app.synth();
}

export function run(name: string, outdir: string): void {
  if (name === 'aws-example') buildAwsExample(new App({ outdir, context: CONTEXT })).app.synth();
  // The large comparison raises the quota as far as AWS allows, as the hand-written copy needs it too.
  else if (name === 'aws-large') config(outdir, LARGE, 1000);
  // The Arbitrator outside the cloud, as two addresses: AWS's default quotas.
  else if (arbitratorOutsideOf(name)) config(outdir, arbitratorOutsideOf(name)!, undefined, ARBITRATOR_PEERS);
  // The growth table: AWS's default quotas, overflow groups as needed.
  else config(outdir, scaleOf(name)!);
}
