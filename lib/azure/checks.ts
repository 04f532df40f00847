/**
 * What an NSG of the library will hold, checked when the App synthesizes: every
 * azurerm_network_security_rule written on it (the library's and your own, with their
 * overrides), read as Terraform will get them. Azure refuses at deploy what these
 * checks refuse at synth:
 * - two rules at one priority and direction (SecurityRuleConflict), or of one name;
 * - more than 1,000 rules on an NSG, more than 100 ASGs named by its rules;
 * - a priority outside 100-4096, more than 4,000 prefixes or 10 ASGs on one side of a
 *   rule, IPv4 and IPv6 prefixes in one rule, a value given twice in one list;
 * - rules inline in the NSG (`security_rule`) beside rule resources, which azurerm
 *   cannot manage together.
 * And nothing the configuration did not allow: an allow rule of the library's whose
 * peers cover every address of a family (alone, or together for one role) while
 * allowAnyAddress does not name the role.
 * Azure's limits: https://learn.microsoft.com/azure/azure-resource-manager/management/azure-subscription-service-limits#networking-limits
 */
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { DefaultTokenResolver, StringConcat, TerraformStack, Token, Tokenization } from 'cdktf';
import { IConstruct } from 'constructs';
import { PeerKind } from './peer';
import { worldOpenValue } from './peers';
import { LIBRARY_RULES } from './render';
import { DENY_PRIORITY, FIRST_PRIORITY, USER_BAND_FIRST } from './slots';
import { parseCidr, tryParseCidr } from '../core/cidr';
import { propertyOf, Role } from '../core/roles';
import { worldOpenUnion } from '../core/world-open';

const MAX_RULES_PER_NSG = 1000;
const MAX_ASGS_PER_NSG = 100;
const MAX_PREFIXES_PER_SIDE = 4000;
const MAX_ASGS_PER_SIDE = 10;

/** A value as Terraform will get it, tokens written as Terraform expressions. */
function resolve(scope: IConstruct, value: unknown): any {
  return Tokenization.resolve(value, { scope: TerraformStack.of(scope), preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) });
}

/** One resource's attributes as written (overrides included). */
function attributesOf(resource: NetworkSecurityRule | NetworkSecurityGroup, type: string): Record<string, any> {
  const written = resolve(resource, resource.toTerraform());
  return Object.values<Record<string, any>>(written?.resource?.[type] ?? {})[0] ?? {};
}

/** A rule on the NSG, as written. */
interface WrittenRule {
  readonly construct: NetworkSecurityRule;
  readonly own: boolean;
  readonly roles: readonly Role[];
  readonly a: Record<string, any>;
}

const label = (r: WrittenRule) => `"${r.a.name}" (${r.construct.node.path})`;
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const literal = (v: unknown): v is string => typeof v === 'string' && !Token.isUnresolved(v) && !v.includes('${');

/** The rules written on `nsg` in the App: those naming it by reference (same stack) or by name in its resource group. */
function rulesOf(nsg: NetworkSecurityGroup): WrittenRule[] {
  const stack = TerraformStack.of(nsg);
  const mine = attributesOf(nsg, 'azurerm_network_security_group');
  const reference = resolve(nsg, nsg.name);
  const sameName = (a: Record<string, any>) => literal(a.network_security_group_name) && literal(mine.name)
    && a.network_security_group_name.toLowerCase() === mine.name.toLowerCase()
    && typeof a.resource_group_name === 'string' && typeof mine.resource_group_name === 'string'
    && a.resource_group_name.toLowerCase() === mine.resource_group_name.toLowerCase();
  const out: WrittenRule[] = [];
  for (const construct of nsg.node.root.node.findAll()) {
    if (!(construct instanceof NetworkSecurityRule)) continue;
    const a = attributesOf(construct, 'azurerm_network_security_rule');
    const byReference = TerraformStack.of(construct) === stack && a.network_security_group_name === reference;
    if (!byReference && !sameName(a)) continue;
    const own = LIBRARY_RULES.get(construct);
    out.push({ construct, own: own !== undefined, roles: own?.roles ?? [], a });
  }
  return out;
}

