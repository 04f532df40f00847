/**
 * The configuration shared by every renderer and the CLI, cloud-neutral: which
 * property holds which role's peers (read from the role table), the options that
 * change the document's rows, and the checks on them. A renderer supplies its own
 * peer type and peer validation.
 */
import { checkStringList, isPlainObject } from './checks';
import { describeValue, didYouMean, SeguraValidationError } from './errors';
import { ClusterTraffic, PlanOptions } from './plan';
import { PropsShape } from './props';
import { ALL_ROLES, Role, RoleFacts, ROLES } from './roles';

/**
 * Options that change which rows of the document are opened, and on which ports.
 * Shared by the AWS and Azure constructs.
 */
export interface RuleOptions {
  /**
   * Destination port per row ID, replacing the documented port, e.g.
   * `{ 'MGT-SMTP': 587 }` for mail on 587 instead of the documented 420. Rows not
   * listed follow the document. An override on a row that does not apply to the
   * configuration (its peers are not configured) is an error.
   *
   * @default - every row on its documented port
   */
  readonly portOverrides?: { [rowId: string]: number };

  /**
   * Row IDs to leave closed, e.g. `['DVC-TELNET']` for no Telnet toward devices.
   *
   * @default - every row that applies is opened
   */
  readonly disabledRules?: string[];

  /**
   * Which instances reach each other on the cluster ports: every instance (the
   * vendor's installation guides: member to member too), or only the Primary and the
   * members (the firewall document read literally).
   *
   * @default ClusterTraffic.ALL_INSTANCES
   */
  readonly clusterTraffic?: ClusterTraffic;

  /**
   * The properties whose peers may cover every address (`0.0.0.0/0`, `::/0`; on Azure
   * the `Internet`, `*` and `AzureCloud` tags), alone or together (`0.0.0.0/1` and
   * `128.0.0.0/1`), e.g. `['packageMirrors']` when the mirrors' addresses change too
   * often to list. Anywhere else such peers are an error: they would open the role's
   * ports to or from the whole Internet.
   *
   * @default - no property: a world-open peer is an error
   */
  readonly allowAnyAddress?: string[];
}

/**
 * Who acts on an option: the plan (it changes the flows), the constructs (AWS and
 * Azure), the CLI's `matrix` and `diagram` commands, the audit (`segura-firewall
 * audit`, `FirewallAudit`, the validation plugin). Each refuses an option it would
 * ignore.
 */
export type OptionUser = 'plan' | 'constructs' | 'cli' | 'audit';

/** What readers of an option call themselves in errors. */
const USER_NAMES: Readonly<Record<OptionUser, string>> = Object.freeze({
  plan: 'the plan',
  constructs: 'the constructs',
  cli: 'the matrix and diagram commands',
  audit: 'the audit',
});

/** One option: its JSON schema, who acts on it, and its row of the README's options table. */
export interface OptionSpec {
  /** The value's JSON schema (the CLI config's schema is generated from it). */
  readonly schema: object;
  /** Who acts on it; everyone else refuses it (see rejectIgnoredOptions). */
  readonly usedBy: readonly OptionUser[];
  /** The README's options table: what it opens or does, and its default. */
  readonly readme: { readonly does: string; readonly default: string };
  /** Valid values, for the tests that try every option (the random-value test). */
  readonly examples: readonly unknown[];
}

const EVERYONE: readonly OptionUser[] = Object.freeze(['plan', 'constructs', 'cli', 'audit']);

/**
 * The options schema: every rule option, with its JSON schema and who uses it. The CLI
 * config's schema, the README's options table, the keys each reader accepts and the
 * tests' key lists derive from it.
 */
