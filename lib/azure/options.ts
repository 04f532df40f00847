/**
 * The options every Azure construct of the library takes, declared once: where its
 * resources go and how they are named (checked in placement.ts).
 */

/** Where the Azure resources go and how they are named. */
export interface AzurePlacementOptions {
  /** The resource group of the NSGs and ASGs. */
  readonly resourceGroupName: string;
  /** The Azure region, e.g. `brazilsouth`. */
  readonly location: string;
  /**
   * Prefix of the Azure resource names: the cluster's `<prefix>-nsg`, `<prefix>-prd-asg`,
   * `<prefix>-mbr-asg`; a gateway's `<prefix>-nsg` and `<prefix>-asg`. Two constructs of
   * an App that would give the same name in one resource group are an error.
   *
   * @default - the cluster's: its construct path in its stack, in lower case (`Segura` -> `segura`);
   * a gateway's: the cluster's prefix and the gateway's kind (`segura-domum`, `segura-arbitrator`)
   */
  readonly namePrefix?: string;
  /**
   * Keep Azure's default rules in effect (AllowVnetInBound, AllowAzureLoadBalancerInBound,
   * AllowVnetOutBound, AllowInternetOutBound) instead of ending the NSG with explicit
   * deny-all rules. WEAKER: the whole VNet, the load balancer and, outbound, the Internet
   * are then allowed beside the matrix. For an Azure Load Balancer's health probes alone,
   * give `loadBalancers: [Peer.serviceTag('AzureLoadBalancer')]` instead (rows LB-*).
   *
   * @default false
   */
  readonly keepAzureDefaultRules?: boolean;
  /**
   * Tags on the NSGs and ASGs.
   *
   * @default - no tags
   */
  readonly tags?: { [key: string]: string };
}
