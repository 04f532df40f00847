/**
 * Azure rendering: flows to NSG rules. Knows NSGs; knows no document rows.
 * One rule per (direction, other-end role, protocol) and kind of peer, with every
 * port of it in `destination_port_ranges`, every prefix in `*_address_prefixes`, and
 * the Segura nodes matched by their ASGs: the count grows with neither members nor
 * prefixes. A rule's priority comes from its slot in the catalog of all possible
 * rules (what it is), never from its position in this configuration.
 */
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import type { AzurePlacementOptions } from './cluster';
import { Peer, PeerKind } from './peer';
import { validateCidr } from '../core/cidr';
import { describeValue, SeguraValidationError } from '../core/errors';
import { Protocol, Role } from '../core/matrix';
import { Flow, planFlows } from '../core/plan';
import { formatRange, mergePorts } from '../core/ports';
import { describeRule, Direction, sidesOf, slotCatalog, slotKey } from '../core/rules';

/** First priority used for allow rules. */
export const FIRST_PRIORITY = 100;
/** Priorities reserved for one slot: its prefix rule, then one per service tag or ASG peer. */
export const SLOT_STRIDE = 50;
/** The deny-all rules' priority, the last one Azure allows. */
export const DENY_PRIORITY = 4096;
/** Azure's limits on a rule's name and description. */
const MAX_NAME = 80;
const MAX_DESCRIPTION = 140;

export const isUnresolved = (v: unknown): boolean => Token.isUnresolved(v);

const SHORT: Partial<Record<Role, string>> = {
  [Role.NTP_SERVER]: 'NTP',
  [Role.DNS_SERVER]: 'DNS',
  [Role.MAIL_SERVER]: 'MAIL',
  [Role.LDAP_SERVER]: 'LDAP',
  [Role.RADIUS_SERVER]: 'RADIUS',
  [Role.TACACS_SERVER]: 'TACACS',
  [Role.LOG_SERVER]: 'SYSLOG',
  [Role.BACKUP_SERVER]: 'BACKUP',
  [Role.PACKAGE_MIRROR]: 'MIRROR',
  [Role.APT_PROXY]: 'APTPROXY',
};
const short = (role: Role): string => SHORT[role] ?? role;
const NODE_ORDER = [Role.PRD, Role.MBR, Role.DOMUM];

/** An NSG endpoint: ASGs, one prefix or service tag, or a list of prefixes. */
type Endpoint = { asgIds: string[] } | { prefix: string } | { prefixes: string[] };

function endpointOf(peers: Peer[]): Endpoint {
  const kind = peers[0].kind;
  if (kind === PeerKind.APPLICATION_SECURITY_GROUP) return { asgIds: peers.map(p => p.value) };
  if (kind === PeerKind.SERVICE_TAG || peers.length === 1) return { prefix: peers[0].value };
  return { prefixes: [...new Set(peers.map(p => p.value))] };
}

/** Azure takes up to 10 application security groups on one side of a rule. */
const MAX_ASGS_PER_RULE = 10;

/** The prefixes of a role in one rule, its ASGs in rules of up to 10, each service tag in a rule of its own. */
function buckets(peers: Peer[]): Peer[][] {
  const unique = peers.filter((p, i, all) => all.findIndex(q => q.kind === p.kind && q.value === p.value) === i);
  const prefixes = unique.filter(p => p.kind === PeerKind.ADDRESS_PREFIX);
  const asgs = unique.filter(p => p.kind === PeerKind.APPLICATION_SECURITY_GROUP);
  const tags = unique.filter(p => p.kind === PeerKind.SERVICE_TAG);
  const asgChunks: Peer[][] = [];
  for (let i = 0; i < asgs.length; i += MAX_ASGS_PER_RULE) asgChunks.push(asgs.slice(i, i + MAX_ASGS_PER_RULE));
  return [...(prefixes.length ? [prefixes] : []), ...asgChunks, ...tags.map(p => [p])];
}

function setEndpoint(side: 'source' | 'destination', e: Endpoint): Record<string, unknown> {
  if ('asgIds' in e) return { [`${side}ApplicationSecurityGroupIds`]: e.asgIds };
  if ('prefix' in e) return { [`${side}AddressPrefix`]: e.prefix };
  return { [`${side}AddressPrefixes`]: e.prefixes };
}

/** Where rules go and who is who. */
export interface NsgTarget {
  readonly scope: Construct;
  readonly nsg: NetworkSecurityGroup;
  readonly resourceGroupName: string;
  /** The roles whose NICs this NSG protects, with their ASG IDs. */
  readonly owned: Map<Role, string>;
  /** The slot catalog of this NSG. */
  readonly catalog: readonly string[];
  /** Peers of the roles at the other end (for PRD/MBR/DOMUM: their ASG). */
  readonly peersOf: (role: Role) => Peer[];
  /** Names already used in this NSG (shared between constructs adding to one NSG). */
  readonly names: Set<string>;
  /** Roles at the other end that share rules (their ports are the same): e.g. PRD and MBR seen from Domum. */
  readonly combinedPeers?: readonly Role[];
}

