/**
 * The association resources, each loaded on first use: a provider resource module
 * is large, and an app that associates by other means should not pay for it.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
export const associations = {
  subnetNsg: () => (require('@cdktf/provider-azurerm/lib/subnet-network-security-group-association') as
    typeof import('@cdktf/provider-azurerm/lib/subnet-network-security-group-association')).SubnetNetworkSecurityGroupAssociation,
  nicNsg: () => (require('@cdktf/provider-azurerm/lib/network-interface-security-group-association') as
    typeof import('@cdktf/provider-azurerm/lib/network-interface-security-group-association')).NetworkInterfaceSecurityGroupAssociation,
  nicAsg: () => (require('@cdktf/provider-azurerm/lib/network-interface-application-security-group-association') as
    typeof import('@cdktf/provider-azurerm/lib/network-interface-application-security-group-association')).NetworkInterfaceApplicationSecurityGroupAssociation,
};
/* eslint-enable @typescript-eslint/no-require-imports */
