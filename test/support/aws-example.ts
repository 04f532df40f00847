/**
 * What the AWS example allows, evaluated, against what its plan needs: the example
 * tests use it, and so does the peer-floor script (scripts/peer-floor.ts) in a
 * scratch app on the oldest peer versions. The peers are the example's own inputs,
 * written here again: the expectation never reads the constructs.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { atoms, expectedAtoms, minus, ruleFacts, RuleFact, synthTemplates, wearersOf } from './aws-evaluator';
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
  const groups = new Map<string, readonly ec2.ISecurityGroup[]>([[Role.PRD, network.cluster.primarySecurityGroups],
    [Role.MBR, network.cluster.memberSecurityGroups], [Role.DOMUM, domum.domum.securityGroups], [Role.ARB, arbitrator.arbitrator.securityGroups]]);
  const peers = new Map<string, string[]>([
    [Role.USERW, ['cidr:10.10.0.0/16']], [Role.DVC, ['cidr:10.20.0.0/16', 'cidr:192.168.50.0/24']],
    [Role.NTP_SERVER, ['cidr:10.30.0.10/32']], [Role.DNS_SERVER, ['cidr:10.0.0.2/32']], [Role.MAIL_SERVER, ['cidr:10.30.0.25/32']],
    [Role.LDAP_SERVER, ['cidr:10.30.0.30/32', 'cidr:10.30.0.31/32']], [Role.RADIUS_SERVER, ['cidr:10.30.0.40/32']],
    [Role.TACACS_SERVER, ['cidr:10.30.0.41/32']], [Role.LOG_SERVER, ['cidr:10.30.0.50/32']], [Role.BACKUP_SERVER, ['cidr:10.30.0.60/32']],
    [Role.PACKAGE_MIRROR, ['cidr:203.0.113.10/32', 'cidr:203.0.113.11/32']],
  ]);
  const actual = atoms(facts, wearersOf(groups));
  const expected = expectedAtoms(network.cluster.flows, new Set(groups.keys()), peers);
  return { extra: minus(actual, expected), missing: minus(expected, actual), facts };
}
