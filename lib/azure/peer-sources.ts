/** The ASG construct a Peer was made from, when it was (not part of the public API). */
import type { ApplicationSecurityGroup } from '@cdktf/provider-azurerm/lib/application-security-group';

export const PEER_ASGS = new WeakMap<object, ApplicationSecurityGroup>();
