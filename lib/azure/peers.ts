/**
 * Azure peers: checking what users pass, and the lossless aggregation of a role's
 * prefixes. Tokens (deploy-time values) are not checked early.
 *
 * A peer's fields (kind, value, family) are read once, when the peer is first
 * checked; the library then works on peers it builds from that read.
 */
import { Token } from 'cdktf';
import { AddressFamily, Peer, PeerKind } from './peer';
import { PEER_ASGS, PEER_FACTORIES } from './peer-sources';
import { aggregateCidrs, validateCidr } from '../core/cidr';
import { describeValue, SeguraValidationError } from '../core/errors';
import { checkNotGatewayGroup } from '../core/identity';
import { worldOpenCidr } from '../core/world-open';

/** True for deploy-time values (cdktf tokens), which are written as given and never checked early. */
export const isUnresolved = (v: unknown): boolean => Token.isUnresolved(v);

const SERVICE_TAG = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)?$/;
const ASG_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/applicationSecurityGroups\/[^/]+$/i;

/** A peer's fields, as read once. */
interface PeerFields { readonly kind: unknown; readonly value: unknown; readonly family: unknown }
const FIELDS = new WeakMap<Peer, PeerFields>();

function fieldsOf(peer: Peer): PeerFields {
  let fields = FIELDS.get(peer);
  if (fields === undefined) {
    fields = Object.freeze({ kind: peer.kind, value: peer.value, family: peer.family });
    FIELDS.set(peer, fields);
  }
  return fields;
}

/** What each factory takes, for messages. */
const EXPECTED: Record<PeerKind, string> = {
  [PeerKind.ADDRESS_PREFIX]: 'a CIDR string such as "10.0.0.0/16"',
  [PeerKind.SERVICE_TAG]: 'a service tag name such as "AzureMonitor"',
  [PeerKind.APPLICATION_SECURITY_GROUP]: 'an application security group ID',
};

/** Check a user-supplied peer; tokens are not checked early. */
export function validateAzurePeer(property: string, peer: Peer): void {
  if (!Peer.isPeer(peer)) {
    throw new SeguraValidationError(property, `expected a Peer (e.g. Peer.ipv4('10.0.0.0/16')), got ${describeValue(peer)}`);
  }
  checkNotGatewayGroup(property, PEER_ASGS.get(peer), 'ASG');
  const { kind, value, family } = fieldsOf(peer);
  if (!Object.values(PeerKind).includes(kind as PeerKind)) {
    throw new SeguraValidationError(property, `is a Peer of kind ${describeValue(kind)}; expected one of ${Object.values(PeerKind).join(', ')}`);
  }
  if (isUnresolved(value)) return;
  if (typeof value !== 'string') {
    const factory = PEER_FACTORIES.get(peer) ?? `a Peer of kind ${kind}`;
    const expected = factory === 'Peer.applicationSecurityGroup' ? 'an ApplicationSecurityGroup construct' : `${EXPECTED[kind as PeerKind]} (or a token)`;
    throw new SeguraValidationError(property, `${factory} was given ${describeValue(value)}; expected ${expected}`);
  }
  switch (kind as PeerKind) {
    case PeerKind.ADDRESS_PREFIX: {
      const parsed = validateCidr(property, value);
      const asked = family === AddressFamily.IPV6 ? 'ipv6' : family === AddressFamily.IPV4 ? 'ipv4' : parsed;
      if (parsed !== asked) {
        throw new SeguraValidationError(property, `"${value}" is an ${parsed === 'ipv4' ? 'IPv4' : 'IPv6'} prefix, given to Peer.${asked}; `
          + `use Peer.${parsed}('${value}')`);
      }
      return;
    }
    case PeerKind.SERVICE_TAG:
      if (value !== '*' && !SERVICE_TAG.test(value)) {
        throw new SeguraValidationError(property, `"${value}" is not a service tag; expected a name such as "AzureMonitor" or "Storage.WestUS"`);
      }
      return;
    case PeerKind.APPLICATION_SECURITY_GROUP:
      if (!ASG_ID.test(value)) {
        throw new SeguraValidationError(property, `"${value}" is not an application security group ID (/subscriptions/.../providers/Microsoft.Network/applicationSecurityGroups/NAME)`);
      }
      return;
  }
}