/** The addresses on the peer's side of a rule: the source of an inbound rule, the destination of an outbound one. */
function peerSide(r: WrittenRule): { prefixes: unknown[]; asgs: unknown[] } {
  const side = String(r.a.direction).toLowerCase() === 'inbound' ? 'source' : 'destination';
  return {
    prefixes: [...asList(r.a[`${side}_address_prefix`]), ...asList(r.a[`${side}_address_prefixes`])],
    asgs: asList(r.a[`${side}_application_security_group_ids`]),
  };
}

/** What on a rule's peer side covers every address, alone: `"0.0.0.0/0" is every IPv4 address`. */
function worldOpenIn(prefixes: readonly unknown[]): string | undefined {
  for (const p of prefixes.filter(literal)) {
    const what = worldOpenValue(p.includes('/') ? PeerKind.ADDRESS_PREFIX : PeerKind.SERVICE_TAG, p);
    if (what) return what;
  }
  return undefined;
}

/** The CIDRs among a list of prefixes and tags (those that parse). */
function cidrsIn(prefixes: readonly unknown[]): string[] {
  return prefixes.filter(literal).filter(p => tryParseCidr(p) !== undefined);
}

/** The per-rule limits and lists: errors for one rule. */
function ruleErrors(r: WrittenRule, nsgName: string): string[] {
  const errors: string[] = [];
  const where = `NSG ${nsgName}: rule ${label(r)}`;
  const priority = r.a.priority;
  if (typeof priority === 'number' && (!Number.isInteger(priority) || priority < FIRST_PRIORITY || priority > DENY_PRIORITY)) {
    errors.push(`${where} has priority ${priority}; Azure takes ${FIRST_PRIORITY}-${DENY_PRIORITY}`);
  }
  for (const side of ['source', 'destination']) {
    const prefixes = [...asList(r.a[`${side}_address_prefix`]), ...asList(r.a[`${side}_address_prefixes`])];
    const asgs = asList(r.a[`${side}_application_security_group_ids`]);
    if (prefixes.length > MAX_PREFIXES_PER_SIDE) errors.push(`${where} has ${prefixes.length} ${side} prefixes; Azure takes ${MAX_PREFIXES_PER_SIDE} on one side of a rule`);
    if (asgs.length > MAX_ASGS_PER_SIDE) errors.push(`${where} names ${asgs.length} ${side} ASGs; Azure takes ${MAX_ASGS_PER_SIDE} on one side of a rule`);
    const cidrs = cidrsIn(prefixes).map(c => parseCidr('', c));
    if (new Set(cidrs.map(c => c.family)).size > 1) errors.push(`${where} mixes IPv4 and IPv6 ${side} prefixes; Azure takes one family in a rule`);
    const twice = (list: unknown[], norm: (v: string) => string) => {
      const seen = new Set<string>();
      return list.filter(literal).map(norm).find(v => (seen.has(v) ? true : (seen.add(v), false)));
    };
    const prefixTwice = twice(prefixes, v => v.toLowerCase());
    const asgTwice = twice(asgs, v => v.toLowerCase());
    if (prefixTwice ?? asgTwice) errors.push(`${where} gives "${prefixTwice ?? asgTwice}" twice as a ${side}; Azure refuses a value twice in one list`);
  }
  return errors;
}

/**
 * The errors of what `nsg` will hold (see the file's comment). `allowed` says whether a
 * role's peers may cover every address; `denyAll` whether the library ends the NSG
 * with its deny-all rules (at 4096).
 */