export const RULE_OPTIONS: Readonly<Record<keyof RuleOptions, OptionSpec>> = Object.freeze({
  portOverrides: {
    schema: {
      type: 'object',
      description: 'Row ID to port, e.g. { "MGT-SMTP": 587 }. Row IDs: docs/matrix.md.',
      additionalProperties: { $ref: '#/definitions/port' },
    },
    usedBy: EVERYONE,
    readme: { does: '`{ \'ROW-ID\': port }` replaces a row\'s documented port', default: 'document ports' },
    examples: [{}, { 'USR-SSH': 2222 }],
  },
  disabledRules: {
    schema: {
      type: 'array',
      description: 'Row IDs to leave closed, e.g. ["DVC-TELNET"].',
      items: { type: 'string' },
    },
    usedBy: EVERYONE,
    readme: { does: '`[\'ROW-ID\']` leaves a row closed', default: 'every row that applies' },
    examples: [[], ['USR-RDP']],
  },
  allowAnyAddress: {
    schema: {
      type: 'array',
      description: 'Properties whose peers may cover every address (0.0.0.0/0, ::/0), alone or together, e.g. ["packageMirrors"]. '
        + 'Elsewhere such peers are an error (a warning in the CLI).',
      items: { type: 'string' },
    },
    // The audit reports what the firewall opens, whatever the config allows: it would ignore it.
    usedBy: Object.freeze<OptionUser[]>(['constructs', 'cli']),
    readme: {
      does: '`[\'users\']`: role properties whose peers may cover every address, alone or together',
      default: 'none: a world-open peer, or peers that together are every address, is an error',
    },
    examples: [[]],
  },
  clusterTraffic: {
    schema: {
      enum: Object.values(ClusterTraffic),
      description: 'ALL_INSTANCES (default): every instance reaches every instance, member to member too (the vendor\'s installation guides). '
        + 'PRIMARY_AND_MEMBERS_ONLY: the firewall document read literally.',
    },
    usedBy: EVERYONE,
    readme: { does: '`ALL_INSTANCES` (member to member too) or `PRIMARY_AND_MEMBERS_ONLY`', default: '`ALL_INSTANCES`' },
    examples: Object.values(ClusterTraffic),
  },
});

/** The top-level keys of `RuleOptions`. */
export const RULE_OPTION_KEYS: readonly string[] = Object.freeze(Object.keys(RULE_OPTIONS));

/** The rule options `user` acts on, in schema order. */
export function optionKeysFor(user: OptionUser): string[] {
  return RULE_OPTION_KEYS.filter(k => RULE_OPTIONS[k as keyof RuleOptions].usedBy.includes(user));
}

/**
 * Throws on a rule option `user` would ignore (it is another reader's), naming the
 * key and who does use it: an option is acted on or refused, never silently dropped.
 */
export function rejectIgnoredOptions(value: object | undefined, user: OptionUser): void {
  if (value === undefined || value === null) return;
  for (const key of RULE_OPTION_KEYS) {
    const spec = RULE_OPTIONS[key as keyof RuleOptions];
    if ((value as Record<string, unknown>)[key] === undefined || spec.usedBy.includes(user)) continue;
    const users = spec.usedBy.filter(u => u !== 'plan').map(u => USER_NAMES[u]).join(' and of ');
    throw new SeguraValidationError(key, `${USER_NAMES[user]} would ignore it: it is an option of ${users}; leave it out`);
  }
}

/** A role whose addresses a configuration holds, and where. */
interface RoleProperty {
  readonly role: Role;
  readonly facts: RoleFacts;
  /** `management.syslog` as ['management', 'syslog']. */
  readonly path: readonly string[];
}

const rolePropertiesOf = (roles: readonly Role[]): RoleProperty[] =>
  roles.map(role => ({ role, facts: ROLES[role], path: ROLES[role].property.split('.') }));

/** Where the constructs hold peer lists: the roles with `peerListInConstructs`. */
export const CONSTRUCT_PEER_ROLES: readonly Role[] = Object.freeze(ALL_ROLES.filter(r => ROLES[r].peerListInConstructs));

/**
 * The keys a configuration holding `roles` takes at `container` ('' for the top
 * level, 'management', 'aptProxy'), from the role table: the next segment of every
 * role property under it, and the role's port property.
 */
export function keysUnder(container: string, roles: readonly Role[]): string[] {
  const prefix = container === '' ? [] : container.split('.');
  const keys: string[] = [];
  const add = (path: readonly string[]) => {
    if (path.length > prefix.length && prefix.every((p, i) => path[i] === p) && !keys.includes(path[prefix.length])) keys.push(path[prefix.length]);
  };
  for (const { facts, path } of rolePropertiesOf(roles)) {
    add(path);
    if (facts.port) add(facts.port.property.split('.'));
  }
  return keys;
}

/** The containers (objects holding role properties) of a configuration holding `roles`: 'management', 'aptProxy'. */
function containersOf(roles: readonly Role[]): string[] {
  const out: string[] = [];
  for (const { path } of rolePropertiesOf(roles)) {
    for (let i = 1; i < path.length; i++) {
      const c = path.slice(0, i).join('.');
      if (!out.includes(c)) out.push(c);
    }
  }
  return out;
}

/**
 * The shape of a configuration holding `roles` (what its one copy descends into): the
 * containers (`management`, `aptProxy`), `portOverrides` and `records` as records;
 * the role properties, `disabledRules` and `allowAnyAddress` as lists.
 */
