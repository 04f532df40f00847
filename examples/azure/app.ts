/**
 * A complete CDKTF app: provider, resource group, VNet with a subnet for the Segura
 * nodes (a Primary and two members), one for the Domum Gateway and one for the
 * Arbitrator, NICs, the SeguraCluster, DomumGateway and SeguraArbitrator, and the
 * associations (NSGs to subnets, NICs to ASGs). `cdktf.json` runs main.ts.
 */
import { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
// In your app: import { DomumGateway, Peer, SeguraArbitrator, SeguraCluster } from 'segura-constructs/azure';
import { DomumGateway, Peer, SeguraArbitrator, SeguraCluster } from '../../lib/azure';

export class SeguraAzureStack extends TerraformStack {
  public readonly cluster: SeguraCluster;
  public readonly domum: DomumGateway;
  public readonly arbitrator: SeguraArbitrator;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const { rg, location, seguraSubnet, domumSubnet, arbitratorSubnet, nic } = azureScaffold(this);

    this.cluster = new SeguraCluster(this, 'Segura', {
      resourceGroupName: rg.name,
      location,
      users: [Peer.ipv4('10.10.0.0/16')],
      devices: [Peer.ipv4('10.20.0.0/16'), Peer.ipv4('192.168.50.0/24')],
      management: {
        ntp: [Peer.ipv4('10.30.0.10/32')],
        dns: [Peer.ipv4('10.30.0.53/32')],
        mail: [Peer.ipv4('10.30.0.25/32')],
        ldap: [Peer.ipv4('10.30.0.30/32'), Peer.ipv4('10.30.0.31/32')],
        radius: [Peer.ipv4('10.30.0.40/32')],
        tacacs: [Peer.ipv4('10.30.0.41/32')],
        syslog: [Peer.ipv4('10.30.0.50/32')],
        backup: [Peer.ipv4('10.30.0.60/32')],
      },
      packageMirrors: [Peer.ipv4('203.0.113.10/32'), Peer.ipv4('203.0.113.11/32')],
      portOverrides: { 'MGT-SMTP': 587 },
      disabledRules: ['DVC-TELNET'],
    });
    this.domum = new DomumGateway(this, 'Domum', { resourceGroupName: rg.name, location, cluster: this.cluster });
    this.arbitrator = new SeguraArbitrator(this, 'Arbitrator', { resourceGroupName: rg.name, location, cluster: this.cluster });

    this.cluster.associateWithSubnet('SeguraSubnetNsg', seguraSubnet.id);
    this.domum.associateWithSubnet('DomumSubnetNsg', domumSubnet.id);
    this.arbitrator.associateWithSubnet('ArbitratorSubnetNsg', arbitratorSubnet.id);

    this.cluster.addPrimaryNetworkInterface('PrimaryNicAsg', nic('Primary', seguraSubnet.id).id);
    this.cluster.addMemberNetworkInterface('Member1NicAsg', nic('Member1', seguraSubnet.id).id);
    this.cluster.addMemberNetworkInterface('Member2NicAsg', nic('Member2', seguraSubnet.id).id);
    this.domum.addNetworkInterface('DomumNicAsg', nic('Domum', domumSubnet.id).id);
    this.arbitrator.addNetworkInterface('ArbitratorNicAsg', nic('Arbitrator', arbitratorSubnet.id).id);
  }
}

/** The example's provider, resource group, VNet, subnets, and a NIC factory. */
export function azureScaffold(stack: TerraformStack) {
  // The library never creates a provider: the app owns it.
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  const location = 'brazilsouth';
  const rg = new ResourceGroup(stack, 'ResourceGroup', { name: 'rg-segura', location });
  const vnet = new VirtualNetwork(stack, 'Vnet', { name: 'vnet-segura', location, resourceGroupName: rg.name, addressSpace: ['10.0.0.0/16'] });
  const subnet = (id: string, name: string, prefix: string) =>
    new Subnet(stack, id, { name, resourceGroupName: rg.name, virtualNetworkName: vnet.name, addressPrefixes: [prefix] });
  const nic = (name: string, subnetId: string) => new NetworkInterface(stack, `${name}Nic`, {
    name: `nic-${name.toLowerCase()}`,
    location,
    resourceGroupName: rg.name,
    ipConfiguration: [{ name: 'ipconfig1', subnetId, privateIpAddressAllocation: 'Dynamic' }],
  });
  return {
    rg,
    location,
    seguraSubnet: subnet('SeguraSubnet', 'snet-segura', '10.0.1.0/24'),
    domumSubnet: subnet('DomumSubnet', 'snet-domum', '10.0.2.0/24'),
    arbitratorSubnet: subnet('ArbitratorSubnet', 'snet-arbitrator', '10.0.3.0/24'),
    nic,
  };
}

/** Build the example app (used by main.ts and by the tests). */
export function buildAzureExample(app: App = new App()): { app: App; stack: SeguraAzureStack } {
  return { app, stack: new SeguraAzureStack(app, 'segura-azure') };
}
