/**
 * The keys each reader of a configuration takes, for the tests that check "Known: ..."
 * lists and try every key: read from the data (the role table, the options schema's
 * `usedBy`), so that a new role or option reaches them with no test edited. Only what
 * each cloud takes of its own is written here. Computed directly from the data, not
 * through the library's own key functions (knownKeys, keysUnder), which the tests check.
 */
import { RULE_OPTIONS } from '../../lib/core/config';
import { ALL_ROLES, Role, ROLES } from '../../lib/core/roles';

/** What the AWS SeguraCluster takes of its own, besides the peers and the rule options. */
export const AWS_CLUSTER_OWN_KEYS: readonly string[] = ['vpc', 'ruleQuota', 'maxSecurityGroups', 'layoutFile'];
/** What the Azure SeguraCluster takes of its own. */
export const AZURE_CLUSTER_OWN_KEYS: readonly string[] = ['resourceGroupName', 'location', 'namePrefix', 'keepAzureDefaultRules', 'tags'];

/** The roles whose peers the constructs take as a list. */
export const CONSTRUCT_ROLES: readonly Role[] = ALL_ROLES.filter(r => ROLES[r].peerListInConstructs);

/** Who reads a configuration, as the options schema names them. */
export type Reader = 'constructs' | 'cli' | 'audit';

/** The rule options `reader` acts on, in the schema's order. */
export function optionsFor(reader: Reader): string[] {
  return Object.entries(RULE_OPTIONS).filter(([, spec]) => spec.usedBy.includes(reader)).map(([key]) => key);
}

/** The rule options `reader` would ignore (and so refuses). */
export function optionsNotFor(reader: Reader): string[] {
  return Object.keys(RULE_OPTIONS).filter(k => !optionsFor(reader).includes(k));
}

/** Every property path of `roles` (`users`, `management.ntp`, `aptProxy.peers`, `aptProxy.port`), in table order. */
export function rolePaths(roles: readonly Role[]): string[] {
  const out: string[] = [];
  for (const r of roles) for (const p of [ROLES[r].property, ROLES[r].port?.property]) if (p && !out.includes(p)) out.push(p);
  return out;
}

/** The keys under `container` ('' for the top level) of a configuration holding `roles`, in table order. */
export function keysAt(container: string, roles: readonly Role[]): string[] {
  const depth = container === '' ? 0 : container.split('.').length;
  const out: string[] = [];
  for (const p of rolePaths(roles)) {
    const parts = p.split('.');
    if (parts.length > depth && parts.slice(0, depth).join('.') === container && !out.includes(parts[depth])) out.push(parts[depth]);
  }
  return out;
}

/** The top-level keys a cluster construct takes, its own first. */
export function clusterKeys(own: readonly string[]): string[] {
  return [...own, ...keysAt('', CONSTRUCT_ROLES), ...optionsFor('constructs')];
}

/** The top-level keys of a config file read by the CLI's matrix and diagram commands, or by the audit. */
export function configFileKeys(reader: 'cli' | 'audit'): string[] {
  return ['$schema', ...keysAt('', ALL_ROLES), ...optionsFor(reader)];
}
