/**
 * AWS security groups' semantics, on the normalized model (model.ts), as the VPC User
 * Guide documents them (https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html):
 * rules only allow ("You can specify allow rules, but not deny rules"); the rules of
 * every group a resource wears are aggregated into one set, so traffic passes when any
 * rule of any of its groups allows it. Per the EC2 API's IpPermission
 * (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html),
 * `-1` allows every protocol on every port, whatever the port range says.
 */
import { AddressSet } from './address-set';
import { Endpoint } from './compare';
import { AwsRule, AwsSecurityGroup, withinInput } from './model';
import { ALL_PORTS, Region } from './region';
import { FirewallState, MaybeRule, placeHint, Policy, PolicyRule, ProtectedInstance, UnplacedRole, UnresolvedRule } from './state';
import { AuditLocation } from './types';
import { didYouMean, SeguraValidationError } from '../core/errors';

/** A protected role on AWS: the groups its instances wear. */
export interface AwsRolePlacement {
  /** The role name. */
  readonly role: string;
  /** How messages name the option that gives the groups (`--member`, `groups.members`). */
  readonly option: string;
  /** The security group IDs its instances wear. */
  readonly groups: readonly string[];
  /** Its instances. */
  readonly instances: readonly Endpoint[];
}

/** A peer role's groups (a load balancer's): what a rule naming one of them stands for. */
export interface AwsPeerGroups {
  /** How messages name the option that gives the groups (`--load-balancer`, `groups.loadBalancers`). */
  readonly option: string;
  /** The security group IDs the role's hosts wear. */
  readonly groups: readonly string[];
  /** The role's addresses in the config. */
  readonly addresses: AddressSet;
}

/** What the matcher needs besides the groups. */
export interface AwsMatchInput {
  readonly placement: readonly AwsRolePlacement[];
  /** Peer roles placed by their groups: rules naming them are theirs; their own rules are not judged. */
  readonly peerGroups?: readonly AwsPeerGroups[];
  /** The entries of the prefix lists, by ID (undefined: not given). */
  readonly prefixLists?: ReadonlyMap<string, AddressSet>;
  /** Roles of the config that are not placed, for the hint on groups no role wears. */
  readonly unplaced: readonly UnplacedRole[];
}

/** The other end as the rule writes it: `0.0.0.0/0`, `sg-0abc`, `pl-0abc`, `Ref SourceGroupId`. */
const peerText = (r: AwsRule) => (r.peer.kind === 'cidr' ? r.peer.cidr : r.peer.kind === 'group' ? r.peer.groupId
  : r.peer.kind === 'prefixList' ? r.peer.prefixListId : r.peer.text);

/** The traffic region of a rule toward `other`. */
function regionOf(rule: AwsRule, other: AddressSet): Region {
  if (rule.protocols === 'all') return Region.of('all', [ALL_PORTS], other);
  return Region.of(rule.protocols, rule.ports ? [rule.ports] : [], other);
}

/** A group's rules, compiled: per direction the rules and the rules the audit cannot place, and its unresolved rules. */
type Compiled = Record<'ingress' | 'egress', { rules: PolicyRule[]; maybe: MaybeRule[] }> & { unresolved: UnresolvedRule[] };

/** What a group's rules are compiled against: who wears each group, the prefix lists, the hint on unplaced roles. */
interface CompileContext {
  readonly wearers: ReadonlyMap<string, AddressSet>;
  readonly prefixLists?: ReadonlyMap<string, AddressSet>;
  readonly hint: string;
}

/** The other end of a rule, or why the audit cannot place it (undefined `other`). */
function otherEnd(r: AwsRule, c: CompileContext): { other?: AddressSet; unknown?: string; unplaceable?: string } {
  if (r.unresolved) return { unplaceable: r.unresolved };
  switch (r.peer.kind) {
    case 'cidr': return { other: r.peer.set };
    case 'group': {
      const other = c.wearers.get(r.peer.groupId);
      // A group no protected role wears: instances the config does not place.
      if (!other) return { other: AddressSet.named(r.peer.groupId), unknown: c.hint ? `${r.peer.groupId} is worn by no role given${c.hint}` : undefined };
      return { other };
    }
    case 'prefixList': {
      const other = c.prefixLists?.get(r.peer.prefixListId);
      if (other) return { other };
      return {
        unplaceable: c.prefixLists ? `prefix list ${r.peer.prefixListId} is not in the prefix lists given`
          : `prefix list ${r.peer.prefixListId}: its entries are not given (the prefix-list export)`,
      };
    }
    default:
      // A reader marks a rule with an unknown peer unresolved; one that does not is a reader's fault.
      throw new Error(`${r.where}: a peer known only at deploy time on a rule not marked unresolved`);
  }
}

