/**
 * The tests' own reading of a configuration: which property holds which role's peers,
 * and the plan a configuration asks for. Written here again, literally, from the
 * README's options table, not derived from the role table the constructs read
 * (lib/core/roles.ts): an expectation that read it would share its bugs.
 */
import { ClusterTraffic, FirewallPlan, Flow, Role } from '../../lib/core';

/** Where a configuration holds each peer role's list (the README's "Options"). */
export const ROLE_PROPERTIES: ReadonlyArray<readonly [path: string, role: Role]> = [
  ['users', Role.USERW],
  ['loadBalancers', Role.LOAD_BALANCER],
  ['devices', Role.DVC],
  ['arbitrator', Role.ARB],
  ['management.ntp', Role.NTP_SERVER],
  ['management.dns', Role.DNS_SERVER],
  ['management.mail', Role.MAIL_SERVER],
  ['management.ldap', Role.LDAP_SERVER],
  ['management.radius', Role.RADIUS_SERVER],
  ['management.tacacs', Role.TACACS_SERVER],
  ['management.syslog', Role.LOG_SERVER],
  ['management.backup', Role.BACKUP_SERVER],
  ['packageMirrors', Role.PACKAGE_MIRROR],
  ['aptProxy.peers', Role.APT_PROXY],
];

/** The CLI config's properties: the instances' addresses too (the README's "The command line"). */
export const CLI_ROLE_PROPERTIES: ReadonlyArray<readonly [path: string, role: Role]> = [
  ['primary', Role.PRD],
  ['members', Role.MBR],
  ['domum', Role.DOMUM],
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
