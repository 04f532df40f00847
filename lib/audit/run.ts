/**
 * An audit from its inputs: the site's config (read as the CLI reads it), the
 * placement of the Segura instances (groups on AWS, NSGs and ASGs on Azure), the
 * export. Inputs are checked first; every error names the input and the field.
 */
import { AddressSet } from './address-set';
import { readAwsExport, readPrefixLists } from './aws-export';
import { matchAws } from './aws-matcher';
import { readAzureExport } from './azure-export';
import { matchAzure, NsgRef } from './azure-matcher';
import { compare, Endpoint } from './compare';
import { AwsSecurityGroup, NetworkSecurityGroup } from './model';
import { UnplacedRole } from './state';
import { AuditReport } from './types';
import { checkString, checkStringList, isPlainObject } from '../core/checks';
import { parseCidr } from '../core/cidr';
import { readConfig, ReadConfig } from '../core/config-file';
import { describeValue, didYouMean, SeguraValidationError } from '../core/errors';
import { GATEWAY_ROLES, NODE_ROLES, Role, ROLES } from '../core/roles';

/** The roles whose instances the exported rules protect: the nodes and the gateways. */
export const PROTECTED_ROLES: readonly Role[] = Object.freeze([...NODE_ROLES, ...GATEWAY_ROLES]);

/**
 * Peer roles whose hosts often wear security groups of their own on AWS (a load balancer's):
 * a rule naming such a group stands for the role's addresses in the config. Their own
 * groups are not audited (they are not Segura's).
 */
export const GROUP_PEER_ROLES: readonly Role[] = Object.freeze([Role.LOAD_BALANCER]);

/** What places a role: AWS groups; Azure: the subnet's NSG, the NICs' NSGs, the NICs' ASGs. */
export type PlacementKind = 'groups' | 'nsg' | 'nicNsg' | 'asgs';

/** What messages call a role's instances: `the Domum Gateway`, `the Primary`. */
const TITLES: Partial<Record<Role, [string, string]>> = {
  [Role.PRD]: ['the Primary', 'the Primary\'s'],
  [Role.MBR]: ['the members', 'the members\''],
  [Role.DOMUM]: ['the Domum Gateway', 'the Domum Gateway\'s'],
  [Role.ARB]: ['the Arbitrator', 'the Arbitrator\'s'],
};

/** How messages name the inputs and options (the library's property names, or the CLI's files and flags). */
export interface AuditNames {
  /** Prefix of config errors: `config.` or `site.json: `. */
  readonly config: string;
  /** Prefix of export errors: `securityGroups: ` or `sgs.json: `. */
  readonly export: string;
  /** Prefix of prefix-list errors (AWS). */
  readonly prefixLists: string;
  /** The option giving a role's placement: `groups.members`, `--member`, `--cluster-nsg`, `--member-nic-nsg`. */
  readonly option: (role: Role, what: PlacementKind) => string;
  /** The option giving the VirtualNetwork tag's address spaces: `virtualNetworkPrefixes`, `--vnet`. */
  readonly vnet: string;
}

/** Run `fn`, naming the input in its errors. */
function within<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SeguraValidationError) throw new SeguraValidationError(`${prefix}${e.property}`, e.message.slice(e.property.length + 2));
    throw e;
  }
}

interface Site {
  readonly read: ReadConfig;
  readonly endpoints: Map<string, Endpoint[]>;
}

function readSite(config: unknown, names: AuditNames): Site {
  const read = within(names.config, () => readConfig(config, 'audit'));
  const endpoints = new Map<string, Endpoint[]>();
  for (const [role, list] of read.configured) endpoints.set(role, list.map(address => ({ address, set: AddressSet.ofCidrs([address]) })));
  if (!read.configured.has(Role.PRD)) {
    throw new SeguraValidationError(`${names.config}${ROLES[Role.PRD].property}`, 'the audit needs the Primary\'s address, to place it');
  }
  return { read, endpoints };
}

/** The instances of a placed role: one address each (a /32 or /128), since the audit places them by address. */
function instancesOf(site: Site, role: Role, names: AuditNames): Endpoint[] {
  return site.read.configured.get(role)!.map((address, i) => {
    const p = parseCidr('', address);
    if (p.length !== (p.family === 'ipv4' ? 32 : 128)) {
      throw new SeguraValidationError(`${names.config}${ROLES[role].property}[${i}]`,
        `"${address}" is a network; the audit places each instance by its own address (a /${p.family === 'ipv4' ? 32 : 128})`);
    }
    return site.endpoints.get(role)![i];
  });
}

/** A map from role keys (`primary`, `members`, ...) to values, its keys checked. */
function roleMap<T>(property: string, value: unknown, roles: readonly Role[], check: (property: string, v: unknown) => T,
  optionOf: (role: Role) => string = role => `${property}.${ROLES[role].property}`): Map<Role, T> {
  if (value === undefined) return new Map();
  if (!isPlainObject(value)) throw new SeguraValidationError(property, `expected an object keyed by ${roles.map(r => ROLES[r].property).join(', ')}, got ${describeValue(value)}`);
  const out = new Map<Role, T>();
  for (const [key, v] of Object.entries(value)) {
    const role = roles.find(r => ROLES[r].property === key);
    if (!role) {
      const known = roles.map(r => ROLES[r].property);
      throw new SeguraValidationError(`${property}.${key}`, `unknown role.${didYouMean(key, known)} Known: ${known.join(', ')}`);
    }
    out.set(role, check(optionOf(role), v));
  }
  return out;
}

