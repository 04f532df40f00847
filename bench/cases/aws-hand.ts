import { App, Stack } from 'aws-cdk-lib';
import { exampleVpc, nodeTemplate } from '../../examples/aws/app';
import { AWS_EXAMPLE, BenchConfig, LARGE } from '../configs';
import { CONTEXT } from './common';
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

function config(outdir: string, c: BenchConfig): void {
  const app = new App({ outdir, context: CONTEXT });
  const stack = new Stack(app, 'Segura');
  const vpc = exampleVpc(stack);
  const groups = handWrittenCluster(stack, vpc, c);
  handWrittenDomum(new Stack(app, 'Domum'), vpc, groups);
  app.synth();
}

export function run(name: string, outdir: string): void {
  if (name === 'aws-example') example(outdir);
  else if (name === 'aws-large') config(outdir, LARGE);
  else throw new Error(`${name}: the growth table measures the library only`);
}
