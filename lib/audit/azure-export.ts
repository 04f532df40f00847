/**
 * Azure network security groups as exported by `az network nsg list -o json` (a
 * list) or `az network nsg show -o json` (one NSG), read into a firewall state: in
 * priority order the first matching rule decides, Azure's default rules last. Knows
 * Azure's shapes, not the document.
 */
import { AddressSet } from './address-set';
import { Endpoint } from './compare';
import { integerAt, listAt, objectAt, optionalStringAt, prefixAt, rootName, stringAt } from './fields';
import { Proto, Region } from './region';
import { FirewallState, Policy, PolicyRule, ProtectedInstance, UnresolvedRule } from './state';
import { describeValue, didYouMean, SeguraValidationError } from '../core/errors';

/** A protected role on Azure: the NSG in front of its instances, and the ASGs their NICs are in. */
export interface AzureRolePlacement {
  readonly role: string;
  /** The NSG (name or resource ID) on its subnet or NICs. */
  readonly nsg: string;
  /** How messages name the option giving the NSG (`--cluster-nsg`, `clusterNsg`). */
  readonly nsgOption: string;
  /** The ASG resource IDs its NICs are in. */
  readonly asgs: readonly string[];
  /** Its instances. */
  readonly instances: readonly Endpoint[];
}

/** Azure's load balancer probe address (the AzureLoadBalancer tag). */
const AZURE_LOAD_BALANCER = '168.63.129.16';

/**
 * Azure's six default rules, as `az network nsg show` lists them: the rules assumed
 * for an export without `defaultSecurityRules`. (The test fixtures, written from
 * Azure's documented responses, are checked against this list.)
 */
export const AZURE_DEFAULT_RULES: ReadonlyArray<Readonly<Record<'name' | 'direction' | 'access' | 'protocol' | 'sourcePortRange' | 'destinationPortRange' | 'sourceAddressPrefix' | 'destinationAddressPrefix', string> & { priority: number }>> = Object.freeze(([
  ['AllowVnetInBound', 65000, 'Inbound', 'Allow', 'VirtualNetwork', 'VirtualNetwork'],
  ['AllowAzureLoadBalancerInBound', 65001, 'Inbound', 'Allow', 'AzureLoadBalancer', '*'],
  ['DenyAllInBound', 65500, 'Inbound', 'Deny', '*', '*'],
  ['AllowVnetOutBound', 65000, 'Outbound', 'Allow', 'VirtualNetwork', 'VirtualNetwork'],
  ['AllowInternetOutBound', 65001, 'Outbound', 'Allow', '*', 'Internet'],
  ['DenyAllOutBound', 65500, 'Outbound', 'Deny', '*', '*'],
] as const).map(([name, priority, direction, access, source, destination]) => Object.freeze({
  name,
  priority,
  direction,
  access,
  protocol: '*',
  sourcePortRange: '*',
  destinationPortRange: '*',
  sourceAddressPrefix: source,
  destinationAddressPrefix: destination,
})));

/** One side of a rule: the addresses it names, and how to write them. */
interface Side {
  readonly set: AddressSet;
  readonly text: string;
}

interface ParsedRule {
  readonly name: string;
  readonly priority: number;
  readonly inbound: boolean;
  readonly allow: boolean;
  readonly protocols: readonly Proto[] | 'all';
  readonly ports: Array<[number, number]>;
  readonly source: Side;
  readonly destination: Side;
  readonly isDefault: boolean;
  readonly unresolved?: string;
}

/** A field that is a string or a list of strings, in Azure's singular and plural forms together: each value with its path. */
function stringsAt(path: string, rule: Record<string, unknown>, singular: string, plural: string): Array<[string, string]> {
  const one = optionalStringAt(`${path}.${singular}`, rule[singular]);
  const many = listAt(`${path}.${plural}`, rule[plural]).map((v, i): [string, string] => [`${path}.${plural}[${i}]`, stringAt(`${path}.${plural}[${i}]`, v)]);
  return [...(one !== undefined && one !== '' ? [[`${path}.${singular}`, one] as [string, string]] : []), ...many];
}

function portRangeAt(path: string, text: string): [number, number] {
  if (text === '*') return [0, 65535];
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text.trim());
  const [lo, hi] = m ? [Number(m[1]), Number(m[2] ?? m[1])] : [NaN, NaN];
  if (!m || lo > 65535 || hi > 65535 || lo > hi) throw new SeguraValidationError(path, `${describeValue(text)} is not a port range (expected *, 443 or 1024-65535)`);
  return [lo, hi];
}

