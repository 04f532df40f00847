/**
 * An audit from its inputs: the site's config (read as the CLI reads it), the
 * placement of the Segura instances (groups on AWS, NSGs and ASGs on Azure), the
 * export. Inputs are checked first; every error names the input and the field.
 */
import { AddressSet } from './address-set';
import { readAwsExport } from './aws-export';
import { readAzureExport } from './azure-export';
import { compare, Endpoint } from './compare';
import { AuditReport } from './types';
import { checkString, checkStringList, isPlainObject } from '../core/checks';
import { parseCidr } from '../core/cidr';
import { readConfig, ReadConfig } from '../core/config-file';
import { describeValue, didYouMean, SeguraValidationError } from '../core/errors';
import { GATEWAY_ROLES, NODE_ROLES, Role, ROLES } from '../core/roles';

/** The roles whose instances the exported rules protect: the nodes and the gateways. */
export const PROTECTED_ROLES: readonly Role[] = Object.freeze([...NODE_ROLES, ...GATEWAY_ROLES]);

/** How messages name the inputs and options (the library's property names, or the CLI's files and flags). */
export interface AuditNames {
  /** Prefix of config errors: `config.` or `site.json: `. */
  readonly config: string;
  /** Prefix of export errors: `securityGroups: ` or `sgs.json: `. */
  readonly export: string;
  /** Prefix of prefix-list errors (AWS). */
  readonly prefixLists: string;
  /** The option giving a role's placement: `groups.members`, `--member`. */
  readonly option: (role: Role, what: 'groups' | 'nsg' | 'asgs') => string;
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
  const read = within(names.config, () => readConfig(config));
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
function roleMap<T>(property: string, value: unknown, roles: readonly Role[], check: (property: string, v: unknown) => T): Map<Role, T> {
  if (value === undefined) return new Map();
  if (!isPlainObject(value)) throw new SeguraValidationError(property, `expected an object keyed by ${roles.map(r => ROLES[r].property).join(', ')}, got ${describeValue(value)}`);
  const out = new Map<Role, T>();
  for (const [key, v] of Object.entries(value)) {
    const role = roles.find(r => ROLES[r].property === key);
    if (!role) {
      const known = roles.map(r => ROLES[r].property);
      throw new SeguraValidationError(`${property}.${key}`, `unknown role.${didYouMean(key, known)} Known: ${known.join(', ')}`);
    }
    out.set(role, check(`${property}.${key}`, v));
  }
  return out;
}

/** Each placed role has instances in the config, and each instance role of the config that must be placed is. */
function checkPlacement(site: Site, placed: ReadonlySet<Role>, required: readonly Role[], names: AuditNames, what: 'groups' | 'nsg' | 'asgs'): void {
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

const groupList = (property: string, v: unknown) => {
  const list = checkStringList(property, v, 'security group IDs')!;
  if (list.length === 0) throw new SeguraValidationError(property, 'is empty: give the IDs of the groups the instances wear');
  return list;
};

/** The AWS audit's inputs, as the public API takes them. */
export interface AwsAuditInput {
  readonly config: unknown;
  readonly securityGroups: unknown;
  readonly prefixLists?: unknown;
  readonly groups: unknown;
}

export function auditAws(input: AwsAuditInput, names: AuditNames): AuditReport {
  const site = readSite(input.config, names);
  const groups = roleMap('groups', input.groups, PROTECTED_ROLES, groupList);
  checkPlacement(site, new Set(groups.keys()), NODE_ROLES, names, 'groups');
  const placement = [...groups].map(([role, ids]) => ({ role, option: names.option(role, 'groups'), groups: ids, instances: instancesOf(site, role, names) }));
  const state = readAwsExport(input.securityGroups, input.prefixLists, placement, { securityGroups: names.export, prefixLists: names.prefixLists });
  return compare(site.read.flows, site.endpoints, state);
}

/** The Azure audit's inputs, as the public API takes them. */
export interface AzureAuditInput {
  readonly config: unknown;
  readonly networkSecurityGroups: unknown;
  readonly clusterNsg: unknown;
  readonly gatewayNsgs?: unknown;
  readonly applicationSecurityGroups?: unknown;
  readonly virtualNetworkPrefixes: unknown;
}

export function auditAzure(input: AzureAuditInput, names: AuditNames): AuditReport {
  const site = readSite(input.config, names);
  const clusterNsg = checkString(names.option(Role.PRD, 'nsg'), input.clusterNsg, 'the name or ID of the cluster\'s NSG');
  if (!clusterNsg) throw new SeguraValidationError(names.option(Role.PRD, 'nsg'), 'is required: the NSG in front of the Primary and the members');
  const gatewayNsgs = roleMap('gatewayNsgs', input.gatewayNsgs, GATEWAY_ROLES, (p, v) => checkString(p, v, 'an NSG name or ID')!);
  const asgs = roleMap('applicationSecurityGroups', input.applicationSecurityGroups, PROTECTED_ROLES, (p, v) => checkStringList(p, v, 'ASG resource IDs')!);
  const vnetProperty = 'virtualNetworkPrefixes';
  const vnetList = checkStringList(vnetProperty, input.virtualNetworkPrefixes, 'CIDRs');
  if (!vnetList || vnetList.length === 0) {
    throw new SeguraValidationError(vnetProperty, 'is required: the address spaces the VirtualNetwork tag stands for (your VNet\'s, peered VNets\', on-premises ones)');
  }
  const vnet = vnetList.reduce((acc, c, i) => acc.union(AddressSet.ofPrefixes([parseCidr(`${vnetProperty}[${i}]`, c)])), AddressSet.EMPTY);
  checkPlacement(site, new Set(gatewayNsgs.keys()), [], names, 'nsg');
  checkPlacement(site, new Set(asgs.keys()), [], names, 'asgs');
  const nsgOf = (role: Role) => (NODE_ROLES.includes(role) ? clusterNsg : gatewayNsgs.get(role));
  const placement = PROTECTED_ROLES.filter(role => site.read.configured.has(role) && nsgOf(role) !== undefined).map(role => ({
    role, nsg: nsgOf(role)!, nsgOption: names.option(role, 'nsg'), asgs: asgs.get(role) ?? [], instances: instancesOf(site, role, names),
  }));
  const state = readAzureExport(input.networkSecurityGroups, placement, vnet, names.export);
  return compare(site.read.flows, site.endpoints, state);
}
