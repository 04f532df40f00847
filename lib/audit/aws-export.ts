/**
 * AWS security groups as exported: `aws ec2 describe-security-groups --output json`
 * (an object with `SecurityGroups`), boto3's response (the same, with
 * `ResponseMetadata`), or the bare list (`--query SecurityGroups`, boto3's
 * `response['SecurityGroups']`), read into the normalized model (model.ts). Knows
 * AWS's shapes (EC2 API reference: SecurityGroup, IpPermission), not the document.
 */
import { AddressSet } from './address-set';
import { integerAt, listAt, objectAt, optionalStringAt, prefixAt, rootName, stringAt } from './fields';
import { AwsRule, AwsSecurityGroup } from './model';
import { Proto } from './region';
import { describeValue, SeguraValidationError } from '../core/errors';

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

/** What a permission allows: its protocols, its tcp or udp port range, and how reports write them (`tcp 22-23`, `all traffic`). */
export interface Traffic {
  readonly protocols: readonly Proto[] | 'all';
  readonly traffic: string;
  readonly ports?: [number, number];
}

/**
 * The traffic of an IpPermission (or a template's or a plan's rule, which use its
 * semantics), from its protocol and port fields at `paths`. Per EC2's IpPermission, the
 * ports bound tcp and udp only; icmp's are a type and a code (-1 for any), checked only.
 */
export function trafficAt(paths: { protocol: string; from: string; to: string }, protocol: unknown, from: unknown, to: unknown): Traffic {
  const p = protocolAt(paths.protocol, protocol);
  if (p.protocols !== 'all' && (p.protocols[0] === 'tcp' || p.protocols[0] === 'udp')) {
    const lo = integerAt(paths.from, from, 0, 65535);
    const hi = integerAt(paths.to, to, lo, 65535);
    return { protocols: p.protocols, ports: [lo, hi], traffic: `${p.text} ${lo === hi ? lo : `${lo}-${hi}`}` };
  }
  if (p.protocols !== 'all' && p.protocols[0] === 'icmp') {
    if (from !== undefined && from !== null) integerAt(paths.from, from, -1, 255);
    if (to !== undefined && to !== null) integerAt(paths.to, to, -1, 255);
  }
  return { protocols: p.protocols, traffic: p.text };
}