function protocolAt(path: string, value: unknown): readonly Proto[] | 'all' {
  const text = stringAt(path, value).toLowerCase();
  switch (text) {
    case '*': case 'any': return 'all';
    case 'tcp': return ['tcp'];
    case 'udp': return ['udp'];
    case 'icmp': return ['icmp'];
    case 'esp': case 'ah': return ['other'];
    default: throw new SeguraValidationError(path, `${describeValue(value)} is not an NSG protocol (expected Tcp, Udp, Icmp, Esp, Ah or *)`);
  }
}

/** Read an export into a firewall state (see `AzureRolePlacement`); `vnet` is what the VirtualNetwork tag stands for. */
export function readAzureExport(nsgs: unknown, placement: readonly AzureRolePlacement[], vnet: AddressSet, name: string): FirewallState {
  const label = rootName(name);
  let list: unknown[];
  if (Array.isArray(nsgs)) list = nsgs;
  else if (typeof nsgs === 'object' && nsgs !== null && Array.isArray((nsgs as any).value)) list = (nsgs as any).value;
  else if (typeof nsgs === 'object' && nsgs !== null && ('securityRules' in nsgs || 'properties' in nsgs || 'name' in nsgs)) list = [nsgs];
  else throw new SeguraValidationError(label, `expected the output of \`az network nsg list -o json\` (a list) or \`az network nsg show -o json\` (one NSG), got ${describeValue(nsgs)}`);

  // Who is in an ASG: the instances of every role whose NICs are in it (IDs compare without case, as Azure's do).
  const members = new Map<string, AddressSet>();
  for (const p of placement) {
    const mine = p.instances.reduce((acc, e) => acc.union(e.set), AddressSet.EMPTY);
    for (const a of p.asgs) members.set(a.toLowerCase(), (members.get(a.toLowerCase()) ?? AddressSet.EMPTY).union(mine));
  }
  const internet = AddressSet.ALL.minus(vnet).minus(AddressSet.ofCidrs([`${AZURE_LOAD_BALANCER}/32`]));
  const addressOf = (path: string, text: string): AddressSet => {
    if (text === '*' || text.toLowerCase() === 'any') return AddressSet.ALL;
    if (text === 'VirtualNetwork') return vnet;
    if (text === 'Internet') return internet;
    if (text === 'AzureLoadBalancer') return AddressSet.ofCidrs([`${AZURE_LOAD_BALANCER}/32`]);
    // Another service tag (AzureCloud, Storage.WestEurope, ...): addresses the config does not hold.
    if (/^[A-Za-z][A-Za-z0-9.]*$/.test(text)) return AddressSet.named(text);
    return prefixAt(path, text);
  };
  const sideAt = (path: string, rule: Record<string, unknown>, side: 'source' | 'destination'): Side => {
    const prefixes = stringsAt(path, rule, `${side}AddressPrefix`, `${side}AddressPrefixes`);
    const asgs = listAt(`${path}.${side}ApplicationSecurityGroups`, rule[`${side}ApplicationSecurityGroups`]).map((a, i) =>
      stringAt(`${path}.${side}ApplicationSecurityGroups[${i}].id`, objectAt(`${path}.${side}ApplicationSecurityGroups[${i}]`, a).id));
    if (prefixes.length + asgs.length === 0) {
      throw new SeguraValidationError(path, `names no ${side} (${side}AddressPrefix, ${side}AddressPrefixes or ${side}ApplicationSecurityGroups)`);
    }
    let set = AddressSet.EMPTY;
    for (const [at, p] of prefixes) set = set.union(addressOf(at, p));
    // An ASG no role's NICs are in: instances the config does not know.
    for (const a of asgs) set = set.union(members.get(a.toLowerCase()) ?? AddressSet.named(a.slice(a.lastIndexOf('/') + 1)));
    return { set, text: [...prefixes.map(([, p]) => p), ...asgs.map(a => a.slice(a.lastIndexOf('/') + 1))].join(', ') };
  };
  const ruleAt = (path: string, value: unknown, isDefault: boolean): ParsedRule => {
    const raw = objectAt(path, value);
    // az prints rules flat; the REST API nests them under "properties".
    const rule = { ...raw, ...(typeof raw.properties === 'object' && raw.properties !== null ? raw.properties as Record<string, unknown> : {}) };
    const ruleName = stringAt(`${path}.name`, rule.name);
    const direction = stringAt(`${path}.direction`, rule.direction).toLowerCase();
    if (direction !== 'inbound' && direction !== 'outbound') throw new SeguraValidationError(`${path}.direction`, `${describeValue(rule.direction)} is not Inbound or Outbound`);
    const access = stringAt(`${path}.access`, rule.access).toLowerCase();
    if (access !== 'allow' && access !== 'deny') throw new SeguraValidationError(`${path}.access`, `${describeValue(rule.access)} is not Allow or Deny`);
    const ports = stringsAt(path, rule, 'destinationPortRange', 'destinationPortRanges');
    if (ports.length === 0) throw new SeguraValidationError(path, 'names no destination port (destinationPortRange or destinationPortRanges)');
    const sourceText = stringsAt(path, rule, 'sourcePortRange', 'sourcePortRanges');
    const sourcePorts = sourceText.map(([at, p]) => portRangeAt(at, p));
    // Every flow's client uses an ephemeral port: a rule that does not match them all cannot be judged.
    const ephemeral = sourcePorts.length === 0 || sourcePorts.some(([lo, hi]) => lo <= 1024 && hi >= 65535);
    return {
      name: ruleName,
      priority: integerAt(`${path}.priority`, rule.priority, 100, 65500),
      inbound: direction === 'inbound',
      allow: access === 'allow',
      protocols: protocolAt(`${path}.protocol`, rule.protocol),
      ports: ports.map(([at, p]) => portRangeAt(at, p)),
      source: sideAt(path, rule, 'source'),
      destination: sideAt(path, rule, 'destination'),
      isDefault,
      unresolved: ephemeral ? undefined : `source ports ${sourceText.map(([, p]) => p).join(', ')}: `
        + 'the audit judges destination ports, with clients on ephemeral ports (1024-65535)',
    };
  };

  const parsed = list.map((n, i) => {
    const path = `${name}[${i}]`;
    const raw = objectAt(path, n);
    const nsg = { ...raw, ...(typeof raw.properties === 'object' && raw.properties !== null ? raw.properties as Record<string, unknown> : {}) };
    const nsgName = optionalStringAt(`${path}.name`, nsg.name);
    const id = optionalStringAt(`${path}.id`, nsg.id);
    if (nsgName === undefined && id === undefined) throw new SeguraValidationError(path, 'an NSG without a name or an id');
    const custom = listAt(`${path}.securityRules`, nsg.securityRules).map((r, j) => ruleAt(`${path}.securityRules[${j}]`, r, false));
    const defaults = nsg.defaultSecurityRules === undefined || nsg.defaultSecurityRules === null
      ? AZURE_DEFAULT_RULES.map(r => ruleAt(`${path} (Azure's default rules)`, r, true))
      : listAt(`${path}.defaultSecurityRules`, nsg.defaultSecurityRules).map((r, j) => ruleAt(`${path}.defaultSecurityRules[${j}]`, r, true));
    const rules = [...custom, ...defaults].sort((a, b) => a.priority - b.priority);
    return { name: nsgName ?? id!, id, rules };
  });

  const find = (p: AzureRolePlacement) => {
    const wanted = p.nsg.toLowerCase();
    const byId = parsed.filter(n => n.id?.toLowerCase() === wanted);
    if (byId.length > 0) return byId[0];
    const byName = parsed.filter(n => n.name.toLowerCase() === wanted);
    if (byName.length === 1) return byName[0];
    if (byName.length > 1) {
      throw new SeguraValidationError(p.nsgOption, `${byName.length} NSGs of the export are named "${p.nsg}": give the ID (${byName.map(n => n.id).join(', ')})`);
    }
    throw new SeguraValidationError(p.nsgOption, `"${p.nsg}" is not an NSG of the export (${parsed.length} NSGs).${didYouMean(p.nsg, parsed.map(n => n.name))}`);
  };

  const instances: ProtectedInstance[] = [];
  const unresolved = new Map<string, UnresolvedRule>();
  for (const p of placement) {
    const nsg = find(p);
    for (const r of nsg.rules) if (r.unresolved) unresolved.set(`${nsg.name}/${r.name}`, { rule: r.name, reason: `in ${nsg.name}: ${r.unresolved}` });
    const judged = nsg.rules.filter(r => !r.unresolved);
    for (const e of p.instances) {
      const policy = (inbound: boolean): Policy => ({
        name: `NSG ${nsg.name}`,
        order: 'first-match',
        rules: judged.filter(r => r.inbound === inbound && (inbound ? r.destination : r.source).set.covers(e.set)).map((r): PolicyRule => {
          const other = inbound ? r.source : r.destination;
          return {
            name: r.name,
            peer: other.text,
            other: other.set,
            allow: r.allow,
            allProtocols: r.protocols === 'all',
            region: Region.of(r.protocols, r.ports, other.set),
            isDefault: r.isDefault,
          };
        }),
      });
      instances.push({ role: p.role, address: e.address, ingress: policy(true), egress: policy(false) });
    }
  }
  return { instances, unresolved: [...unresolved.values()] };
}
