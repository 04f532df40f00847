/**
 * The tests' own reading of a configuration: which property holds which role's peers,
 * and the plan a configuration asks for. The properties are the role table's, so that
 * a role added to it is read here too; the released roles' properties are a contract
 * users' code names, pinned literally in test/roles.test.ts ("the released roles keep
 * their properties"), so that a wrong property in the table fails there, not only here.
 */
import { ClusterTraffic, FirewallPlan, Flow, Role } from '../../lib/core';
import { ALL_ROLES, ROLES } from '../../lib/core/roles';

/** Where a construct's props hold each peer role's list (the README's "Options"). */
export const ROLE_PROPERTIES: ReadonlyArray<readonly [path: string, role: Role]> = ALL_ROLES
  .filter(r => ROLES[r].peerListInConstructs).map(r => [ROLES[r].property, r] as const);

/** The CLI config's properties: the instances' addresses too (the README's "The command line"). */
export const CLI_ROLE_PROPERTIES: ReadonlyArray<readonly [path: string, role: Role]> = [
  ...ALL_ROLES.filter(r => !ROLES[r].peerListInConstructs).map(r => [ROLES[r].property, r] as const),
  ...ROLE_PROPERTIES,
];

/** The options a test passes that change the plan (both clouds' and the CLI's names). */
interface RuleOptions {
  readonly portOverrides?: { [rowId: string]: number };
  readonly disabledRules?: string[];
  readonly clusterTraffic?: ClusterTraffic;
  readonly aptProxy?: { readonly port?: number };
}

/** Each configured role's peers, exactly as the test gave them. */
export function peersByRole<P>(options: object, properties = ROLE_PROPERTIES): Map<Role, P[]> {
  const out = new Map<Role, P[]>();
  for (const [path, role] of properties) {
    const value = path.split('.').reduce<any>((v, key) => (v === undefined || v === null ? undefined : v[key]), options);
    if (value !== undefined) out.set(role, value as P[]);
  }
  return out;
}

/**
 * The flows a configuration asks for: the plan of its configured roles and its rule
 * options, with `gateways` (DOMUM, ARB) attached as constructs.
 */
export function planOf(config: object, gateways: readonly Role[] = []): Flow[] {
  const options = config as RuleOptions;
  return FirewallPlan.flows({
    peerRoles: [...peersByRole(options).keys(), ...gateways],
    portOverrides: options.portOverrides,
    disabledRules: options.disabledRules,
    clusterTraffic: options.clusterTraffic,
    aptProxyPort: options.aptProxy?.port,
  });
}