/** The prefix lists' entries by ID, from either shape the README describes. */
export function readPrefixLists(name: string, value: unknown): Map<string, AddressSet> {
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
export const isCdkPlaceholder = (direction: string, traffic: Traffic, from: unknown, to: unknown, cidr: string) =>
  direction === 'egress' && traffic.traffic === 'icmp' && from === 252 && to === 86 && cidr === '255.255.255.255/32';

const WANTED = 'the output of `aws ec2 describe-security-groups --output json` (an object with a "SecurityGroups" list), or that list itself';

/** Inputs of a known, wrong shape: what they are, and what to export instead. */
function knownWrongShape(root: Record<string, unknown>): string | undefined {
  if (Array.isArray(root.SecurityGroupRules)) {
    return 'this is the output of `aws ec2 describe-security-group-rules` (one rule per entry, without the groups): '
      + 'export the groups with `aws ec2 describe-security-groups --output json`';
  }
  if (Array.isArray(root.Reservations)) return 'this is the output of `aws ec2 describe-instances`: export the groups with `aws ec2 describe-security-groups --output json`';
  if (Array.isArray(root.NetworkInterfaces)) {
    return 'this is the output of `aws ec2 describe-network-interfaces`: export the groups with `aws ec2 describe-security-groups --output json`, '
      + 'and give the groups each role wears (--primary, --member, ...)';
  }
  if (Array.isArray(root.PrefixLists)) return 'this is a prefix-list export: give it with --prefix-lists, and the groups with --security-groups';
  return undefined;
}

/** The groups of an export, in any of its shapes. */
function groupsOf(name: string, value: unknown): { list: unknown[]; path: string } {
  const label = rootName(name);
  if (Array.isArray(value)) {
    // Azure's `az network nsg list` is a list too.
    if (value.some(v => typeof v === 'object' && v !== null && ('securityRules' in v || (v as any).type === 'Microsoft.Network/networkSecurityGroups'))) {
      throw new SeguraValidationError(label, 'this is a list of Azure NSGs (`az network nsg list`): audit it with `segura-firewall audit azure`');
    }
    return { list: value, path: name.endsWith('.') ? rootName(name) : name };
  }
  if (typeof value !== 'object' || value === null) throw new SeguraValidationError(label, `expected ${WANTED}, got ${describeValue(value)}`);
  const root = value as Record<string, unknown>;
  if (Array.isArray(root.SecurityGroups)) return { list: root.SecurityGroups, path: `${name}SecurityGroups` };
  const wrong = knownWrongShape(root);
  if (wrong) throw new SeguraValidationError(label, wrong);
  if (typeof root.GroupId === 'string') throw new SeguraValidationError(label, `this is one security group: give ${WANTED}`);
  throw new SeguraValidationError(`${name}SecurityGroups`, `expected ${WANTED}`);
}

/** Read an export into the model: the groups, each with its rules (one per protocol, port range and peer). */
export function readAwsExport(securityGroups: unknown, name: string): AwsSecurityGroup[] {
  const { list, path: base } = groupsOf(name, securityGroups);
  if (list.length === 0) throw new SeguraValidationError(rootName(name), 'holds no security group: export the region and account of the instances');
  return list.map((g, i) => {
    const path = `${base}[${i}]`;
    const at0 = `${path}.`;
    const group = objectAt(path, g);
    const id = stringAt(`${at0}GroupId`, group.GroupId);
    const groupName = optionalStringAt(`${at0}GroupName`, group.GroupName);
    const rules: AwsRule[] = [];
    for (const [direction, key] of [['ingress', 'IpPermissions'], ['egress', 'IpPermissionsEgress']] as const) {
      listAt(`${at0}${key}`, group[key]).forEach((perm, j) => {
        const at = `${at0}${key}[${j}]`;
        const p = objectAt(at, perm);
        const t = trafficAt({ protocol: `${at}.IpProtocol`, from: `${at}.FromPort`, to: `${at}.ToPort` }, p.IpProtocol, p.FromPort, p.ToPort);
        const rule = (peer: AwsRule['peer'], where: string): AwsRule => ({ direction, protocols: t.protocols, traffic: t.traffic, ports: t.ports, peer, where });
        listAt(`${at}.IpRanges`, p.IpRanges).forEach((r, k) => {
          const where = `${at}.IpRanges[${k}].CidrIp`;
          const cidr = stringAt(where, objectAt(`${at}.IpRanges[${k}]`, r).CidrIp);
          if (!isCdkPlaceholder(direction, t, p.FromPort, p.ToPort, cidr)) rules.push(rule({ kind: 'cidr', cidr, set: prefixAt(where, cidr) }, where));
        });
        listAt(`${at}.Ipv6Ranges`, p.Ipv6Ranges).forEach((r, k) => {
          const where = `${at}.Ipv6Ranges[${k}].CidrIpv6`;
          const cidr = stringAt(where, objectAt(`${at}.Ipv6Ranges[${k}]`, r).CidrIpv6);
          rules.push(rule({ kind: 'cidr', cidr, set: prefixAt(where, cidr) }, where));
        });
        listAt(`${at}.PrefixListIds`, p.PrefixListIds).forEach((r, k) => {
          const where = `${at}.PrefixListIds[${k}].PrefixListId`;
          rules.push(rule({ kind: 'prefixList', prefixListId: stringAt(where, objectAt(`${at}.PrefixListIds[${k}]`, r).PrefixListId) }, where));
        });
        listAt(`${at}.UserIdGroupPairs`, p.UserIdGroupPairs).forEach((r, k) => {
          const pair = objectAt(`${at}.UserIdGroupPairs[${k}]`, r);
          const ref = optionalStringAt(`${at}.UserIdGroupPairs[${k}].GroupId`, pair.GroupId)
            ?? stringAt(`${at}.UserIdGroupPairs[${k}].GroupName`, pair.GroupName);
          rules.push(rule({ kind: 'group', groupId: ref }, `${at}.UserIdGroupPairs[${k}]`));
        });
      });
    }
    return { groupId: id, groupName, rules, where: path };
  });
}
