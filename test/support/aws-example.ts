/**
 * What the AWS example allows, evaluated, against the plan of its options: the example
 * tests use it, and so does the peer-floor script (scripts/peer-floor.ts) in a scratch
 * app on the oldest peer versions. The example's options are written here again: the
 * expectation never reads the constructs.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { atoms, expectedAtoms, minus, ruleFacts, RuleFact, synthTemplates, wearersOf } from './aws-evaluator';
import { peersByRole, planOf } from './config-reader';
import { buildAwsExample } from '../../examples/aws/app';
import { Role } from '../../lib/core';

/** The difference both ways: what is allowed beyond the plan, and what the plan needs that is not allowed. */
export interface Evaluation {
  readonly extra: string[];
  readonly missing: string[];
}

/** examples/aws/app.ts's options, as written there. */
const OPTIONS = {
  users: ['10.10.0.0/16'],
  devices: ['10.20.0.0/16', '192.168.50.0/24'],
  management: {
    ntp: ['10.30.0.10/32'],
    dns: ['10.0.0.2/32'],
    mail: ['10.30.0.25/32'],
    ldap: ['10.30.0.30/32', '10.30.0.31/32'],
    radius: ['10.30.0.40/32'],
    tacacs: ['10.30.0.41/32'],
    syslog: ['10.30.0.50/32'],
    backup: ['10.30.0.60/32'],
  },
  packageMirrors: ['203.0.113.10/32', '203.0.113.11/32'],
  portOverrides: { 'MGT-SMTP': 587 },
  disabledRules: ['DVC-TELNET'],
};

/** The AWS example, synthesized and evaluated; its rule facts too. */
export function evaluateAwsExample(built: ReturnType<typeof buildAwsExample>): Evaluation & { facts: RuleFact[] } {
  const { app, network, domum, arbitrator } = built;
  const facts = ruleFacts(synthTemplates(app));
  // Which groups each role's instances wear: the example attaches every group of a role.
  const groups = new Map<string, readonly ec2.ISecurityGroup[]>([[Role.PRD, network.cluster.primarySecurityGroups],
    [Role.MBR, network.cluster.memberSecurityGroups], [Role.DOMUM, domum.domum.securityGroups], [Role.ARB, arbitrator.arbitrator.securityGroups]]);
  const peers = new Map([...peersByRole<string>(OPTIONS)].map(([role, list]) => [role as string, list.map(c => `cidr:${c}`)]));
  const actual = atoms(facts, wearersOf(groups));
  const expected = expectedAtoms(planOf(OPTIONS, [Role.DOMUM, Role.ARB]), new Set(groups.keys()), peers);
  return { extra: minus(actual, expected), missing: minus(expected, actual), facts };
}