/** One group's rules, compiled. */
function compileGroup(g: AwsSecurityGroup, c: CompileContext): Compiled {
  const own: Compiled = { ingress: { rules: [], maybe: [] }, egress: { rules: [], maybe: [] }, unresolved: [] };
  for (const r of g.rules) {
    const peer = peerText(r);
    const name = `${g.groupId} ${r.direction} ${r.traffic} ${r.direction === 'ingress' ? 'from' : 'to'} ${peer}`;
    const { other, unknown, unplaceable } = otherEnd(r, c);
    if (!other) {
      // A rule the audit cannot place: reported, and named where a missing flow might pass by it.
      own.unresolved.push({ rule: name, reason: unplaceable!, ...(r.location ? { locations: [r.location] } : {}) });
      own[r.direction].maybe.push({ name, allow: true, region: regionOf(r, AddressSet.ALL), why: unplaceable! });
      continue;
    }
    own[r.direction].rules.push({
      name,
      peer,
      other,
      allow: true,
      allProtocols: r.protocols === 'all',
      allTraffic: r.protocols === 'all',
      region: regionOf(r, other),
      isDefault: false,
      unknown,
      location: r.location,
    });
  }
  return own;
}

/** The groups by ID, each once, and every placed group among them. */
function groupsById(groups: readonly AwsSecurityGroup[], input: AwsMatchInput): Map<string, AwsSecurityGroup> {
  const byId = new Map<string, AwsSecurityGroup>();
  for (const g of groups) {
    const first = byId.get(g.groupId);
    if (first) {
      throw new SeguraValidationError(`${g.where}.GroupId`, `"${g.groupId}" is also ${withinInput(first.where)}: a merged export repeats it; keep one copy of each group`);
    }
    byId.set(g.groupId, g);
  }
  const known = [...byId.keys()];
  for (const p of [...input.placement, ...(input.peerGroups ?? [])]) {
    p.groups.forEach((g, i) => {
      if (!byId.has(g)) {
        throw new SeguraValidationError(`${p.option}[${i}]`, `"${g}" is not a security group of the export (${known.length} groups).${didYouMean(g, known)}`);
      }
    });
  }
  return byId;
}

/** The firewall state of the placed instances under the groups' rules. */
export function matchAws(groups: readonly AwsSecurityGroup[], input: AwsMatchInput): FirewallState {
  const byId = groupsById(groups, input);
  // Who wears a group: the instances of every role that lists it.
  const wearers = new Map<string, AddressSet>();
  for (const p of input.placement) {
    for (const g of p.groups) wearers.set(g, p.instances.reduce((acc, e) => acc.union(e.set), wearers.get(g) ?? AddressSet.EMPTY));
  }
  for (const p of input.peerGroups ?? []) {
    for (const g of p.groups) wearers.set(g, (wearers.get(g) ?? AddressSet.EMPTY).union(p.addresses));
  }
  const context = { wearers, prefixLists: input.prefixLists, hint: placeHint(input.unplaced, 'wears it') };
  // Only the groups a role wears decide anything: the others are not compiled.
  const worn = new Set(input.placement.flatMap(p => p.groups));
  const compiled = new Map([...worn].map(g => [g, compileGroup(byId.get(g)!, context)]));
  const instances: ProtectedInstance[] = [];
  for (const p of input.placement) {
    const policy = (direction: 'ingress' | 'egress'): Policy => ({
      name: p.groups.join(', '),
      order: 'any',
      rules: p.groups.flatMap(g => compiled.get(g)![direction].rules),
      maybe: p.groups.flatMap(g => compiled.get(g)![direction].maybe),
      locations: p.groups.map(g => byId.get(g)!.location).filter((l): l is AuditLocation => l !== undefined),
    });
    const [ingress, egress] = [policy('ingress'), policy('egress')];
    for (const e of p.instances) {
      instances.push({ role: p.role, address: e.address, ingress: [ingress], egress: [egress] });
    }
  }
  // Unresolved rules matter in the groups the roles wear only.
  return { instances, unresolved: [...worn].flatMap(g => compiled.get(g)!.unresolved) };
}
