import { App, Stack } from 'aws-cdk-lib';
import { balancerGroups, exampleBalancers, exampleVpc, node, zone } from '../../examples/aws/app';
import { AWS_EXAMPLE, BenchConfig, LARGE } from '../configs';
import { CONTEXT } from './common';
import { handWrittenArbitrator, handWrittenCluster, handWrittenDomum } from '../handwritten/aws';

/** The hand-written copy of examples/aws: the same stacks and templates, groups written by hand. */
function example(outdir: string): void {
  const app = new App({ outdir, context: CONTEXT });
  const network = new Stack(app, 'SeguraNetwork');
  const vpc = exampleVpc(network);
  const balancers = balancerGroups(network, vpc);
  const groups = handWrittenCluster(network, vpc, AWS_EXAMPLE, [balancers.application, balancers.network]);
  const nodes = [
    node(network, 'Primary', vpc, groups.primary, zone(vpc, 0)),
    node(network, 'Member1', vpc, groups.member, zone(vpc, 1)),
    node(network, 'Member2', vpc, groups.member, zone(vpc, 2)),
  ];
  exampleBalancers(network, vpc, balancers, [groups.primary, groups.member], nodes);
  const domumStack = new Stack(app, 'SeguraDomum');
  node(domumStack, 'DomumGateway', vpc, handWrittenDomum(domumStack, vpc, groups), zone(vpc, 1));
  const arbitratorStack = new Stack(app, 'SeguraArbitrator');
  node(arbitratorStack, 'ArbitratorHost', vpc, handWrittenArbitrator(arbitratorStack, vpc, groups), zone(vpc, -1));
  app.synth();
}

function config(outdir: string, c: BenchConfig): void {
  const app = new App({ outdir, context: CONTEXT });
  const stack = new Stack(app, 'Segura');
  const vpc = exampleVpc(stack);
  const groups = handWrittenCluster(stack, vpc, c);
  handWrittenDomum(new Stack(app, 'Domum'), vpc, groups);
  handWrittenArbitrator(new Stack(app, 'Arbitrator'), vpc, groups);
  app.synth();
}

export function run(name: string, outdir: string): void {
  if (name === 'aws-example') example(outdir);
  else if (name === 'aws-large') config(outdir, LARGE);
  else throw new Error(`${name}: the growth table measures the library only`);
}
