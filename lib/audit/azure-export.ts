/**
 * Azure network security groups as exported: `az network nsg list -o json` (a list),
 * `az network nsg show -o json` (one NSG), the REST API's shapes (rules under
 * "properties"; a list as `{ "value": [...] }`), read into the normalized model
 * (model.ts). Field names and values follow the REST API's NetworkSecurityGroup and
 * SecurityRule; enum values are read without case, as Azure accepts them. Knows
 * Azure's shapes, not the document, nor how Azure evaluates rules (azure-matcher.ts).
 */
import { integerAt, listAt, objectAt, optionalStringAt, prefixAt, rootName, stringAt } from './fields';
import { NetworkSecurityGroup, NsgAddress, NsgProtocol, NsgRule } from './model';
import { describeValue, SeguraValidationError } from '../core/errors';

/**
 * Azure's six default rules, as `az network nsg show` lists them ("Network security
 * groups overview", default security rules:
 * https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview#default-security-rules).
 * Azure applies them after every NSG's own rules; they cannot be removed.
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

const WANTED = 'the output of `az network nsg list -o json` (a list) or `az network nsg show -o json` (one NSG)';

/** A field that is a string or a list of strings, in Azure's singular and plural forms together: each value with its path. */
function stringsAt(path: string, rule: Record<string, unknown>, singular: string, plural: string): Array<[string, string]> {
  const value = rule[singular];
  const one = typeof value === 'number' ? String(value) : optionalStringAt(`${path}.${singular}`, value);
  const many = listAt(`${path}.${plural}`, rule[plural]).map((v, i): [string, string] =>
    [`${path}.${plural}[${i}]`, typeof v === 'number' ? String(v) : stringAt(`${path}.${plural}[${i}]`, v)]);
  return [...(one !== undefined && one !== '' ? [[`${path}.${singular}`, one] as [string, string]] : []), ...many];
}

function portRangeAt(path: string, text: string): [number, number] {
  if (text.trim() === '*') return [0, 65535];
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text.trim());
  const [lo, hi] = m ? [Number(m[1]), Number(m[2] ?? m[1])] : [NaN, NaN];
  if (!m || lo > 65535 || hi > 65535 || lo > hi) throw new SeguraValidationError(path, `${describeValue(text)} is not a port range (expected *, 443 or 1024-65535)`);
  return [lo, hi];
}

const PROTOCOLS: Record<string, NsgProtocol> = { 'tcp': 'Tcp', 'udp': 'Udp', 'icmp': 'Icmp', 'esp': 'Esp', 'ah': 'Ah', '*': '*', 'any': '*' };

function protocolAt(path: string, value: unknown): NsgProtocol {
  const p = PROTOCOLS[stringAt(path, value).toLowerCase()];
  if (!p) throw new SeguraValidationError(path, `${describeValue(value)} is not an NSG protocol (expected Tcp, Udp, Icmp, Esp, Ah or *)`);
  return p;
}

function oneOfAt<T extends string>(path: string, value: unknown, allowed: readonly T[]): T {
  const found = allowed.find(a => a.toLowerCase() === stringAt(path, value).toLowerCase());
  if (!found) throw new SeguraValidationError(path, `${describeValue(value)} is not ${allowed.join(' or ')}`);
  return found;
}

/** A service tag's name: letters first, then letters, digits, dots, dashes and underscores (`Storage.WestEurope`, `AZURE_LOADBALANCER`). */
const TAG = /^[A-Za-z][A-Za-z0-9._-]*$/;

function addressAt(path: string, text: string): NsgAddress {
  const t = text.trim();
  if (t === '*' || t.toLowerCase() === 'any') return { kind: 'any', text: t };
  if (/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(t) && /[.:]/.test(t)) return { kind: 'prefix', text: t, set: prefixAt(path, t) };
  if (TAG.test(t)) return { kind: 'tag', text: t };
  throw new SeguraValidationError(path, `${describeValue(text)} is not an address, a CIDR, a service tag or *`);
}

/** az prints resources flat; the REST API nests their fields under "properties". */
function flatten(raw: Record<string, unknown>): Record<string, unknown> {
  return { ...raw, ...(typeof raw.properties === 'object' && raw.properties !== null && !Array.isArray(raw.properties) ? raw.properties as Record<string, unknown> : {}) };
}

function sideAt(path: string, rule: Record<string, unknown>, side: 'source' | 'destination'): NsgAddress[] {
  const prefixes = stringsAt(path, rule, `${side}AddressPrefix`, `${side}AddressPrefixes`).map(([at, p]) => addressAt(at, p));
  const asgs = listAt(`${path}.${side}ApplicationSecurityGroups`, rule[`${side}ApplicationSecurityGroups`]).map((a, i): NsgAddress => {
    const id = stringAt(`${path}.${side}ApplicationSecurityGroups[${i}].id`, objectAt(`${path}.${side}ApplicationSecurityGroups[${i}]`, a).id);
    return { kind: 'asg', id, text: id.slice(id.lastIndexOf('/') + 1) };
  });
  if (prefixes.length + asgs.length === 0) {
    throw new SeguraValidationError(path, `names no ${side} (${side}AddressPrefix, ${side}AddressPrefixes or ${side}ApplicationSecurityGroups)`);
  }
  return [...prefixes, ...asgs];
}

