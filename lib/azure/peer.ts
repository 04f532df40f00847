import { ApplicationSecurityGroup } from '@cdktf/provider-azurerm/lib/application-security-group';
import { PEER_ASGS, PEER_FACTORIES } from './peer-sources';
import { hasIdentity, markIdentity } from '../core/identity';

const PEER_ID = 'segura-constructs/azure.Peer';

/** What a peer is, in NSG terms. */
export enum PeerKind {
  /** An IPv4 or IPv6 prefix (CIDR). */
  ADDRESS_PREFIX = 'ADDRESS_PREFIX',
  /** An Azure service tag, such as `AzureMonitor` or `Storage.WestUS`. */
  SERVICE_TAG = 'SERVICE_TAG',
  /** An application security group. */
  APPLICATION_SECURITY_GROUP = 'APPLICATION_SECURITY_GROUP',
}

/** The address family of a prefix peer: what its factory was asked for. */
export enum AddressFamily {
  /** IPv4 (Peer.ipv4). */
  IPV4 = 'IPV4',
  /** IPv6 (Peer.ipv6). */
  IPV6 = 'IPV6',
}

/**
 * The other end of an NSG rule (aws-ec2 `Peer` style: static factories, protected
 * constructor). The factories never throw: their argument (a string, or a token) is
 * checked when a construct uses the peer, so that the error, a SeguraValidationError,
 * names the property that holds it (`users[0]: Peer.ipv4 was given null; ...`).
 */
export class Peer {
  /**
   * True when `x` is a Peer, made by any copy of this package (checked by a
   * `Symbol.for` mark, as aws-cdk-lib does, rather than `instanceof`).
   */
  public static isPeer(x: any): x is Peer {
    return hasIdentity(x, PEER_ID);
  }

  /** An IPv4 prefix, e.g. `10.10.0.0/16`. */
  public static ipv4(cidr: string): Peer {
    return made('Peer.ipv4', new Peer(PeerKind.ADDRESS_PREFIX, cidr, AddressFamily.IPV4));
  }

  /** An IPv6 prefix, e.g. `2001:db8::/32`. */
  public static ipv6(cidr: string): Peer {
    return made('Peer.ipv6', new Peer(PeerKind.ADDRESS_PREFIX, cidr, AddressFamily.IPV6));
  }

  /**
   * An Azure service tag, e.g. `AzureMonitor` or `Storage.WestUS`.
   *
   * `Internet`, `*` and `AzureCloud` (every public address of Azure's datacenters, any
   * tenant's; `AzureCloud.<region>` likewise) count as every address: a property
   * holding one must be in `allowAnyAddress`.
   */
  public static serviceTag(tag: string): Peer {
    return made('Peer.serviceTag', new Peer(PeerKind.SERVICE_TAG, tag));
  }

  /** An application security group of the same VNet (its NICs). */
  public static applicationSecurityGroup(asg: ApplicationSecurityGroup): Peer {
    // Anything but an ASG is kept as given, and refused where the peer is used.
    const id: unknown = typeof asg === 'object' && asg !== null ? (asg as { id?: unknown }).id : undefined;
    const peer = made('Peer.applicationSecurityGroup', new Peer(PeerKind.APPLICATION_SECURITY_GROUP, (typeof id === 'string' ? id : asg) as string));
    if (typeof id === 'string') PEER_ASGS.set(peer, asg);
    return peer;
  }

  /** An application security group by resource ID. */
  public static applicationSecurityGroupId(id: string): Peer {
    return made('Peer.applicationSecurityGroupId', new Peer(PeerKind.APPLICATION_SECURITY_GROUP, id));
  }

  /**
   * @param kind what the peer is
   * @param value the prefix, the tag, or the ASG's resource ID
   * @param family for a prefix, the family its factory was asked for (checked against the prefix)
   */
  protected constructor(public readonly kind: PeerKind, public readonly value: string, public readonly family?: AddressFamily) {
    markIdentity(this, PEER_ID);
  }
}

/** Record which factory made a peer, for messages. */
function made(factory: string, peer: Peer): Peer {
  PEER_FACTORIES.set(peer, factory);
  return peer;
}
