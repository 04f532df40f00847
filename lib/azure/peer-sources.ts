/** What the library knows of a Peer beyond its fields (not part of the public API). */
import type { ApplicationSecurityGroup } from '@cdktf/provider-azurerm/lib/application-security-group';

/** The ASG construct a Peer was made from, when it was. */
export const PEER_ASGS = new WeakMap<object, ApplicationSecurityGroup>();
/** The factory that made a Peer (`Peer.ipv4`), for messages. */
export const PEER_FACTORIES = new WeakMap<object, string>();
