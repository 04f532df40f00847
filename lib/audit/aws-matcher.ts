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

/** What the matcher needs besides the groups. */
export interface AwsMatchInput {
  readonly placement: readonly AwsRolePlacement[];
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

/** The firewall state of the placed instances under the groups' rules. */
export function matchAws(groups: readonly AwsSecurityGroup[], input: AwsMatchInput): FirewallState {
  const byId = new Map<string, AwsSecurityGroup>();
  for (const g of groups) {
    const first = byId.get(g.groupId);
    if (first) {
      throw new SeguraValidationError(`${g.where}.GroupId`, `"${g.groupId}" is also ${withinInput(first.where)}: a merged export repeats it; keep one copy of each group`);
    }
    byId.set(g.groupId, g);
  }
  const known = [...byId.keys()];
  for (const p of input.placement) {
    p.groups.forEach((g, i) => {
      if (!byId.has(g)) {
        throw new SeguraValidationError(`${p.option}[${i}]`, `"${g}" is not a security group of the export (${known.length} groups).${didYouMean(g, known)}`);
      }
    });
  }
  // Who wears a group: the instances of every role that lists it.
  const wearers = new Map<string, AddressSet>();
  for (const p of input.placement) {
    for (const g of p.groups) wearers.set(g, p.instances.reduce((acc, e) => acc.union(e.set), wearers.get(g) ?? AddressSet.EMPTY));
  }
  const hint = placeHint(input.unplaced, 'wears it');
  type Compiled = Record<'ingress' | 'egress', { rules: PolicyRule[]; maybe: MaybeRule[] }> & { unresolved: UnresolvedRule[] };
  const compiled = new Map<string, Compiled>();
  // Only the groups a role wears decide anything: the others are not compiled.
  const worn = new Set(input.placement.flatMap(p => p.groups));
  for (const g of [...byId.values()].filter(x => worn.has(x.groupId))) {
    const own: Compiled = { ingress: { rules: [], maybe: [] }, egress: { rules: [], maybe: [] }, unresolved: [] };
    compiled.set(g.groupId, own);
    for (const r of g.rules) {
      const toward = r.direction === 'ingress' ? 'from' : 'to';
      const peer = peerText(r);
      const name = `${g.groupId} ${r.direction} ${r.traffic} ${toward} ${peer}`;
      // A rule the audit cannot place: reported, and named where a missing flow might pass by it.
      const unplaceable = (reason: string) => {
        own.unresolved.push({ rule: name, reason, ...(r.location ? { locations: [r.location] } : {}) });
        own[r.direction].maybe.push({ name, allow: true, region: regionOf(r, AddressSet.ALL), why: reason });
      };
      let other: AddressSet | undefined;
      let unknown: string | undefined;
      if (r.unresolved) {
        unplaceable(r.unresolved);
        continue;
      } else if (r.peer.kind === 'cidr') {
        other = r.peer.set;
      } else if (r.peer.kind === 'group') {
        other = wearers.get(r.peer.groupId);
        if (!other) {
          // A group no protected role wears: instances the config does not place.
          other = AddressSet.named(r.peer.groupId);
          if (hint) unknown = `${r.peer.groupId} is worn by no role given${hint}`;
        }
      } else if (r.peer.kind === 'prefixList') {
        other = input.prefixLists?.get(r.peer.prefixListId);
        if (!other) {
          unplaceable(input.prefixLists
            ? `prefix list ${r.peer.prefixListId} is not in the prefix lists given`
            : `prefix list ${r.peer.prefixListId}: its entries are not given (the prefix-list export)`);
          continue;
        }
      } else {
        // A reader marks a rule with an unknown peer unresolved; one that does not is a reader's fault.
        throw new Error(`${r.where}: a peer known only at deploy time on a rule not marked unresolved`);
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
  }
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