export function nsgErrors(nsg: NetworkSecurityGroup, allowed: (role: Role) => boolean, denyAll: boolean): string[] {
  const rules = rulesOf(nsg);
  const mine = attributesOf(nsg, 'azurerm_network_security_group');
  const nsgName = literal(mine.name) ? `${mine.name} (${nsg.node.path})` : nsg.node.path;
  const errors: string[] = [];
  const band = `${USER_BAND_FIRST}-${DENY_PRIORITY - 1}${denyAll ? '' : ` or ${DENY_PRIORITY}`}`;

  if (asList(mine.security_rule).length > 0) {
    errors.push(`NSG ${nsgName} has rules inline (security_rule) beside its rule resources; azurerm manages an NSG's rules one way or the other, `
      + 'never both: write yours as azurerm_network_security_rule resources (NetworkSecurityRule)');
  }
  // One priority per direction, one name per NSG.
  const seen = new Map<string, WrittenRule>();
  const names = new Map<string, WrittenRule>();
  for (const r of rules) {
    if (typeof r.a.priority === 'number' && typeof r.a.direction === 'string') {
      const key = `${r.a.direction.toLowerCase()}|${r.a.priority}`;
      const other = seen.get(key);
      if (other) {
        errors.push(`NSG ${nsgName}: rules ${label(other)} and ${label(r)} both have priority ${r.a.priority} ${r.a.direction}; Azure refuses two rules `
          + `at one priority and direction (SecurityRuleConflict). Give your own rules priorities of their own in ${band}, the band the library `
          + 'leaves to them (after its allow rules, before its deny-all)');
      } else {
        seen.set(key, r);
      }
    }
    if (literal(r.a.name)) {
      const other = names.get(r.a.name.toLowerCase());
      if (other) errors.push(`NSG ${nsgName}: rules ${label(other)} and ${label(r)} have one name; a rule is its NSG's by name, so one would replace the other`);
      else names.set(r.a.name.toLowerCase(), r);
    }
    errors.push(...ruleErrors(r, nsgName));
  }
  // Azure's limits per NSG, your own rules counted.
  if (rules.length > MAX_RULES_PER_NSG) {
    const yours = rules.filter(r => !r.own).length;
    errors.push(`NSG ${nsgName} would hold ${rules.length} rules (${rules.length - yours} of the library's, ${yours} of yours); Azure allows ${MAX_RULES_PER_NSG} per NSG`);
  }
  const asgs = new Set(rules.flatMap(r => ['source', 'destination'].flatMap(side => asList(r.a[`${side}_application_security_group_ids`])))
    .map(id => (literal(id) ? id.toLowerCase() : JSON.stringify(id))));
  if (asgs.size > MAX_ASGS_PER_NSG) {
    errors.push(`NSG ${nsgName}: its rules name ${asgs.size} application security groups; Azure allows ${MAX_ASGS_PER_NSG} per NSG`);
  }
  // Nothing opened to every address that allowAnyAddress does not name: each rule, and each role's rules together.
  const allows = rules.filter(r => r.own && String(r.a.access).toLowerCase() === 'allow');
  for (const role of [...new Set(allows.flatMap(r => r.roles))].filter(x => !allowed(x))) {
    const ofRole = allows.filter(r => r.roles.includes(role));
    const single = ofRole.map(r => [r, worldOpenIn(peerSide(r).prefixes)] as const).find(([, what]) => what !== undefined);
    const union = single ? undefined : worldOpenUnion(ofRole.flatMap(r => cidrsIn(peerSide(r).prefixes)));
    if (single) {
      const toward = String(single[0].a.direction).toLowerCase() === 'inbound' ? 'from' : 'to';
      errors.push(`NSG ${nsgName}: rule ${label(single[0])} allows ${propertyOf(role)} ${toward} every address (${single[1]}), which allowAnyAddress does not name`);
    } else if (union) {
      errors.push(`NSG ${nsgName}: the rules of ${propertyOf(role)} allow every address together (${union}), which allowAnyAddress does not name`);
    }
  }
  return errors;
}
