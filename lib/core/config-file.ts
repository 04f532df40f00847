/**
 * A site's configuration as JSON (the CLI's config file, the audit's input): the
 * constructs' options with peers as CIDR strings, plus the Segura nodes' and
 * gateways' own addresses (`primary`, `members`, `domum`, `arbitrator`). Its keys
 * come from the role table; schema/segura-firewall.schema.json documents it
 * (generated from the same table by scripts/generate/config-schema.ts).
 */
import { contains, parseCidr, validateCidr } from './cidr';
import { collectPeers, keysUnder, optionKeysFor, OptionUser, planOptionsOf, propsShape, rejectIgnoredOptions, rejectUnknownKeys, RuleOptions } from './config';
import { describeValue, SeguraValidationError } from './errors';
import { Flow, planFlows } from './plan';
import { copyProps } from './props';
import { ALL_ROLES, GATEWAY_ROLES, isNode, NODE_ROLES, Role, ROLES } from './roles';
import { checkAllowAnyAddress, listProperty, worldOpenCidr, worldOpenMessage, worldOpenUnion } from './world-open';

/** Who reads a config file: the CLI's matrix and diagram commands, or the audit. */
export type ConfigReader = Extract<OptionUser, 'cli' | 'audit'>;

/** The keys a config file takes at its top level, for one reader (the rule options it acts on). */
export function configKeys(reader: ConfigReader): string[] {
  return ['$schema', ...keysUnder('', ALL_ROLES), ...optionKeysFor(reader)];
}

/** The keys the CLI's matrix and diagram commands take at a config file's top level. */
export const CONFIG_KEYS: readonly string[] = Object.freeze(configKeys('cli'));

function validateAddress(property: string, value: unknown): void {
  if (typeof value !== 'string') throw new SeguraValidationError(property, `expected a CIDR string such as "10.0.0.0/16", got ${describeValue(value)}`);
  validateCidr(property, value);
}

/** A configuration, read: the addresses of every configured role and the plan. */
export interface ReadConfig {
  /** The addresses of a role; the role's name when the config gives none for a node. */
  readonly addresses: (role: Role) => string[];
  /** The addresses the config gives, by role (only the roles it gives). */
  readonly configured: ReadonlyMap<Role, readonly string[]>;
  /** The flows of the plan. */
  readonly flows: Flow[];
  /** What deserves a warning but not a refusal: peers covering every address. */
  readonly warnings: string[];
}

/** The roles whose addresses are the instances' own: the Segura nodes and the gateways. */
const INSTANCE_ROLES: readonly Role[] = Object.freeze([...NODE_ROLES, ...GATEWAY_ROLES]);

/**
 * An instance has one role: an address given to two instance roles (`primary` and
 * `members`, say), or prefixes of two that overlap, is an error naming both.
 */
function checkInstances(peers: ReadonlyMap<Role, readonly string[]>): void {
  const seen: Array<{ property: string; cidr: string; prefix: ReturnType<typeof parseCidr> }> = [];
  for (const role of INSTANCE_ROLES) {
    (peers.get(role) ?? []).forEach((cidr, i) => {
      const property = `${ROLES[role].property}[${i}]`;
      const prefix = parseCidr(property, cidr);
      const other = seen.find(o => listProperty(o.property) !== ROLES[role].property && (contains(o.prefix, prefix) || contains(prefix, o.prefix)));
      if (other) {
        const same = other.prefix.length === prefix.length;
        throw new SeguraValidationError(property, `"${cidr}" ${same ? `is also ${other.property}` : `overlaps ${other.property} ("${other.cidr}")`}: an instance has one role `
          + `(${INSTANCE_ROLES.map(r => ROLES[r].property).join(', ')}); give each instance's address to one of them`);
      }
      seen.push({ property, cidr, prefix });
    });
  }
}

/**
 * Check a parsed config file and compute its plan, for `reader` (the CLI's matrix and
 * diagram commands, or the audit): a rule option that reader would ignore is refused.
 * Throws SeguraValidationError naming the property.
 */
export function readConfig(config: unknown, reader: ConfigReader = 'cli'): ReadConfig {
  // One read: a plain copy of the records and lists, validated and used.
  config = copyProps(config, propsShape(ALL_ROLES, 'config', () => 'expected a JSON object'));
  rejectIgnoredOptions(config as object, reader);
  rejectUnknownKeys('', config as object, configKeys(reader));
  const allowed = checkAllowAnyAddress((config as RuleOptions).allowAnyAddress, ALL_ROLES);
  const warnings: string[] = [];
  const validate = (property: string, value: unknown) => {
    validateAddress(property, value);
    const open = worldOpenCidr(value as string);
    const role = ALL_ROLES.find(r => ROLES[r].property === listProperty(property))!;
    if (open && !allowed.has(listProperty(property))) warnings.push(`${property}: ${worldOpenMessage(role, property, open, (config as RuleOptions).portOverrides)}`);
  };
  const peers = new Map(collectPeers<string>(config as object, validate, ALL_ROLES).map(({ role, peers: list }) => [role, list]));
  checkInstances(peers);
  // A role's prefixes may together cover every address: warned on their union too.
  for (const [role, list] of peers) {
    const property = ROLES[role].property;
    const union = allowed.has(property) ? undefined : worldOpenUnion(list);
    if (union) warnings.push(`${property}: ${worldOpenMessage(role, property, union, (config as RuleOptions).portOverrides)}`);
  }
  const flows = planFlows({
    ...planOptionsOf([...peers.keys()].filter(r => !isNode(r)), config as RuleOptions),
    // Without members, the Primary stands alone: no cluster rows.
    clusterMembers: peers.has(Role.MBR),
  });
  return {
    addresses: role => peers.get(role) ?? (role === Role.PRD ? [Role.PRD] : []),
    configured: peers,
    flows,
    warnings,
  };
}