/** Each placed role has instances in the config, and each instance role of the config that must be placed is. */
function checkPlacedRoles(site: Site, placed: ReadonlySet<Role>, required: readonly Role[], names: AuditNames, what: PlacementKind): void {
  for (const role of placed) {
    if (!site.read.configured.has(role)) {
      throw new SeguraValidationError(names.option(role, what), `given, but the config has no ${ROLES[role].property}: `
        + `add their addresses to the config as "${ROLES[role].property}"`);
    }
  }
  for (const role of required) {
    if (site.read.configured.has(role) && !placed.has(role)) {
      throw new SeguraValidationError(names.option(role, what), `is required: the config has ${ROLES[role].property} (${site.read.configured.get(role)!.join(', ')})`);
    }
  }
}

/** A non-empty string: an ID or name an option gives. */
function nonEmpty(property: string, value: unknown, what: string): string {
  const text = checkString(property, value, what)!.trim();
  if (text === '') throw new SeguraValidationError(property, `is empty: give ${what}`);
  return text;
}

/** A non-empty list of non-empty strings. */
function nonEmptyList(property: string, value: unknown, what: string): string[] {
  const list = checkStringList(property, value, what)!;
  if (list.length === 0) throw new SeguraValidationError(property, `is empty: give ${what}`);
  return list.map((v, i) => nonEmpty(`${property}[${i}]`, v, what));
}

/** The AWS audit's inputs, as the public API takes them. */
export interface AwsAuditInput {
  readonly config: unknown;
  readonly securityGroups: unknown;
  readonly prefixLists?: unknown;
  readonly groups: unknown;
}

export function auditAws(input: AwsAuditInput, names: AuditNames): AuditReport {
  return auditAwsModel(input, names, () => readAwsExport(input.securityGroups, names.export));
}

/** The AWS audit's inputs besides the groups' rules: the site and the placement. */
export type AwsPlacementInput = Omit<AwsAuditInput, 'securityGroups'>;

/** An AWS audit of the groups `read` gives (an export's, a template's, a plan's), read after the site and the placement are checked. */
export function auditAwsModel(input: AwsPlacementInput, names: AuditNames, read: () => AwsSecurityGroup[]): AuditReport {
  const site = readSite(input.config, names);
  const groups = roleMap('groups', input.groups, [...PROTECTED_ROLES, ...GROUP_PEER_ROLES], (p, v) => nonEmptyList(p, v, 'the IDs of the groups the instances wear'),
    role => names.option(role, 'groups'));
  checkPlacedRoles(site, new Set(groups.keys()), NODE_ROLES, names, 'groups');
  const protectedGroups = [...groups].filter(([role]) => PROTECTED_ROLES.includes(role));
  const placement = protectedGroups.map(([role, ids]) => ({ role, option: names.option(role, 'groups'), groups: ids, instances: instancesOf(site, role, names) }));
  // A peer's groups stand for its addresses: every address the config gives the role.
  const peerGroups = [...groups].filter(([role]) => GROUP_PEER_ROLES.includes(role)).map(([role, ids]) => ({
    option: names.option(role, 'groups'), groups: ids, addresses: site.endpoints.get(role)!.reduce((acc, e) => acc.union(e.set), AddressSet.EMPTY),
  }));
  const model = read();
  const prefixLists = input.prefixLists === undefined ? undefined : readPrefixLists(names.prefixLists, input.prefixLists);
  // A gateway of the config without its groups: a group no role wears may be its.
  const unplaced: UnplacedRole[] = GATEWAY_ROLES.filter(r => site.read.configured.has(r) && !groups.has(r))
    .map(r => ({ title: TITLES[r]![0], option: names.option(r, 'groups') }));
  const state = matchAws(model, { placement, peerGroups, prefixLists, unplaced });
  return compare(site.read.flows, site.endpoints, state);
}

/** The Azure audit's inputs, as the public API takes them. */
export interface AzureAuditInput {
  readonly config: unknown;
  readonly networkSecurityGroups: unknown;
  readonly clusterNsg?: unknown;
  readonly gatewayNsgs?: unknown;
  readonly nicNsgs?: unknown;
  readonly applicationSecurityGroups?: unknown;
  readonly virtualNetworkPrefixes: unknown;
}

const NSG_WHAT = 'the name or resource ID of an NSG';

export function auditAzure(input: AzureAuditInput, names: AuditNames): AuditReport {
  return auditAzureModel(input, names, () => readAzureExport(input.networkSecurityGroups, names.export));
}

/** The Azure audit's inputs besides the NSGs. */
export type AzurePlacementInput = Omit<AzureAuditInput, 'networkSecurityGroups'>;

