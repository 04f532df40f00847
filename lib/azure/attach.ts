/**
 * Putting the NSGs and ASGs on subnets and NICs (as aws/attach.ts puts security groups
 * on instances): the association resources, each loaded on first use: a provider resource module
 * is large, and an app that associates by other means should not pay for it. The
 * cluster and the gateways associate through these, the same way.
 */
import type { ApplicationSecurityGroup } from '@cdktf/provider-azurerm/lib/application-security-group';
import type { NetworkInterfaceApplicationSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/network-interface-application-security-group-association';
import type { NetworkInterfaceSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/network-interface-security-group-association';
import type { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import type { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { Construct } from 'constructs';

/* eslint-disable @typescript-eslint/no-require-imports */
const modules = {
  subnetNsg: () => (require('@cdktf/provider-azurerm/lib/subnet-network-security-group-association') as
    typeof import('@cdktf/provider-azurerm/lib/subnet-network-security-group-association')).SubnetNetworkSecurityGroupAssociation,
  nicNsg: () => (require('@cdktf/provider-azurerm/lib/network-interface-security-group-association') as
    typeof import('@cdktf/provider-azurerm/lib/network-interface-security-group-association')).NetworkInterfaceSecurityGroupAssociation,
  nicAsg: () => (require('@cdktf/provider-azurerm/lib/network-interface-application-security-group-association') as
    typeof import('@cdktf/provider-azurerm/lib/network-interface-application-security-group-association')).NetworkInterfaceApplicationSecurityGroupAssociation,
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Associate `nsg` with a subnet, under `scope`. */
export function associateNsgWithSubnet(scope: Construct, id: string, nsg: NetworkSecurityGroup,
  subnetId: string): SubnetNetworkSecurityGroupAssociation {
  return new (modules.subnetNsg())(scope, id, { subnetId, networkSecurityGroupId: nsg.id });
}

/** Associate `nsg` with a NIC, under `scope`. */
export function associateNsgWithNic(scope: Construct, id: string, nsg: NetworkSecurityGroup,
  networkInterfaceId: string): NetworkInterfaceSecurityGroupAssociation {
  return new (modules.nicNsg())(scope, id, { networkInterfaceId, networkSecurityGroupId: nsg.id });
}

/** Put a NIC in `asg`, under `scope`. */
export function addNicToAsg(scope: Construct, id: string, asg: ApplicationSecurityGroup,
  networkInterfaceId: string): NetworkInterfaceApplicationSecurityGroupAssociation {
  return new (modules.nicAsg())(scope, id, { networkInterfaceId, applicationSecurityGroupId: asg.id });
}
