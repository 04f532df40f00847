/**
 * AWS security groups as exported by `aws ec2 describe-security-groups --output json`
 * (an object with `SecurityGroups`), read into a firewall state: an instance's traffic
 * is allowed when any rule of any group it wears allows it. Knows AWS's shapes, not
 * the document.
 */
import { AddressSet } from './address-set';
import { Endpoint } from './compare';
import { integerAt, listAt, objectAt, optionalStringAt, prefixAt, rootName, stringAt } from './fields';
import { Proto, Region } from './region';
import { FirewallState, Policy, PolicyRule, ProtectedInstance, UnresolvedRule } from './state';
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

/** How messages name the inputs: `sgs.json: `, `securityGroups: `. */
export interface AwsExportNames {
  readonly securityGroups: string;
  readonly prefixLists: string;
}

interface Protocol {
  readonly protocols: readonly Proto[] | 'all';
  readonly text: string;
}

function protocolAt(path: string, value: unknown): Protocol {
  const text = typeof value === 'number' ? String(value) : stringAt(path, value).toLowerCase();
  switch (text) {
    case '-1': case 'all': return { protocols: 'all', text: 'all traffic' };
    case 'tcp': case '6': return { protocols: ['tcp'], text: 'tcp' };
    case 'udp': case '17': return { protocols: ['udp'], text: 'udp' };
    case 'icmp': case '1': case 'icmpv6': case '58': return { protocols: ['icmp'], text: text === '58' || text === 'icmpv6' ? 'icmpv6' : 'icmp' };
    default:
      if (/^\d{1,3}$/.test(text) || /^[a-z][a-z0-9-]*$/.test(text)) return { protocols: ['other'], text: `protocol ${text}` };
      throw new SeguraValidationError(path, `${JSON.stringify(value)} is not an IP protocol (expected tcp, udp, icmp, icmpv6, -1 or a protocol number)`);
  }
}

/** The prefix lists' entries by ID, from either shape the README describes. */
function readPrefixLists(name: string, value: unknown): Map<string, AddressSet> {
  const root = objectAt(rootName(name), value);
  const out = new Map<string, AddressSet>();
  const entriesOf = (path: string, list: unknown) => listAt(`${path}.Entries`, list).reduce<AddressSet>((acc, e, i) => {
    const cidr = stringAt(`${path}.Entries[${i}].Cidr`, objectAt(`${path}.Entries[${i}]`, e).Cidr);
    return acc.union(prefixAt(`${path}.Entries[${i}].Cidr`, cidr));
  }, AddressSet.EMPTY);
  if ('PrefixLists' in root) {
    listAt(`${name}PrefixLists`, root.PrefixLists).forEach((pl, i) => {
      const path = `${name}PrefixLists[${i}]`;
      const o = objectAt(path, pl);
      const id = stringAt(`${path}.PrefixListId`, o.PrefixListId);
      if (o.Entries === undefined) {
        throw new SeguraValidationError(`${path}.Entries`, `the entries of ${id} are missing: add the output of \`aws ec2 get-managed-prefix-list-entries --prefix-list-id ${id}\` as "Entries"`);
      }
      out.set(id, entriesOf(path, o.Entries));
    });
    return out;
  }
  for (const [id, v] of Object.entries(root)) {
    if (!id.startsWith('pl-')) {
      throw new SeguraValidationError(`${name}${id}`, 'expected prefix-list IDs (pl-...) as keys, each with the output of `aws ec2 get-managed-prefix-list-entries`, '
        + 'or the output of `aws ec2 describe-managed-prefix-lists` with "Entries" added to each list');
    }
    out.set(id, entriesOf(`${name}${id}`, objectAt(`${name}${id}`, v).Entries));
  }
  return out;
}

/** aws-cdk-lib's placeholder in a group that allows no egress: icmp 252/86 to 255.255.255.255/32 (matches nothing real). */
const isCdkPlaceholder = (direction: string, protocol: Protocol, from: unknown, to: unknown, cidr: string) =>
  direction === 'egress' && protocol.text === 'icmp' && from === 252 && to === 86 && cidr === '255.255.255.255/32';

/**
 * Read an export into a firewall state. `placement` says which groups each protected
 * role wears and where its instances are; `prefixLists`, when given, resolves
 * prefix-list references (otherwise they are unresolved).
 */