/** An Azure audit of the NSGs `read` gives (an export's, a plan's), read after the site and the placement are checked. */
export function auditAzureModel(input: AzurePlacementInput, names: AuditNames, read: () => NetworkSecurityGroup[]): AuditReport {
  const site = readSite(input.config, names);
  const clusterNsg = input.clusterNsg === undefined ? undefined : nonEmpty(names.option(Role.PRD, 'nsg'), input.clusterNsg, NSG_WHAT);
  const gatewayNsgs = roleMap('gatewayNsgs', input.gatewayNsgs, GATEWAY_ROLES, (p, v) => nonEmpty(p, v, NSG_WHAT), role => names.option(role, 'nsg'));
  const nicNsgs = roleMap('nicNsgs', input.nicNsgs, PROTECTED_ROLES, (p, v) => nonEmptyList(p, v, 'NSG names or resource IDs'), role => names.option(role, 'nicNsg'));
  const asgs = roleMap('applicationSecurityGroups', input.applicationSecurityGroups, PROTECTED_ROLES, (p, v) => nonEmptyList(p, v, 'ASG resource IDs'),
    role => names.option(role, 'asgs'));
  const vnetList = checkStringList(names.vnet, input.virtualNetworkPrefixes, 'CIDRs');
  const vnetWhat = 'the address spaces the VirtualNetwork tag stands for (your VNet\'s, peered VNets\', on-premises ones)';
  if (!vnetList) throw new SeguraValidationError(names.vnet, `is required: ${vnetWhat}`);
  if (vnetList.length === 0) throw new SeguraValidationError(names.vnet, `is empty: give ${vnetWhat}`);
  const vnet = vnetList.reduce((acc, c, i) => acc.union(AddressSet.ofPrefixes([parseCidr(`${names.vnet}[${i}]`, c)])), AddressSet.EMPTY);
  checkPlacedRoles(site, new Set(gatewayNsgs.keys()), [], names, 'nsg');
  checkPlacedRoles(site, new Set(nicNsgs.keys()), [], names, 'nicNsg');
  checkPlacedRoles(site, new Set(asgs.keys()), [], names, 'asgs');
  const subnetOf = (role: Role) => (NODE_ROLES.includes(role) ? clusterNsg : gatewayNsgs.get(role));
  for (const role of NODE_ROLES) {
    if (site.read.configured.has(role) && subnetOf(role) === undefined && !nicNsgs.has(role)) {
      throw new SeguraValidationError(names.option(role, 'nsg'), `is required: the NSG on the subnet of ${TITLES[role]![0]} `
        + `(or give the NSGs on their NICs with ${names.option(role, 'nicNsg')})`);
    }
  }
  const placed = PROTECTED_ROLES.filter(role => site.read.configured.has(role) && (subnetOf(role) !== undefined || nicNsgs.has(role)));
  const placement = PROTECTED_ROLES.filter(role => site.read.configured.has(role) && (placed.includes(role) || asgs.has(role))).map(role => {
    const instances = instancesOf(site, role, names);
    const option = names.option(role, 'nicNsg');
    const nics = nicNsgs.get(role);
    if (nics && nics.length !== 1 && nics.length !== instances.length) {
      throw new SeguraValidationError(option, `${nics.length} NSGs for the ${instances.length} instances of ${ROLES[role].property}: `
        + 'give one NSG for every instance, or one per instance in the config\'s order');
    }
    const nicRef = (i: number): NsgRef | undefined => (nics ? { ref: nics.length === 1 ? nics[0] : nics[i], option: nics.length === 1 ? option : `${option}[${i}]` } : undefined);
    const subnet = subnetOf(role);
    return {
      role,
      placed: placed.includes(role),
      subnetNsg: subnet === undefined ? undefined : { ref: subnet, option: names.option(role, 'nsg') },
      nicNsgs: instances.map((_, i) => nicRef(i)),
      asgs: (asgs.get(role) ?? []).map((id, i) => ({ id, option: `${names.option(role, 'asgs')}[${i}]` })),
      instances,
    };
  });
  // The VirtualNetwork tag must hold the instances it filters, or the default rules would not apply to their VNet.
  for (const p of placement.filter(x => x.placed)) {
    p.instances.forEach((e, i) => {
      if (!vnet.covers(e.set)) {
        throw new SeguraValidationError(names.vnet, `does not contain ${ROLES[p.role as Role].property}[${i}] ${e.address} of the config: the VirtualNetwork tag `
          + 'holds the instances\' own VNet; give its address spaces (az network vnet show -g RESOURCE_GROUP -n VNET --query addressSpace.addressPrefixes), '
          + 'and those of peered and on-premises networks');
      }
    });
  }
  const unplacedAsgs: UnplacedRole[] = placement.filter(p => p.asgs.length === 0)
    .map(p => ({ title: TITLES[p.role as Role]![1], option: names.option(p.role as Role, 'asgs') }));
  const model = read();
  const state = matchAzure(model, { placement, vnet, unplacedAsgs });
  return compare(site.read.flows, site.endpoints, state);
}
