/**
 * What the AWS example allows, evaluated, against the plan of its options: the example
 * tests use it, and so does the peer-floor script (scripts/peer-floor.ts) in a scratch
 * app on the oldest peer versions. The example's options are written here again: the
 * expectation never reads the constructs.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { atoms, expectedAtoms, minus, ruleFacts, RuleFact, synthTemplates, wearersOf } from './aws-evaluator';
import { peersByRole, planOf } from './config-reader';
import { AWS_EXAMPLE_OPTIONS } from './example-options';
import { buildAwsExample } from '../../examples/aws/app';
import { Role } from '../../lib/core';

/** The difference both ways: what is allowed beyond the plan, and what the plan needs that is not allowed. */
export interface Evaluation {
  readonly extra: string[];
  readonly missing: string[];
}


/** The AWS example, synthesized and evaluated; its rule facts too. */
export function evaluateAwsExample(built: ReturnType<typeof buildAwsExample>): Evaluation & { facts: RuleFact[] } {
  const { app, network, domum, arbitrator } = built;
  const facts = ruleFacts(synthTemplates(app));
  // Which groups each role's instances wear: the example attaches every group of a role.
  const groups = new Map<string, readonly ec2.ISecurityGroup[]>([[Role.PRD, network.cluster.primarySecurityGroups],
    [Role.MBR, network.cluster.memberSecurityGroups], [Role.DOMUM, domum.domum.securityGroups], [Role.ARB, arbitrator.arbitrator.securityGroups]]);
  const peers = new Map([...peersByRole<string>(AWS_EXAMPLE_OPTIONS)].map(([role, list]) => [role as string, list.map(c => `cidr:${c}`)]));
  const actual = atoms(facts, wearersOf(groups));
  const expected = expectedAtoms(planOf(AWS_EXAMPLE_OPTIONS, [Role.DOMUM, Role.ARB]), new Set(groups.keys()), peers);
  return { extra: minus(actual, expected), missing: minus(expected, actual), facts };
}
