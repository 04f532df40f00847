/**
 * World access is an explicit decision: a peer that covers every address of its
 * family (any spelling; on Azure the `Internet` and `*` tags too) is refused unless
 * the configuration lists its role's property in `allowAnyAddress`.
 */
import { checkStringList } from './checks';
import { aggregate, formatPrefix, isWholeSpace, parseCidr, wholeSpaceOf } from './cidr';
import { didYouMean, SeguraValidationError } from './errors';
import { FirewallMatrix } from './matrix';
import { peerRoleOf } from './plan';
import { Role, ROLES } from './roles';

/** The property of a list entry: `management.ntp[0]` -> `management.ntp`. */
export const listProperty = (property: string) => property.replace(/\[\d+\]$/, '');

/** Check `allowAnyAddress`: role properties that hold peers. Returns them as a set. */
export function checkAllowAnyAddress(value: unknown, roles: readonly Role[]): Set<string> {
  const list = checkStringList('allowAnyAddress', value, 'role properties such as "packageMirrors"') ?? [];
  const known = roles.map(r => ROLES[r].property);
  list.forEach((p, i) => {
    if (!known.includes(p)) {
      throw new SeguraValidationError(`allowAnyAddress[${i}]`, `"${p}" is not a property that holds peers.${didYouMean(p, known)} Known: ${known.join(', ')}`);
    }
  });
  return new Set(list);
}

/**
 * What a world-open peer of `role` would open: `tcp 443, 80 from anywhere (USR-HTTPS,
 * USR-HTTP)`, with the configuration's port overrides.
 */
function exposure(role: Role, portOverrides: unknown): string {
  const overrides = (typeof portOverrides === 'object' && portOverrides !== null ? portOverrides : {}) as Record<string, unknown>;
  const parts: string[] = [];
  for (const [toward, rows] of [['from', FirewallMatrix.ALL_ROWS.filter(r => r.source === role)], ['to', FirewallMatrix.ALL_ROWS.filter(r => r.destination === role)]] as const) {
    const ofRole = rows.filter(r => peerRoleOf(r) === role);
    if (ofRole.length === 0) continue;
    const port = (id: string, documented: number) => (typeof overrides[id] === 'number' ? overrides[id] as number : documented);
    const byProtocol = new Map<string, number[]>();
    for (const r of ofRole) byProtocol.set(r.protocol, [...new Set([...(byProtocol.get(r.protocol) ?? []), port(r.id, r.port)])]);
    const ports = [...byProtocol].map(([protocol, list]) => `${protocol} ${list.join(', ')}`).join('; ');
    parts.push(`${ports} ${toward} anywhere (${ofRole.map(r => r.id).join(', ')})`);
  }
  // An instance's own addresses (the CLI's primary, members): every flow of the role.
  return parts.length > 0 ? parts.join(', and ') : `every flow of ${ROLES[role].short} to and from anywhere`;
}

/**
 * The error (or, in the CLI, the warning) for a world-open peer at `property` (e.g.
 * `users[0]`); `what` says what the peer is (`"0.0.0.0/0" is every IPv4 address`).
 */
export function worldOpenMessage(role: Role, property: string, what: string, portOverrides: unknown): string {
  return `${what}: it would open ${exposure(role, portOverrides)}. If that is intended, add "${listProperty(property)}" to allowAnyAddress.`;
}

/** What a CIDR covering every address is, for messages; undefined for any other CIDR. */
export function worldOpenCidr(cidr: string): string | undefined {
  const whole = wholeSpaceOf(cidr);
  return whole && `"${cidr}" is every ${whole === '0.0.0.0/0' ? 'IPv4' : 'IPv6'} address`;
}

/**
 * What the union of a role's CIDRs is when, together, they cover every address of a
 * family although none does alone (`0.0.0.0/1` and `128.0.0.0/1`, any split, in any
 * order): `the 2 prefixes "0.0.0.0/1", "128.0.0.0/1" together are every IPv4 address`.
 * Undefined otherwise (a prefix that alone covers every address is reported where it
 * is given). The prefixes are listed canonical and sorted, at most three.
 */
export function worldOpenUnion(cidrs: readonly string[]): string | undefined {
  const prefixes = cidrs.map(c => parseCidr('', c));
  for (const family of ['ipv4', 'ipv6'] as const) {
    const own = prefixes.filter(p => p.family === family);
    // One prefix covering everything alone is reported as such, where it is given.
    if (own.length < 2 || own.some(isWholeSpace) || !aggregate(own).some(isWholeSpace)) continue;
    const listed = [...new Map(own.map(p => [formatPrefix(p), p])).values()]
      .sort((a, b) => (a.network < b.network ? -1 : a.network > b.network ? 1 : a.length - b.length)).map(formatPrefix);
    const shown = listed.slice(0, 3).map(c => `"${c}"`).join(', ');
    return `the ${listed.length} prefixes ${shown}${listed.length > 3 ? ', ...' : ''} together are every ${family === 'ipv4' ? 'IPv4' : 'IPv6'} address`;
  }
  return undefined;
}
