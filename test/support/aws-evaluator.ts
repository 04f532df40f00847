/* eslint-disable no-bitwise */ // address arithmetic is bit arithmetic
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

/** A CIDR as an inclusive address interval (independent of the library's prefix code). */
export function interval(cidr: string): [bigint, bigint] {
  const [addr, len] = cidr.split('/');
  const v6 = addr.includes(':');
  const bits = v6 ? 128 : 32;
  let n = 0n;
  if (v6) {
    const [head, tail] = addr.includes('::') ? addr.split('::') : [addr, undefined];
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
    for (const g of groups) n = (n << 16n) | BigInt(parseInt(g || '0', 16));
  } else {
    for (const o of addr.split('.')) n = (n << 8n) | BigInt(Number(o));
  }
  const size = 1n << BigInt(bits - Number(len));
  return [n, n + size - 1n];
}

/** Merge intervals into the fewest disjoint, non-adjacent ones. */
export function union(list: Array<[bigint, bigint]>): Array<[bigint, bigint]> {
  const sorted = [...list].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const out: Array<[bigint, bigint]> = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1n) last[1] = b > last[1] ? b : last[1];
    else out.push([a, b]);
  }
  return out;
}

/**
 * Atoms `holder|direction|peer|protocol|port`, with CIDR peers as the address
 * intervals they cover (so that aggregated prefixes compare by the addresses they
 * allow, not by how they are written). `wearers` names each group by the role whose
 * instances wear it (a role may wear several groups); group references become
 * `sg:ROLE` too.
 */
function normalize(raw: Array<[string, string, string, string, number]>, wearers: (group: string) => string): Set<string> {
  const out = new Set<string>();
  const cidrs = new Map<string, Array<[bigint, bigint]>>();
  for (const [group, direction, peer, protocol, port] of raw) {
    const holder = wearers(group);
    const m = /^(cidr6?):(.*)$/.exec(peer);
    if (m && !m[2].includes('[object') && !m[2].includes('${')) {
      const key = [holder, direction, m[1], protocol, port].join('|');
      cidrs.set(key, [...(cidrs.get(key) ?? []), interval(m[2])]);
    } else {
      out.add([holder, direction, peer.startsWith('sg:') ? `sg:${wearers(peer.slice(3))}` : peer, protocol, port].join('|'));
    }
  }
  for (const [key, list] of cidrs) {
    const [holder, direction, kind, protocol, port] = key.split('|');
    for (const [a, b] of union(list)) out.add([holder, direction, `${kind}:${a}-${b}`, protocol, port].join('|'));
  }
  return out;
}

/** Expand facts into single-port atoms (see normalize). */
export function atoms(facts: RuleFact[], wearers: (group: string) => string = g => g): Set<string> {
  const raw: Array<[string, string, string, string, number]> = [];
  for (const f of facts) {
    if (isDisallowAllPlaceholder(f)) continue;
    if (f.protocol === '-1' || f.fromPort === undefined) throw new Error(`rule opens every protocol or port: ${JSON.stringify(f)}`);
    // Deploy-time ports ({ Ref: ... }) are compared by the token tests, not here.
    if (typeof f.fromPort !== 'number') continue;
    for (let port = f.fromPort; port <= f.toPort; port++) raw.push([f.group, f.direction, f.peer, f.protocol, port]);
  }
  return normalize(raw, wearers);
}

/** `stack/logicalId` of a security group construct. */
export function groupId(group: ec2.ISecurityGroup): string {
  const stack = Stack.of(group);
  return `${stack.stackName}/${stack.getLogicalId((group as ec2.SecurityGroup).node.defaultChild as any)}`;
}

/** Each group, by the role whose instances wear it: the test's own map of roles to their groups. */
export function wearersOf(groups: Map<string, readonly ec2.ISecurityGroup[]>): (group: string) => string {
  const byId = new Map<string, string>();
  for (const [role, list] of groups) for (const g of list) byId.set(groupId(g), role);
  return group => byId.get(group) ?? group;
}

/** How a test names peers: a role's peers as evaluator peer strings. */
export type PeerMap = Map<string, string[]>;

/**
 * The atoms the plan asks for: `holders` are the roles with groups (named by role,
 * as `wearersOf` names them); other roles' peers come from `peers`.
 */
export function expectedAtoms(flows: Flow[], holders: ReadonlySet<string>, peers: PeerMap): Set<string> {
  const raw: Array<[string, string, string, string, number]> = [];
  const peersOf = (role: string): string[] => holders.has(role) ? [`sg:${role}`] : (peers.get(role) ?? []);
  for (const f of flows) {
    if (holders.has(f.source)) for (const p of peersOf(f.destination)) raw.push([f.source, 'egress', p, f.protocol, f.port]);
    if (holders.has(f.destination)) for (const p of peersOf(f.source)) raw.push([f.destination, 'ingress', p, f.protocol, f.port]);
  }
  return normalize(raw, g => g);
}

/** Elements of a not in b. */
export function minus(a: Set<string>, b: Set<string>): string[] {
  return [...a].filter(x => !b.has(x)).sort();
}

/**
 * Connections the templates allow between roles we own: src may open dst on
 * protocol/port only when src's egress and dst's ingress both allow it.
 */
export function allowedBetween(facts: RuleFact[], wearers: (group: string) => string, src: string, dst: string): Set<string> {
  const a = atoms(facts, wearers);
  const out = new Set<string>();
  for (const atom of a) {
    const [holder, direction, peer, protocol, port] = atom.split('|');
    if (holder === src && direction === 'egress' && peer === `sg:${dst}` && a.has([dst, 'ingress', `sg:${src}`, protocol, port].join('|'))) {
      out.add(`${protocol}/${port}`);
    }
  }
  return out;
}

/** Rules per group, direction and family, as AWS counts them (a group or prefix-list reference in both families). */
export function rulesPerGroup(facts: RuleFact[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of facts) {
    if (isDisallowAllPlaceholder(f)) continue;
    const families = f.peer.startsWith('cidr6:') ? ['ipv6'] : f.peer.startsWith('cidr:') ? ['ipv4'] : ['ipv4', 'ipv6'];
    for (const family of families) {
      const key = `${f.group}|${f.direction}|${family}`;
      out.set(key, (out.get(key) ?? 0) + 1);
    }
  }
  return out;
}
