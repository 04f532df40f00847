/**
 * Evaluates synthesized CloudFormation: every security-group rule of every stack,
 * inline or separate, with cross-stack references resolved, as a set of
 * "group G allows DIRECTION to/from PEER on PROTOCOL/PORT" facts. Tests compare
 * these facts with the plan; they never read the library's own code.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Flow } from '../../lib/core';

export interface RuleFact {
  /** `stack/logicalId` of the security group holding the rule. */
  readonly group: string;
  readonly direction: 'ingress' | 'egress';
  /** `cidr:...`, `cidr6:...`, `pl:...` or `sg:stack/logicalId`. */
  readonly peer: string;
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly description?: string;
}

type Templates = Record<string, any>;

export function synthTemplates(app: App): Templates {
  const assembly = app.synth();
  const out: Templates = {};
  for (const stack of assembly.stacks) out[stack.stackName] = stack.template;
  return out;
}

/** Resolve a reference to a security group into `stack/logicalId`. */
function resolveGroup(stack: string, ref: any, templates: Templates): string {
  if (typeof ref === 'string') return `id:${ref}`;
  if (ref.Ref) return `${stack}/${ref.Ref}`;
  if (ref['Fn::GetAtt']) return `${stack}/${ref['Fn::GetAtt'][0]}`;
  if (ref['Fn::ImportValue']) {
    const name = ref['Fn::ImportValue'];
    for (const [other, template] of Object.entries(templates)) {
      for (const output of Object.values<any>(template.Outputs ?? {})) {
        if (output.Export?.Name === name) return resolveGroup(other, output.Value, templates);
      }
    }
    throw new Error(`unresolved import ${name}`);
  }
  throw new Error(`unsupported reference ${JSON.stringify(ref)}`);
}

function peerOf(stack: string, rule: any, direction: 'ingress' | 'egress', templates: Templates): string {
  if (rule.CidrIp) return `cidr:${rule.CidrIp}`;
  if (rule.CidrIpv6) return `cidr6:${rule.CidrIpv6}`;
  const pl = direction === 'ingress' ? rule.SourcePrefixListId : rule.DestinationPrefixListId;
  if (pl) return `pl:${typeof pl === 'string' ? pl : JSON.stringify(pl)}`;
  const sg = direction === 'ingress' ? rule.SourceSecurityGroupId : rule.DestinationSecurityGroupId;
  if (sg) return `sg:${resolveGroup(stack, sg, templates)}`;
  throw new Error(`rule without peer: ${JSON.stringify(rule)}`);
}

/** All rules of all groups of all stacks. */
export function ruleFacts(templates: Templates): RuleFact[] {
  const facts: RuleFact[] = [];
  for (const [stack, template] of Object.entries(templates)) {
    for (const [logicalId, resource] of Object.entries<any>(template.Resources ?? {})) {
      const p = resource.Properties ?? {};
      const push = (group: string, direction: 'ingress' | 'egress', rule: any) => facts.push({
        group,
        direction,
        peer: peerOf(stack, rule, direction, templates),
        protocol: String(rule.IpProtocol),
        fromPort: rule.FromPort,
        toPort: rule.ToPort,
        description: rule.Description,
      });
      if (resource.Type === 'AWS::EC2::SecurityGroup') {
        for (const r of p.SecurityGroupIngress ?? []) push(`${stack}/${logicalId}`, 'ingress', r);
        for (const r of p.SecurityGroupEgress ?? []) push(`${stack}/${logicalId}`, 'egress', r);
      } else if (resource.Type === 'AWS::EC2::SecurityGroupIngress') {
        push(resolveGroup(stack, p.GroupId, templates), 'ingress', p);
      } else if (resource.Type === 'AWS::EC2::SecurityGroupEgress') {
        push(resolveGroup(stack, p.GroupId, templates), 'egress', p);
      }
    }
  }
  return facts;
}

/** CDK's placeholder egress rule of a group with no egress (matches no traffic). */
export function isDisallowAllPlaceholder(f: RuleFact): boolean {
  return f.direction === 'egress' && f.peer === 'cidr:255.255.255.255/32' && f.protocol === 'icmp' && f.fromPort === 252 && f.toPort === 86;
}

/** Expand facts into single-port atoms `group|direction|peer|protocol|port`. */
export function atoms(facts: RuleFact[]): Set<string> {
  const out = new Set<string>();
  for (const f of facts) {
    if (isDisallowAllPlaceholder(f)) continue;
    if (f.protocol === '-1' || f.fromPort === undefined) throw new Error(`rule opens every protocol or port: ${JSON.stringify(f)}`);
    for (let port = f.fromPort; port <= f.toPort; port++) out.add([f.group, f.direction, f.peer, f.protocol, port].join('|'));
  }
  return out;
}

/** `stack/logicalId` of a security group construct. */
export function groupId(group: ec2.ISecurityGroup): string {
  const stack = Stack.of(group);
  return `${stack.stackName}/${stack.getLogicalId((group as ec2.SecurityGroup).node.defaultChild as any)}`;
}

/** How a test names peers: a role's peers as evaluator peer strings. */
export type PeerMap = Map<string, string[]>;

/** The atoms the plan asks for, given the groups that hold roles and the peers of other roles. */
export function expectedAtoms(flows: Flow[], groups: Map<string, string>, peers: PeerMap): Set<string> {
  const out = new Set<string>();
  const peersOf = (role: string): string[] => groups.has(role) ? [`sg:${groups.get(role)}`] : (peers.get(role) ?? []);
  for (const f of flows) {
    if (groups.has(f.source)) for (const p of peersOf(f.destination)) out.add([groups.get(f.source), 'egress', p, f.protocol, f.port].join('|'));
    if (groups.has(f.destination)) for (const p of peersOf(f.source)) out.add([groups.get(f.destination), 'ingress', p, f.protocol, f.port].join('|'));
  }
  return out;
}

/** Elements of a not in b. */
export function minus(a: Set<string>, b: Set<string>): string[] {
  return [...a].filter(x => !b.has(x)).sort();
}

/**
 * Connections the templates allow between groups we own: src may open dst on
 * protocol/port only when src's egress and dst's ingress both allow it.
 */
export function allowedBetween(facts: RuleFact[], src: string, dst: string): Set<string> {
  const a = atoms(facts);
  const out = new Set<string>();
  for (const atom of a) {
    const [group, direction, peer, protocol, port] = atom.split('|');
    if (group === src && direction === 'egress' && peer === `sg:${dst}` && a.has([dst, 'ingress', `sg:${src}`, protocol, port].join('|'))) {
      out.add(`${protocol}/${port}`);
    }
  }
  return out;
}
