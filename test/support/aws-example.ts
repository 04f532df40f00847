/**
 * What the AWS example allows, evaluated, against the plan of its options: the example
 * tests use it, and so does the peer-floor script (scripts/peer-floor.ts) in a scratch
 * app on the oldest peer versions. The example's options are written here again: the
 * expectation never reads the constructs.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { atoms, expectedAtoms, minus, ruleFacts, RuleFact, synthTemplates, wearersOf } from './aws-evaluator';
import { peersByRole, planOf } from './config-reader';
import { AWS_EXAMPLE_BALANCERS, AWS_EXAMPLE_OPTIONS } from './example-options';
import { buildAwsExample } from '../../examples/aws/app';
import { Role } from '../../lib/core';

/** The difference both ways: what is allowed beyond the plan, and what the plan needs that is not allowed. */
export interface Evaluation {
  readonly extra: string[];
  readonly missing: string[];
}


/** How the evaluation names the example's balancers' groups. */
export const WEB_BALANCER = 'WEB_LB';
export const PROXY_BALANCER = 'PROXY_LB';

/**
 * The AWS example, synthesized and evaluated: every rule of every group (the balancers'
 * own too), against the plan of its options with the balancers' groups as its
 * `loadBalancers`, plus the balancers' own rules (AWS_EXAMPLE_BALANCERS). Its rule facts,
 * and who wears which group, too.
 */
export function evaluateAwsExample(built: ReturnType<typeof buildAwsExample>): Evaluation & {
  facts: RuleFact[];
  wearers: (group: string) => string;
} {
  const { app, network, domum, arbitrator } = built;
  const facts = ruleFacts(synthTemplates(app));
  // Which groups each role's instances wear: the example attaches every group of a role; each balancer wears its own.
  const groups = new Map<string, readonly ec2.ISecurityGroup[]>([[Role.PRD, network.cluster.primarySecurityGroups],
    [Role.MBR, network.cluster.memberSecurityGroups], [Role.DOMUM, domum.domum.securityGroups], [Role.ARB, arbitrator.arbitrator.securityGroups],
    [WEB_BALANCER, [network.balancers.groups.application]], [PROXY_BALANCER, [network.balancers.groups.network]]]);
  const options = { ...AWS_EXAMPLE_OPTIONS, loadBalancers: [`sg:${WEB_BALANCER}`, `sg:${PROXY_BALANCER}`] };
  const peers = new Map([...peersByRole<string>(options)].map(([role, list]) => [role as string, list.map(c => (c.startsWith('sg:') ? c : `cidr:${c}`))]));
  const wearers = wearersOf(groups);
  const actual = atoms(facts, wearers);
  const nodes = new Set([Role.PRD, Role.MBR, Role.DOMUM, Role.ARB] as string[]);
  const expected = new Set([...expectedAtoms(planOf(options, [Role.DOMUM, Role.ARB]), nodes, peers), ...balancerAtoms()]);
  return { extra: minus(actual, expected), missing: minus(expected, actual), facts, wearers };
}

/** The example's balancers' own rules, as atoms: the users in on each one's ports, out to the Primary and the members on the same. */
function balancerAtoms(): Set<string> {
  const { users, web, proxy } = AWS_EXAMPLE_BALANCERS;
  const balancers: Array<[string, number[]]> = [[WEB_BALANCER, web], [PROXY_BALANCER, proxy]];
  const facts: RuleFact[] = balancers.flatMap(([group, ports]) => ports.flatMap(port => [
    { group, direction: 'ingress' as const, peer: `cidr:${users}`, protocol: 'tcp', fromPort: port, toPort: port },
    ...[Role.PRD, Role.MBR].map(node => ({ group, direction: 'egress' as const, peer: `sg:${node}`, protocol: 'tcp', fromPort: port, toPort: port })),
  ]));
  return atoms(facts);
}
