/**
 * Checks of what users pass to the Azure constructs: peers, resource group,
 * location and name prefix. Tokens (deploy-time values) are not checked early.
 */
import type { AzurePlacementOptions } from './cluster';
import { Peer, PeerKind } from './peer';
import { isUnresolved } from './render';
import { validateCidr } from '../core/cidr';
import { describeValue, SeguraValidationError } from '../core/errors';

/** A name for Azure resources: letters, digits, '-', '_', '.', at most 80. */
function checkNamePrefix(property: string, prefix: string): void {
  if (isUnresolved(prefix)) return;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,59}$/.test(prefix)) {
    throw new SeguraValidationError(property, `"${prefix}" is not a usable name prefix; expected 1-60 letters, digits, '-', '_' or '.', starting with a letter or digit`);
  }
}

const SERVICE_TAG = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)?$/;
const ASG_ID = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/applicationSecurityGroups\/[^/]+$/i;

/** Check a user-supplied peer; tokens are not checked early. */
export function validateAzurePeer(property: string, peer: Peer): void {
  if (!(peer instanceof Peer)) {
    throw new SeguraValidationError(property, `expected a Peer (e.g. Peer.ipv4('10.0.0.0/16')), got ${describeValue(peer)}`);
  }
  if (isUnresolved(peer.value)) return;
  switch (peer.kind) {
    case PeerKind.ADDRESS_PREFIX:
      validateCidr(property, peer.value);
      return;
    case PeerKind.SERVICE_TAG:
      if (!SERVICE_TAG.test(peer.value)) {
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

/** Check resource group and location. */
export function checkPlacement(props: AzurePlacementOptions): void {
  for (const key of ['resourceGroupName', 'location'] as const) {
    const v = props[key];
    if (typeof v !== 'string' || (!isUnresolved(v) && v.trim() === '')) {
      throw new SeguraValidationError(key, `is required (a non-empty string), got ${JSON.stringify(v)}`);
    }
  }
  if (props.namePrefix !== undefined) checkNamePrefix('namePrefix', props.namePrefix);
}
