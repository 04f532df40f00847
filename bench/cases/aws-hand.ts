import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { exampleVpc, nodeTemplate } from '../../examples/aws/app';
import { AWS_EXAMPLE, BenchConfig, LARGE } from '../configs';
import { CONTEXT, devicePorts, scaleOf } from './common';
import { handWrittenCluster, handWrittenDomum } from '../handwritten/aws';

/** The hand-written copy of examples/aws: the same stacks and templates, groups written by hand. */
function example(outdir: string): void {
  const app = new App({ outdir, context: CONTEXT });
  const network = new Stack(app, 'SeguraNetwork');
  const vpc = exampleVpc(network);
  const groups = handWrittenCluster(network, vpc, AWS_EXAMPLE);
  nodeTemplate(network, 'PrimaryLaunchTemplate', groups.primary);
  nodeTemplate(network, 'MemberLaunchTemplate', groups.member);
  const domumStack = new Stack(app, 'SeguraDomum');
  nodeTemplate(domumStack, 'DomumLaunchTemplate', handWrittenDomum(domumStack, vpc, groups));
  app.synth();
}

function config(outdir: string, c: BenchConfig, prefixList: boolean): void {
  const app = new App({ outdir, context: CONTEXT });
  const stack = new Stack(app, 'Segura');
  const vpc = exampleVpc(stack);
  const groups = handWrittenCluster(stack, vpc, prefixList ? { ...c, devices: [] } : c);
  if (prefixList) {
    // By hand, with the same prefix list: one rule per device port.
    const list = new ec2.PrefixList(stack, 'Devices', { maxEntries: c.devices.length, entries: c.devices.map(cidr => ({ cidr })) });
    for (const sg of [groups.primary, groups.member]) for (const p of devicePorts(c)) sg.addEgressRule(list, ec2.Port.tcp(p), 'devices');
  }
  handWrittenDomum(new Stack(app, 'Domum'), vpc, groups);
  app.synth();
}

export function run(name: string, outdir: string): void {
  if (name === 'aws-example') example(outdir);
  else if (name === 'aws-large') config(outdir, LARGE, false);
  else config(outdir, scaleOf(name)!, scaleOf(name)!.devices.length > 4);
}