export function readAwsExport(securityGroups: unknown, prefixLists: unknown, placement: readonly AwsRolePlacement[],
  names: AwsExportNames): FirewallState {
  const name = names.securityGroups;
  const root = objectAt(rootName(name), securityGroups);
  if (!Array.isArray(root.SecurityGroups)) {
    throw new SeguraValidationError(`${name}SecurityGroups`, 'expected the output of `aws ec2 describe-security-groups --output json` (an object with a "SecurityGroups" list)');
  }
  const lists = prefixLists === undefined ? undefined : readPrefixLists(names.prefixLists, prefixLists);
  // Who wears a group: the instances of every role that lists it.
  const wearers = new Map<string, AddressSet>();
  for (const p of placement) {
    for (const g of p.groups) wearers.set(g, p.instances.reduce((acc, e) => acc.union(e.set), wearers.get(g) ?? AddressSet.EMPTY));
  }
  const rules = new Map<string, { ingress: PolicyRule[]; egress: PolicyRule[]; unresolved: UnresolvedRule[] }>();
  root.SecurityGroups.forEach((g, i) => {
    const path = `${name}SecurityGroups[${i}]`;
    const group = objectAt(path, g);
    const id = stringAt(`${path}.GroupId`, group.GroupId);
    optionalStringAt(`${path}.GroupName`, group.GroupName);
    const own = { ingress: [] as PolicyRule[], egress: [] as PolicyRule[], unresolved: [] as UnresolvedRule[] };
    rules.set(id, own);
    for (const [direction, key] of [['ingress', 'IpPermissions'], ['egress', 'IpPermissionsEgress']] as const) {
      listAt(`${path}.${key}`, group[key]).forEach((perm, j) => {
        const at = `${path}.${key}[${j}]`;
        const p = objectAt(at, perm);
        const protocol = protocolAt(`${at}.IpProtocol`, p.IpProtocol);
        let ports: Array<[number, number]> = [[0, 65535]];
        let portText = protocol.text;
        if (protocol.protocols !== 'all' && (protocol.protocols[0] === 'tcp' || protocol.protocols[0] === 'udp')) {
          const from = integerAt(`${at}.FromPort`, p.FromPort, 0, 65535);
          const to = integerAt(`${at}.ToPort`, p.ToPort, from, 65535);
          ports = [[from, to]];
          portText = `${protocol.text} ${from === to ? from : `${from}-${to}`}`;
        } else if (protocol.protocols !== 'all' && protocol.protocols[0] === 'icmp') {
          if (p.FromPort !== undefined) integerAt(`${at}.FromPort`, p.FromPort, -1, 255);
          if (p.ToPort !== undefined) integerAt(`${at}.ToPort`, p.ToPort, -1, 255);
        }
        const toward = direction === 'ingress' ? 'from' : 'to';
        const add = (peer: string, other: AddressSet | undefined, why?: string) => {
          const ruleName = `${id} ${direction} ${portText} ${toward} ${peer}`;
          if (!other) { own.unresolved.push({ rule: ruleName, reason: why! }); return; }
          own[direction].push({
            name: ruleName,
            peer,
            other,
            allow: true,
            allProtocols: protocol.protocols === 'all',
            region: Region.of(protocol.protocols, ports, other),
            isDefault: false,
          });
        };
        listAt(`${at}.IpRanges`, p.IpRanges).forEach((r, k) => {
          const cidr = stringAt(`${at}.IpRanges[${k}].CidrIp`, objectAt(`${at}.IpRanges[${k}]`, r).CidrIp);
          if (!isCdkPlaceholder(direction, protocol, p.FromPort, p.ToPort, cidr)) add(cidr, prefixAt(`${at}.IpRanges[${k}].CidrIp`, cidr));
        });
        listAt(`${at}.Ipv6Ranges`, p.Ipv6Ranges).forEach((r, k) => {
          const cidr = stringAt(`${at}.Ipv6Ranges[${k}].CidrIpv6`, objectAt(`${at}.Ipv6Ranges[${k}]`, r).CidrIpv6);
          add(cidr, prefixAt(`${at}.Ipv6Ranges[${k}].CidrIpv6`, cidr));
        });
        listAt(`${at}.PrefixListIds`, p.PrefixListIds).forEach((r, k) => {
          const pl = stringAt(`${at}.PrefixListIds[${k}].PrefixListId`, objectAt(`${at}.PrefixListIds[${k}]`, r).PrefixListId);
          const entries = lists?.get(pl);
          add(pl, entries, lists
            ? `prefix list ${pl} is not in the prefix lists given`
            : `prefix list ${pl}: its entries are not given (the prefix-list export)`);
        });
        listAt(`${at}.UserIdGroupPairs`, p.UserIdGroupPairs).forEach((r, k) => {
          const pair = objectAt(`${at}.UserIdGroupPairs[${k}]`, r);
          const ref = optionalStringAt(`${at}.UserIdGroupPairs[${k}].GroupId`, pair.GroupId)
            ?? stringAt(`${at}.UserIdGroupPairs[${k}].GroupName`, pair.GroupName);
          // A group no protected role wears: instances the config does not know.
          add(ref, wearers.get(ref) ?? AddressSet.named(ref));
        });
      });
    }
  });
  const known = [...rules.keys()];
  const instances: ProtectedInstance[] = [];
  for (const p of placement) {
    p.groups.forEach((g, i) => {
      if (!rules.has(g)) {
        throw new SeguraValidationError(`${p.option}[${i}]`, `"${g}" is not a security group of the export (${known.length} groups).${didYouMean(g, known)}`);
      }
    });
    const policy = (direction: 'ingress' | 'egress'): Policy => ({
      name: p.groups.join(', '), order: 'any', rules: p.groups.flatMap(g => rules.get(g)![direction]),
    });
    const [ingress, egress] = [policy('ingress'), policy('egress')];
    for (const e of p.instances) instances.push({ role: p.role, address: e.address, ingress, egress });
  }
  // Unresolved rules matter in the groups the roles wear only.
  const worn = [...new Set(placement.flatMap(p => p.groups))];
  return { instances, unresolved: worn.flatMap(g => rules.get(g)!.unresolved) };
}
