import { ApplicationSecurityGroup } from '@cdktf/provider-azurerm/lib/application-security-group';
import { PEER_ASGS } from './peer-sources';

/** What a peer is, in NSG terms. */
export enum PeerKind {
  /** An IPv4 or IPv6 prefix (CIDR). */
  ADDRESS_PREFIX = 'ADDRESS_PREFIX',
  /** An Azure service tag, such as `AzureCloud` or `Storage.WestUS`. */
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
 * constructor). Values are checked when a construct uses the peer, so that the error
 * names the property that holds it.
 */
export class Peer {
  /** An IPv4 prefix, e.g. `10.10.0.0/16`. */
  public static ipv4(cidr: string): Peer {
    return new Peer(PeerKind.ADDRESS_PREFIX, cidr, AddressFamily.IPV4);
  }

  /** An IPv6 prefix, e.g. `2001:db8::/32`. */
  public static ipv6(cidr: string): Peer {
    return new Peer(PeerKind.ADDRESS_PREFIX, cidr, AddressFamily.IPV6);
  }

  /** An Azure service tag, e.g. `AzureCloud` or `Storage.WestUS`. */
  public static serviceTag(tag: string): Peer {
    return new Peer(PeerKind.SERVICE_TAG, tag);
  }

  /** An application security group of the same VNet (its NICs). */
  public static applicationSecurityGroup(asg: ApplicationSecurityGroup): Peer {
    const peer = new Peer(PeerKind.APPLICATION_SECURITY_GROUP, asg.id);
    PEER_ASGS.set(peer, asg);
    return peer;
  }

  /** An application security group by resource ID. */
  public static applicationSecurityGroupId(id: string): Peer {
    return new Peer(PeerKind.APPLICATION_SECURITY_GROUP, id);
  }

  /**
   * @param kind what the peer is
   * @param value the prefix, the tag, or the ASG's resource ID
   * @param family for a prefix, the family its factory was asked for (checked against the prefix)
   */
  protected constructor(public readonly kind: PeerKind, public readonly value: string, public readonly family?: AddressFamily) {}
}
