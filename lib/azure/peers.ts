/**
 * Azure peers: checking what users pass, and the lossless aggregation of a role's
 * prefixes. Tokens (deploy-time values) are not checked early.
 */
import { AddressFamily, Peer, PeerKind } from './peer';
import { PEER_ASGS } from './peer-sources';
import { isUnresolved } from './render';
import { aggregateCidrs, validateCidr } from '../core/cidr';
import { describeValue, SeguraValidationError } from '../core/errors';
import { worldOpenCidr } from '../core/world-open';

/** The ASGs of the library's gateways: a gateway serves one cluster. */
const GATEWAY_ASGS = new WeakMap<object, { readonly name: string; readonly gateway: string; readonly cluster: string }>();

/** Record a gateway's ASG, so that it is refused as a peer of a cluster. */
export function registerGatewayAsg(asg: object, owner: { name: string; gateway: string; cluster: string }): void {
  GATEWAY_ASGS.set(asg, owner);
}

const SERVICE_TAG = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)?$/;
const ASG_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/applicationSecurityGroups\/[^/]+$/i;

/** Check a user-supplied peer; tokens are not checked early. */
export function validateAzurePeer(property: string, peer: Peer): void {
  if (!(peer instanceof Peer)) {
    throw new SeguraValidationError(property, `expected a Peer (e.g. Peer.ipv4('10.0.0.0/16')), got ${describeValue(peer)}`);
  }
  const source = PEER_ASGS.get(peer);
  const owner = source ? GATEWAY_ASGS.get(source) : undefined;
  if (owner) {
    throw new SeguraValidationError(property, `is the ASG of the ${owner.name} ${owner.gateway}, which serves the SeguraCluster ${owner.cluster}; `
      + `${owner.name}s serve one cluster each: give this cluster its own`);
  }
  if (isUnresolved(peer.value)) return;
  switch (peer.kind) {
    case PeerKind.ADDRESS_PREFIX: {
      const family = validateCidr(property, peer.value);
      const asked = peer.family === AddressFamily.IPV6 ? 'ipv6' : peer.family === AddressFamily.IPV4 ? 'ipv4' : family;
      if (family !== asked) {
        throw new SeguraValidationError(property, `"${peer.value}" is an ${family === 'ipv4' ? 'IPv4' : 'IPv6'} prefix, given to Peer.${asked}; `
          + `use Peer.${family}('${peer.value}')`);
      }
      return;
    }
    case PeerKind.SERVICE_TAG:
      if (peer.value !== '*' && !SERVICE_TAG.test(peer.value)) {
        throw new SeguraValidationError(property, `"${peer.value}" is not a service tag; expected a name such as "AzureCloud" or "Storage.WestUS"`);
      }
      return;
    case PeerKind.APPLICATION_SECURITY_GROUP:
      if (!ASG_ID.test(peer.value)) {
        throw new SeguraValidationError(property, `"${peer.value}" is not an application security group ID (/subscriptions/.../providers/Microsoft.Network/applicationSecurityGroups/NAME)`);
      }
      return;
  }
}

/** What a peer covering every address is, for messages; undefined otherwise (or for anything but a Peer). */
export function worldOpenAzurePeer(peer: Peer): string | undefined {
  if (!(peer instanceof Peer) || typeof peer.value !== 'string' || isUnresolved(peer.value)) return undefined;
  if (peer.kind === PeerKind.ADDRESS_PREFIX) return worldOpenCidr(peer.value);
  if (peer.kind !== PeerKind.SERVICE_TAG) return undefined;
  if (peer.value === '*' || peer.value.toLowerCase() === 'any') return `the tag "${peer.value}" is every address`;
  if (peer.value.toLowerCase() === 'internet') return `the service tag "${peer.value}" is every address outside Azure's virtual networks`;
  return undefined;
}

/**
 * A role's peers with their prefixes canonical and aggregated (lossless: the same
 * addresses, never wider); service tags and ASGs as given.
 */
export function aggregatePeers(peers: readonly Peer[]): { peers: Peer[]; summary?: string } {
  const isPrefix = (p: Peer) => p.kind === PeerKind.ADDRESS_PREFIX && !isUnresolved(p.value);
  const aggregated = aggregateCidrs(peers.filter(isPrefix).map(p => p.value));
  const rebuilt = aggregated.cidrs.map(c => (c.includes(':') ? Peer.ipv6(c) : Peer.ipv4(c)));
  return { peers: [...rebuilt, ...peers.filter(p => !isPrefix(p))], summary: aggregated.summary };
}
