/**
 * World access is an explicit decision: a peer that covers every address of its
 * family (any spelling; on Azure the `Internet` and `*` tags too) is refused unless
 * the configuration lists its role's property in `allowAnyAddress`.
 */
import { checkStringList } from './checks';
import { wholeSpaceOf } from './cidr';
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
  return parts.join(', and ');
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