const catalogs = new Map<string, string[]>();

/** The slot catalog of an NSG owning `owned` (static: computed once per process). */
export function catalogOf(owned: readonly Role[], combinedPeers?: readonly Role[]): string[] {
  const key = `${owned.join()}|${combinedPeers?.join() ?? ''}`;
  let catalog = catalogs.get(key);
  if (!catalog) {
    catalog = slotCatalog(owned, peerRoles => planFlows({ peerRoles }), peerKeyFor(combinedPeers));
    catalogs.set(key, catalog);
  }
  return catalog;
}

/** The other end of a rule as a key: roles combined by the target share one. */
export function peerKeyFor(combined: readonly Role[] | undefined): (role: Role) => string {
  return role => combined?.includes(role) ? combined.join('_') : role;
}

/** Write the sides of `flows` that fall on `target.owned` as NSG rules. */
export function renderNsgRules(flows: Flow[], target: NsgTarget): NetworkSecurityRule[] {
  const peerKey = peerKeyFor(target.combinedPeers);
  interface Group { direction: Direction; peer: string; peerRoles: Set<Role>; protocol: Protocol; holders: Set<Role>; flows: Flow[] }
  const groups = new Map<string, Group>();
  for (const side of sidesOf(flows, [...target.owned.keys()])) {
    const peer = peerKey(side.peerRole);
    const key = slotKey(side.direction, peer, side.flow.protocol);
    const g = groups.get(key)
      ?? { direction: side.direction, peer, peerRoles: new Set<Role>(), protocol: side.flow.protocol, holders: new Set<Role>(), flows: [] };
    g.holders.add(side.holder);
    g.peerRoles.add(side.peerRole);
    if (!g.flows.includes(side.flow)) g.flows.push(side.flow);
    groups.set(key, g);
  }
  const rules: NetworkSecurityRule[] = [];
  const keys = [...groups.keys()].sort((a, b) => target.catalog.indexOf(a) - target.catalog.indexOf(b));
  for (const key of keys) {
    const g = groups.get(key)!;
    const slot = target.catalog.indexOf(key);
    if (slot < 0) throw new Error(`segura-constructs: no priority slot for ${key} (please report this bug)`);
    const ranges = mergePorts(g.flows.map(f => f.port), isUnresolved);
    const ports = ranges.map(r => isUnresolved(r.from) ? Token.asString(r.from) : formatRange(r));
    const holders = NODE_ORDER.filter(r => g.holders.has(r));
    const holderEndpoint: Endpoint = { asgIds: holders.map(h => target.owned.get(h)!) };
    const dir = g.direction === 'ingress' ? 'In' : 'Out';
    const peerRoles = [...g.peerRoles];
    const peerName = peerRoles.length === 1 ? short(peerRoles[0]) : g.peer;
    const baseName = `Segura-${dir}-${holders.join('_')}-${g.direction === 'ingress' ? 'from' : 'to'}-${peerName}-${g.protocol === Protocol.TCP ? 'Tcp' : 'Udp'}`;
    const peerBuckets = buckets(peerRoles.flatMap(r => target.peersOf(r)));
    peerBuckets.forEach((bucket, i) => {
      if (i >= SLOT_STRIDE) {
        throw new SeguraValidationError(`${peerName} peers`, `${peerBuckets.length} separate service-tag or ASG peers need more than the ${SLOT_STRIDE} priorities a rule slot has; use fewer tags or ASGs, or prefixes`);
      }
      const priority = FIRST_PRIORITY + slot * SLOT_STRIDE + i;
      if (priority >= DENY_PRIORITY) {
        throw new SeguraValidationError('priority', `rule ${baseName} would need priority ${priority}, past the last allow priority ${DENY_PRIORITY - 1}: more rules than fit in the priority space`);
      }
      const name = (i === 0 ? baseName : `${baseName}-${i + 1}`).slice(0, MAX_NAME);
      if (target.names.has(name)) throw new Error(`segura-constructs: rule name ${name} used twice (please report this bug)`);
      target.names.add(name);
      const peerEndpoint = endpointOf(bucket);
      const [source, destination] = g.direction === 'ingress' ? [peerEndpoint, holderEndpoint] : [holderEndpoint, peerEndpoint];
      const flowsSorted = [...g.flows].sort((a, b) => a.ordinal - b.ordinal);
      const description = describeRule({ flows: flowsSorted, protocol: g.protocol }, MAX_DESCRIPTION);
      rules.push(new NetworkSecurityRule(target.scope, name, {
        name,
        priority,
        direction: g.direction === 'ingress' ? 'Inbound' : 'Outbound',
        access: 'Allow',
        protocol: g.protocol === Protocol.TCP ? 'Tcp' : 'Udp',
        sourcePortRange: '*',
        ...(ports.length === 1 ? { destinationPortRange: ports[0] } : { destinationPortRanges: ports }),
        ...setEndpoint('source', source),
        ...setEndpoint('destination', destination),
        resourceGroupName: target.resourceGroupName,
        networkSecurityGroupName: target.nsg.name,
        description,
      } as any));
    });
  }
  return rules;
}

