/**
 * The tests' addresses, one list for every role, from the role table: the Segura
 * instances' own (a /32 each), and for every other role a network of its own. `configOf`
 * puts them at each role's property (a CLI config, or a construct's props with each
 * cloud's peer type), so that a role added to the table is configured by the tests that
 * configure "every role" with no edit. The networks never overlap one another.
 */
import { ALL_ROLES, Role, ROLES } from '../../lib/core/roles';

/** The instances' own addresses, as the examples give them. */
const INSTANCES: Partial<Record<Role, string[]>> = {
  [Role.PRD]: ['10.0.1.4/32'],
  [Role.MBR]: ['10.0.1.5/32', '10.0.1.6/32'],
  [Role.DOMUM]: ['10.0.2.4/32'],
  [Role.ARB]: ['10.0.3.4/32'],
};

/** A role's test addresses: an instance's own, or the network 10.(100 + its place in the table).0.0/16. */
export function addressesOf(role: Role): string[] {
  return INSTANCES[role] ?? [`10.${100 + ALL_ROLES.indexOf(role)}.0.0/16`];
}

/** A test port for a role's port property (`aptProxy.port`): not the documented one, so that it shows. */
export const ROLE_PORT = 3128;

/**
 * A configuration holding `roles` at their properties, each peer made by `peer` (CIDR
 * strings by default: the CLI's config), with the role's port property when it has one.
 */
export function configOf<P = string>(roles: readonly Role[], peer: (cidr: string) => P = c => c as unknown as P): Record<string, any> {
  const out: Record<string, any> = {};
  const put = (property: string, value: unknown) => {
    const keys = property.split('.');
    let at = out;
    for (const k of keys.slice(0, -1)) at = (at[k] ??= {});
    at[keys[keys.length - 1]] = value;
  };
  for (const role of roles) {
    put(ROLES[role].property, addressesOf(role).map(peer));
    if (ROLES[role].port) put(ROLES[role].port!.property, ROLE_PORT);
  }
  return out;
}
