import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { buildAwsExample, exampleVpc } from '../../examples/aws/app';
import { DomumGateway, SeguraCluster } from '../../lib/aws';
import { BenchConfig, LARGE } from '../configs';
import { CONTEXT, libraryProps, scaleOf } from './common';

/** The cluster and a Domum Gateway for `c`, the devices inline or in a managed prefix list. */
function config(outdir: string, c: BenchConfig, prefixList: boolean): void {
  const app = new App({ outdir, context: CONTEXT });
  const stack = new Stack(app, 'Segura');
  const vpc = exampleVpc(stack);
  const list = prefixList
    ? new ec2.PrefixList(stack, 'Devices', { maxEntries: c.devices.length, entries: c.devices.map(cidr => ({ cidr })) })
    : undefined;
  // Past a handful of device prefixes AWS's default quota of 60 is exceeded: raised to AWS's maximum.
  const cluster = new SeguraCluster(stack, 'Segura', { vpc, ...libraryProps(c, ec2.Peer.ipv4), ...(list ? { devices: [list] } : {}), ruleQuota: 1000 });
  new DomumGateway(new Stack(app, 'Domum'), 'Domum', { vpc, cluster, ruleQuota: 1000 });
  app.synth();
}

export function run(name: string, outdir: string): void {
  if (name === 'aws-example') buildAwsExample(new App({ outdir, context: CONTEXT })).app.synth();
  else if (name === 'aws-large') config(outdir, LARGE, false);
  // The growth table: past 4 device prefixes (AWS's default quota), they go into a prefix list.
  else config(outdir, scaleOf(name)!, scaleOf(name)!.devices.length > 4);
}