/** The explicit deny-all rules that end an NSG, above Azure's permissive defaults. */
export function renderDenyAll(scope: Construct, nsg: NetworkSecurityGroup, resourceGroupName: string): void {
  for (const direction of ['Inbound', 'Outbound']) {
    const name = `Segura-DenyAll${direction}`;
    new NetworkSecurityRule(scope, name, {
      name,
      priority: DENY_PRIORITY,
      direction,
      access: 'Deny',
      protocol: '*',
      sourcePortRange: '*',
      destinationPortRange: '*',
      sourceAddressPrefix: '*',
      destinationAddressPrefix: '*',
      resourceGroupName,
      networkSecurityGroupName: nsg.name,
      description: `Deny what the Segura firewall matrix does not allow (overrides Azure's Allow${direction === 'Inbound' ? 'VnetInBound' : 'VnetOutBound/AllowInternetOutBound'})`.slice(0, MAX_DESCRIPTION),
    });
  }
}

/** A name for Azure resources: letters, digits, '-', '_', '.', at most 80. */
export function checkNamePrefix(property: string, prefix: string): void {
  if (isUnresolved(prefix)) return;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,59}$/.test(prefix)) {
    throw new SeguraValidationError(property, `"${prefix}" is not a usable name prefix; expected 1-60 letters, digits, '-', '_' or '.', starting with a letter or digit`);
  }
}

const SERVICE_TAG = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)?$/;
const ASG_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/applicationSecurityGroups\/[^/]+$/i;

/** Check a user-supplied peer; tokens are not checked early. */
export function validateAzurePeer(property: string, peer: Peer): void {
  if (!(peer instanceof Peer)) {
    throw new SeguraValidationError(property, `expected a Peer (e.g. Peer.ipv4('10.0.0.0/16')), got ${describeValue(peer)}`);
  }
  if (Token.isUnresolved(peer.value)) return;
  switch (peer.kind) {
    case PeerKind.ADDRESS_PREFIX:
      validateCidr(property, peer.value);
      return;
    case PeerKind.SERVICE_TAG:
      if (!SERVICE_TAG.test(peer.value)) {
        throw new SeguraValidationError(property, `"${peer.value}" is not a service tag; expected a name such as "AzureCloud" or "Storage.WestUS"`);
      }
      return;
    case PeerKind.APPLICATION_SECURITY_GROUP:
      if (!ASG_ID.test(peer.value)) {
        throw new SeguraValidationError(property, `"${peer.value}" is not an application security group ID (/subscriptions/.../providers/Microsoft.Network/applicationSecurityGroups/NAME)`);
      }
      return;
  }
}

/** Check resource group and location. */
export function checkPlacement(props: AzurePlacementOptions): void {
  for (const key of ['resourceGroupName', 'location'] as const) {
    const v = props[key];
    if (typeof v !== 'string' || (!isUnresolved(v) && v.trim() === '')) {
      throw new SeguraValidationError(key, `is required (a non-empty string), got ${JSON.stringify(v)}`);
    }
  }
  if (props.namePrefix !== undefined) checkNamePrefix('namePrefix', props.namePrefix);
}


/**
 * The association resources, each loaded on first use: a provider resource module
 * is large, and an app that associates by other means should not pay for it.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
export const associations = {
  subnetNsg: () => (require('@cdktf/provider-azurerm/lib/subnet-network-security-group-association') as
    typeof import('@cdktf/provider-azurerm/lib/subnet-network-security-group-association')).SubnetNetworkSecurityGroupAssociation,
  nicNsg: () => (require('@cdktf/provider-azurerm/lib/network-interface-security-group-association') as
    typeof import('@cdktf/provider-azurerm/lib/network-interface-security-group-association')).NetworkInterfaceSecurityGroupAssociation,
  nicAsg: () => (require('@cdktf/provider-azurerm/lib/network-interface-application-security-group-association') as
    typeof import('@cdktf/provider-azurerm/lib/network-interface-application-security-group-association')).NetworkInterfaceApplicationSecurityGroupAssociation,
};
/* eslint-enable @typescript-eslint/no-require-imports */