/**
 * What a service tag or prefix covering every address is, for messages: `*` and
 * `Any`; `Internet` (every address outside the virtual networks); `AzureCloud` and
 * `AzureCloud.<region>` (the public addresses of Azure's datacenters, which any Azure
 * tenant's resources use; Microsoft's service tags: "The AzureCloud tag provides the IP
 * ranges for that entire cloud"); undefined for any other value.
 */
export function worldOpenValue(kind: PeerKind | undefined, value: string): string | undefined {
  if (isUnresolved(value)) return undefined;
  if (kind === PeerKind.ADDRESS_PREFIX) return worldOpenCidr(value);
  if (kind !== PeerKind.SERVICE_TAG) return undefined;
  const tag = value.toLowerCase();
  if (tag === '*' || tag === 'any') return `the tag "${value}" is every address`;
  if (tag === 'internet') return `the service tag "${value}" is every address outside Azure's virtual networks`;
  if (tag === 'azurecloud' || tag.startsWith('azurecloud.')) {
    return `the service tag "${value}" is every public address of Azure's datacenters${tag === 'azurecloud' ? '' : ' in its region'}, any Azure tenant's`;
  }
  return undefined;
}

/** What a peer covering every address is, for messages; undefined otherwise (or for anything but a Peer). */
export function worldOpenAzurePeer(peer: Peer): string | undefined {
  if (!Peer.isPeer(peer)) return undefined;
  const { kind, value } = fieldsOf(peer);
  return typeof value === 'string' ? worldOpenValue(kind as PeerKind, value) : undefined;
}

/** A prefix peer's CIDR, spelled out (not a token); undefined otherwise. */
export function cidrOfAzurePeer(peer: Peer): string | undefined {
  if (!Peer.isPeer(peer)) return undefined;
  const { kind, value } = fieldsOf(peer);
  return kind === PeerKind.ADDRESS_PREFIX && typeof value === 'string' && !isUnresolved(value) ? value : undefined;
}

/**
 * What makes two peers one: their kind and value, ASG IDs compared as Azure compares
 * them, without case; a value that is no string (a token object) by identity.
 */
export function peerIdentity(kind: PeerKind, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return `${kind}|${kind === PeerKind.APPLICATION_SECURITY_GROUP && !isUnresolved(value) ? value.toLowerCase() : value}`;
}

/**
 * A role's peers, built anew from what was read of them (checked by validateAzurePeer):
 * prefixes canonical and aggregated (lossless: the same addresses, never wider),
 * service tags and ASGs as given, each once (ASG IDs compared as Azure compares them,
 * without case).
 */
export function aggregatePeers(peers: readonly Peer[]): { peers: Peer[]; summary?: string } {
  const cidrs: string[] = [];
  const others = new Map<unknown, Peer>();
  for (const peer of peers) {
    const cidr = cidrOfAzurePeer(peer);
    if (cidr !== undefined) { cidrs.push(cidr); continue; }
    const { kind, value, family } = fieldsOf(peer);
    const v = value as string;
    const key = peerIdentity(kind as PeerKind, v);
    if (others.has(key)) continue;
    others.set(key, kind === PeerKind.SERVICE_TAG ? Peer.serviceTag(v)
      : kind === PeerKind.APPLICATION_SECURITY_GROUP ? Peer.applicationSecurityGroupId(v)
        : family === AddressFamily.IPV6 ? Peer.ipv6(v) : Peer.ipv4(v));
  }
  const aggregated = aggregateCidrs(cidrs);
  const rebuilt = aggregated.cidrs.map(c => (c.includes(':') ? Peer.ipv6(c) : Peer.ipv4(c)));
  return { peers: [...rebuilt, ...others.values()], summary: aggregated.summary };
}
