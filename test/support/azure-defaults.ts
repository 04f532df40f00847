/**
 * Azure's six default security rules, as Microsoft documents them, written here for the
 * tests (the evaluator and the exports in `az` shape) independently of the audit's own
 * copy in lib/audit, which a test then holds to these.
 *
 * Sources:
 * - "Network security groups: Default security rules",
 *   https://learn.microsoft.com/en-us/azure/virtual-network/network-security-groups-overview#default-security-rules
 *   (priorities 65000, 65001, 65500; sources and destinations VirtualNetwork,
 *   AzureLoadBalancer, Internet and 0.0.0.0/0 (`*`); every port 0-65535; protocol Any;
 *   "You can't remove the default rules").
 * - The names and descriptions as the API returns them ("AllowVnetInBound",
 *   "DenyAllInBound", ...): the REST reference "Default Security Rules - Get",
 *   https://learn.microsoft.com/en-us/rest/api/virtualnetwork/default-security-rules/get,
 *   and Microsoft's Learn sample MicrosoftDocs/mslearn-hub-and-spoke-network-architecture
 *   (azuredeploy.json, `defaultSecurityRules` of each NSG).
 */

/** One default rule, with the fields `az network nsg show` prints for it. */
export interface AzureDefaultRule {
  readonly name: string;
  readonly description: string;
  readonly priority: number;
  readonly direction: 'Inbound' | 'Outbound';
  readonly access: 'Allow' | 'Deny';
  readonly protocol: '*';
  readonly sourcePortRange: '*';
  readonly destinationPortRange: '*';
  readonly sourceAddressPrefix: string;
  readonly destinationAddressPrefix: string;
}

const rule = (name: string, description: string, priority: number, direction: 'Inbound' | 'Outbound', access: 'Allow' | 'Deny',
  sourceAddressPrefix: string, destinationAddressPrefix: string): AzureDefaultRule =>
  ({ name, description, priority, direction, access, protocol: '*', sourcePortRange: '*', destinationPortRange: '*', sourceAddressPrefix, destinationAddressPrefix });

export const AZURE_DEFAULT_RULES_DOCUMENTED: readonly AzureDefaultRule[] = [
  rule('AllowVnetInBound', 'Allow inbound traffic from all VMs in VNET', 65000, 'Inbound', 'Allow', 'VirtualNetwork', 'VirtualNetwork'),
  rule('AllowAzureLoadBalancerInBound', 'Allow inbound traffic from azure load balancer', 65001, 'Inbound', 'Allow', 'AzureLoadBalancer', '*'),
  rule('DenyAllInBound', 'Deny all inbound traffic', 65500, 'Inbound', 'Deny', '*', '*'),
  rule('AllowVnetOutBound', 'Allow outbound traffic from all VMs to all VMs in VNET', 65000, 'Outbound', 'Allow', 'VirtualNetwork', 'VirtualNetwork'),
  rule('AllowInternetOutBound', 'Allow outbound traffic from all VMs to Internet', 65001, 'Outbound', 'Allow', '*', 'Internet'),
  rule('DenyAllOutBound', 'Deny all outbound traffic', 65500, 'Outbound', 'Deny', '*', '*'),
];