export function propsShape(roles: readonly Role[], name: string, notPlain: (got: unknown) => string,
  records: Readonly<Record<string, string>> = {}): PropsShape {
  return {
    name,
    notPlain,
    records: { ...Object.fromEntries(containersOf(roles).map(c => [c, 'an object'])), portOverrides: 'an object of row ID to port', ...records },
    lists: [...rolePropertiesOf(roles).map(r => r.facts.property), 'disabledRules', 'allowAnyAddress'],
  };
}

/** The known top-level keys of a construct's props (or the CLI config): `extra`, role properties, the rule options `user` acts on. */
export function knownKeys(roles: readonly Role[], extra: readonly string[], user: OptionUser = 'constructs'): string[] {
  return [...extra, ...keysUnder('', roles), ...optionKeysFor(user)];
}

/** A configured role: its peers and the property they came from. */
export interface RolePeers<P> {
  readonly role: Role;
  readonly property: string;
  readonly peers: P[];
}

function checkList<P>(property: string, value: unknown, validatePeer: (property: string, peer: P) => void): P[] {
  if (!Array.isArray(value)) {
    throw new SeguraValidationError(property, `expected a list of peers, got ${describeValue(value)}`);
  }
  if (value.length === 0) {
    throw new SeguraValidationError(property, 'the peer list is empty; leave the property out to open nothing for this role');
  }
  value.forEach((peer, i) => validatePeer(`${property}[${i}]`, peer as P));
  return value as P[];
}

/** Throws on a property that is not among `known` (a typo would otherwise be ignored). */
export function rejectUnknownKeys(property: string, value: object | undefined, known: readonly string[]): void {
  if (value === undefined || value === null) return;
  for (const key of Object.keys(value)) {
    if ((value as Record<string, unknown>)[key] === undefined) continue;
    if (!known.includes(key)) {
      throw new SeguraValidationError(property ? `${property}.${key}` : key, `unknown property.${didYouMean(key, known)} Known: ${known.join(', ')}`);
    }
  }
}

function valueAt(config: object, path: readonly string[]): unknown {
  let v: unknown = config;
  for (const key of path) {
    if (v === undefined || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/**
 * The configured roles among `roles` with their (validated) peers, in role-table
 * order. Containers (`management`, `aptProxy`) are checked for unknown keys; a
 * container given without its role's peer list is an error.
 */
export function collectPeers<P>(config: object, validatePeer: (property: string, peer: P, role: Role) => void,
  roles: readonly Role[] = CONSTRUCT_PEER_ROLES): RolePeers<P>[] {
  for (const container of containersOf(roles)) {
    const value = valueAt(config, container.split('.'));
    if (value === undefined) continue;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new SeguraValidationError(container, `expected an object, got ${describeValue(value)}`);
    }
    rejectUnknownKeys(container, value, keysUnder(container, roles));
  }
  const out: RolePeers<P>[] = [];
  for (const { role, facts, path } of rolePropertiesOf(roles)) {
    const value = valueAt(config, path);
    const container = path.length > 1 ? valueAt(config, path.slice(0, -1)) : undefined;
    if (value === undefined && container !== undefined && facts.port) {
      // `aptProxy: { port }` without its peers.
      throw new SeguraValidationError(facts.property, `is required when ${path.slice(0, -1).join('.')} is given (a list of peers)`);
    }
    // Each peer checked with its role, passed along (not looked up again from its property path).
    const check = (property: string, peer: P) => validatePeer(property, peer, role);
    if (value !== undefined) out.push({ role, property: facts.property, peers: checkList(facts.property, value, check) });
  }
  return out;
}

/** The role ports a configuration sets (`aptProxy.port`), as plan options. */
function rolePortsOf(config: object): Pick<PlanOptions, 'aptProxyPort'> {
  const port = ROLES[Role.APT_PROXY].port!;
  const value = valueAt(config, port.property.split('.'));
  return value === undefined ? {} : { aptProxyPort: value as number };
}

/** The plan options of a configuration: its configured roles, rule options and role ports. */
export function planOptionsOf(roles: readonly Role[], options: RuleOptions): PlanOptions {
  if (options.portOverrides !== undefined && !isPlainObject(options.portOverrides)) {
    throw new SeguraValidationError('portOverrides', `expected an object of row ID to port, got ${describeValue(options.portOverrides)}`);
  }
  checkStringList('disabledRules', options.disabledRules, 'row IDs');
  return {
    peerRoles: [...roles],
    portOverrides: options.portOverrides,
    disabledRules: options.disabledRules,
    clusterTraffic: options.clusterTraffic,
    ...rolePortsOf(options),
  };
}
