/**
 * Writing NSG rules: the rules made by rules.ts as azurerm_network_security_rule
 * resources, and the deny-all rules that end an NSG.
 */
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { Peer } from './peer';
import { PRIORITY_SLOTS } from './priorities';
import { MAX_DESCRIPTION, NsgEndpoint, NsgRuleSpec, nsgRules, RuleTarget } from './rules';
import { DENY_PRIORITY, NsgKind } from './slots';
import { SeguraValidationError } from '../core/errors';
import { Flow } from '../core/plan';
import { RenderContext } from '../core/render-context';
import { Role } from '../core/roles';

/** The library's own rules, with the roles whose peers each names (the deny-all rules name none). */
export const LIBRARY_RULES = new WeakMap<NetworkSecurityRule, { readonly roles: readonly Role[] }>();

function setEndpoint(side: 'source' | 'destination', e: NsgEndpoint): Record<string, unknown> {
  if ('asgIds' in e) return { [`${side}ApplicationSecurityGroupIds`]: e.asgIds };
  if ('prefix' in e) return { [`${side}AddressPrefix`]: e.prefix };
  return { [`${side}AddressPrefixes`]: e.prefixes };
}

/** An NSG the library writes rules on. */
export interface NsgTarget {
  /** The NSG. */
  readonly nsg: NetworkSecurityGroup;
  /** Its resource group. */
  readonly resourceGroupName: string;
  /** What kind of NSG it is (its slot table). */
  readonly kind: NsgKind;
  /** The roles whose NICs it protects (the holders of its rules), with their ASG IDs. */
  readonly holders: ReadonlyMap<Role, string>;
  /** Peers of the roles at the other end (for PRD/MBR/gateways: their ASG). */
  readonly peersOf: (role: Role) => Peer[];
  /** What this NSG holds so far (shared by every construct writing on it). */
  readonly usage: NsgUsage;
}

/** An NSG's rules and the ASGs they name, across every construct writing on it. */
export interface NsgUsage {
  readonly names: Set<string>;
  readonly asgs: Set<string>;
}

/** A new, empty usage. */
export const newUsage = (): NsgUsage => ({ names: new Set(), asgs: new Set() });

/** Azure's limits per NSG. */
const MAX_RULES_PER_NSG = 1000;
const MAX_ASGS_PER_NSG = 100;
/** The library's deny-all rules, which count toward the NSG's rules. */
const DENY_RULES = 2;

/** Add `rules` to an NSG's usage, within Azure's limits per NSG (rules, and ASGs named by them). */
export function addToUsage(usage: NsgUsage, rules: readonly NsgRuleSpec[], nsg: string): void {
  for (const rule of rules) {
    if (usage.names.has(rule.name)) throw new Error(`segura-constructs: rule name ${rule.name} used twice (please report this bug)`);
    usage.names.add(rule.name);
    for (const end of [rule.source, rule.destination]) if ('asgIds' in end) end.asgIds.forEach(id => usage.asgs.add(id));
  }
  if (usage.asgs.size > MAX_ASGS_PER_NSG) {
    throw new SeguraValidationError('peers', `the rules of NSG ${nsg} would name ${usage.asgs.size} application security groups; `
      + `Azure allows ${MAX_ASGS_PER_NSG} per NSG. Give some peers as address prefixes instead of ASGs`);
  }
  if (usage.names.size + DENY_RULES > MAX_RULES_PER_NSG) {
    throw new SeguraValidationError('peers', `NSG ${nsg} would hold ${usage.names.size + DENY_RULES} rules with its deny-all rules; `
      + `Azure allows ${MAX_RULES_PER_NSG} per NSG. Use fewer service tags or ASG peers, or prefixes`);
  }
}

/** Write the sides of `flows` that fall on `target.holders` as NSG rules, under `scope`, as the render context says. */
export function renderNsgRules(scope: Construct, context: RenderContext, flows: readonly Flow[], target: NsgTarget): NetworkSecurityRule[] {
  const ruleTarget: RuleTarget = {
    holders: target.holders,
    peersOf: target.peersOf,
    combinedPeers: target.kind.combinedPeers,
    slots: PRIORITY_SLOTS[target.kind.name],
    tokenString: v => Token.asString(v),
  };
  const rules = nsgRules(context, flows, ruleTarget);
  addToUsage(target.usage, rules, target.nsg.node.path);
  return rules.map(rule => {
    const written = new NetworkSecurityRule(scope, rule.name, {
      name: rule.name,
      priority: rule.priority,
      direction: rule.direction,
      access: 'Allow',
      protocol: rule.protocol,
      sourcePortRange: '*',
      ...(rule.ports.length === 1 ? { destinationPortRange: rule.ports[0] } : { destinationPortRanges: rule.ports }),
      ...setEndpoint('source', rule.source),
      ...setEndpoint('destination', rule.destination),
      resourceGroupName: target.resourceGroupName,
      networkSecurityGroupName: target.nsg.name,
      description: rule.description,
    } as any);
    LIBRARY_RULES.set(written, { roles: rule.roles ?? [] });
    return written;
  });
}

/** The explicit deny-all rules that end an NSG, above Azure's permissive defaults. */
export function renderDenyAll(scope: Construct, nsg: NetworkSecurityGroup, resourceGroupName: string): void {
  for (const direction of ['Inbound', 'Outbound']) {
    const name = `Segura-DenyAll${direction}`;
    const written = new NetworkSecurityRule(scope, name, {
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
    LIBRARY_RULES.set(written, { roles: [] });
  }
}