/** One security rule (custom or default), in either shape. */
export function readNsgRule(path: string, value: unknown): NsgRule {
  const rule = flatten(objectAt(path, value));
  const ports = stringsAt(path, rule, 'destinationPortRange', 'destinationPortRanges');
  if (ports.length === 0) throw new SeguraValidationError(path, 'names no destination port (destinationPortRange or destinationPortRanges)');
  const sourceText = stringsAt(path, rule, 'sourcePortRange', 'sourcePortRanges');
  return {
    name: stringAt(`${path}.name`, rule.name),
    priority: integerAt(`${path}.priority`, rule.priority, 0, 65535),
    direction: oneOfAt(`${path}.direction`, rule.direction, ['Inbound', 'Outbound'] as const),
    access: oneOfAt(`${path}.access`, rule.access, ['Allow', 'Deny'] as const),
    protocol: protocolAt(`${path}.protocol`, rule.protocol),
    sourcePorts: sourceText.length === 0 ? [[0, 65535]] : sourceText.map(([at, p]) => portRangeAt(at, p)),
    sourcePortsText: sourceText.length === 0 ? ['*'] : sourceText.map(([, p]) => p),
    destinationPorts: ports.map(([at, p]) => portRangeAt(at, p)),
    sources: sideAt(path, rule, 'source'),
    destinations: sideAt(path, rule, 'destination'),
    where: path,
  };
}

/** Whether a value looks like one security rule rather than an NSG. */
const isRule = (v: unknown) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = flatten(v as Record<string, unknown>);
  return !('securityRules' in o) && !('defaultSecurityRules' in o)
    && (/\/(default)?securityRules$/i.test(String(o.type ?? '')) || ('direction' in o && 'access' in o && 'priority' in o));
};

/** Inputs of a known, wrong shape: what they are, and what to export instead. */
function knownWrongShape(value: unknown): string | undefined {
  const instead = 'export the NSGs with `az network nsg list -o json`, or one with `az network nsg show -g RG -n NSG -o json`';
  const rules = `this is a list of one NSG's security rules (\`az network nsg rule list\`, or the REST API's SecurityRules_List), without the NSG: ${instead}`;
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every(isRule)) return rules;
    if (value.some(v => typeof v === 'object' && v !== null && 'GroupId' in v)) return 'this is a list of AWS security groups: audit it with `segura-firewall audit aws`';
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const o = value as Record<string, unknown>;
  if ('NewNSG' in o) return `this is the output of \`az network nsg create\` ({"NewNSG": ...}), which holds only the NSG as created: ${instead}`;
  if (isRule(o)) return `this is one security rule (\`az network nsg rule show\` or \`create\`), not an NSG: ${instead}`;
  if (Array.isArray(o.value) && o.value.length > 0 && o.value.every(isRule)) return rules;
  const values = Array.isArray(o.value) ? o.value : [o];
  if (values.some(v => typeof v === 'object' && v !== null && 'effectiveSecurityRules' in v)) {
    return `this is the output of \`az network nic list-effective-nsg\` (effective rules, merged): ${instead}`;
  }
  if ('SecurityGroups' in o) return 'this is an AWS export (`aws ec2 describe-security-groups`): audit it with `segura-firewall audit aws`';
  return undefined;
}

/** Read an export into the model: the NSGs with their rules and the default rules they list. */
export function readAzureExport(nsgs: unknown, name: string): NetworkSecurityGroup[] {
  const label = rootName(name);
  const wrong = knownWrongShape(nsgs);
  if (wrong) throw new SeguraValidationError(label, wrong);
  let list: unknown[];
  let base: string;
  if (Array.isArray(nsgs)) { list = nsgs; base = name; } else if (typeof nsgs === 'object' && nsgs !== null && Array.isArray((nsgs as any).value)) {
    list = (nsgs as any).value; base = `${name}${name.endsWith(': ') || name === '' ? '' : '.'}value`;
  } else if (typeof nsgs === 'object' && nsgs !== null && ('securityRules' in nsgs || 'properties' in nsgs || 'name' in nsgs)) {
    return [readNsg(label, name.endsWith(': ') ? name : `${name}.`, nsgs)];
  } else {
    throw new SeguraValidationError(label, `expected ${WANTED}, got ${describeValue(nsgs)}`);
  }
  if (list.length === 0) throw new SeguraValidationError(label, 'holds no NSG: export the subscription and resource groups of the instances');
  return list.map((n, i) => readNsg(`${base}[${i}]`, `${base}[${i}].`, n));
}

/** One NSG at `path`; its fields at `${at}field`. */
function readNsg(path: string, at: string, value: unknown): NetworkSecurityGroup {
  const nsg = flatten(objectAt(path, value));
  const nsgName = optionalStringAt(`${at}name`, nsg.name);
  const id = optionalStringAt(`${at}id`, nsg.id);
  if (nsgName === undefined && id === undefined) throw new SeguraValidationError(path, 'an NSG without a name or an id');
  const rules = listAt(`${at}securityRules`, nsg.securityRules).map((r, j) => readNsgRule(`${at}securityRules[${j}]`, r));
  const defaultRules = nsg.defaultSecurityRules === undefined || nsg.defaultSecurityRules === null ? undefined
    : listAt(`${at}defaultSecurityRules`, nsg.defaultSecurityRules).map((r, j) => readNsgRule(`${at}defaultSecurityRules[${j}]`, r));
  return { name: nsgName ?? id!.slice(id!.lastIndexOf('/') + 1), id, rules, defaultRules, where: path };
}
