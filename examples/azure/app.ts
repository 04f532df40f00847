/**
 * A complete CDKTF app: provider, state backend, resource group, VNet with a subnet for
 * the Segura nodes (a Primary and two members), one for the Domum Gateway and one for
 * the Arbitrator, each host a VM with its NIC in an availability zone of its own (in
 * turn; the Arbitrator never in the Primary's), the SeguraCluster, DomumGateway and
 * SeguraArbitrator, the associations (NSGs to subnets, NICs to ASGs), and an internal
 * Standard Load Balancer in front of the nodes (443, 80, 22, 3389, with health probes).
 * `cdktf.json` runs main.ts.
 */
import { Lb } from '@cdktf/provider-azurerm/lib/lb';
import { LbBackendAddressPool } from '@cdktf/provider-azurerm/lib/lb-backend-address-pool';
import { LbProbe } from '@cdktf/provider-azurerm/lib/lb-probe';
import { LbRule } from '@cdktf/provider-azurerm/lib/lb-rule';
import { LinuxVirtualMachine } from '@cdktf/provider-azurerm/lib/linux-virtual-machine';
import { NetworkInterface } from '@cdktf/provider-azurerm/lib/network-interface';
import { NetworkInterfaceBackendAddressPoolAssociation } from '@cdktf/provider-azurerm/lib/network-interface-backend-address-pool-association';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { App, AzurermBackend, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
// In your app: import { DomumGateway, Peer, SeguraArbitrator, SeguraCluster } from 'segura-constructs/azure';
import { DomumGateway, Peer, SeguraArbitrator, SeguraCluster } from '../../lib/azure';

export class SeguraAzureStack extends TerraformStack {
  public readonly cluster: SeguraCluster;
  public readonly domum: DomumGateway;
  public readonly arbitrator: SeguraArbitrator;
  /** The Standard Load Balancer in front of the nodes. */
  public readonly loadBalancer: Lb;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const { rg, location, seguraSubnet, domumSubnet, arbitratorSubnet, host } = azureScaffold(this);

    this.cluster = new SeguraCluster(this, 'Segura', {
      resourceGroupName: rg.name,
      location,
      // A Standard Load Balancer keeps the users' addresses: their rows stay. Its health probes come from
      // the AzureLoadBalancer service tag (168.63.129.16): rows LB-*, on the users' ports.
      users: [Peer.ipv4('10.10.0.0/16')],
      loadBalancers: [Peer.serviceTag('AzureLoadBalancer')],
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

    // The hosts, in turn over the region's zones; the Arbitrator in the last zone, never the Primary's.
    const nodes = [host('Primary', seguraSubnet.id, ZONES[0]), host('Member1', seguraSubnet.id, ZONES[1]), host('Member2', seguraSubnet.id, ZONES[2])];
    this.cluster.addPrimaryNetworkInterface('PrimaryNicAsg', nodes[0].id);
    this.cluster.addMemberNetworkInterface('Member1NicAsg', nodes[1].id);
    this.cluster.addMemberNetworkInterface('Member2NicAsg', nodes[2].id);
    this.domum.addNetworkInterface('DomumNicAsg', host('Domum', domumSubnet.id, ZONES[1]).id);
    this.arbitrator.addNetworkInterface('ArbitratorNicAsg', host('Arbitrator', arbitratorSubnet.id, ZONES[ZONES.length - 1]).id);

    this.loadBalancer = exampleLoadBalancer(this, { resourceGroupName: rg.name, location }, seguraSubnet.id, nodes);
  }
}

/**
 * An internal Standard Load Balancer in front of every node (any member may become the
 * Primary), its frontend zone-redundant in the nodes' subnet. Each user-facing port is a
 * rule with its health probe, as the vendor documents them: `GET /flow/orbit/mntr` over
 * HTTPS 443 (200 when the node serves users) for the web application (443 and 80), each
 * proxy's TCP port for SSH (22) and RDP (3389). Sessions stay on their node (the application
 * is stateful): distribution by client address.
 */
export function exampleLoadBalancer(stack: TerraformStack, at: { resourceGroupName: string; location: string },
  subnetId: string, nodes: NetworkInterface[]): Lb {
  const frontend = 'segura-frontend';
  const lb = new Lb(stack, 'LoadBalancer', {
    ...at,
    name: 'lb-segura',
    sku: 'Standard',
    frontendIpConfiguration: [{ name: frontend, subnetId, privateIpAddressAllocation: 'Dynamic', zones: ZONES }],
  });
  const pool = new LbBackendAddressPool(stack, 'LoadBalancerNodes', { name: 'segura-nodes', loadbalancerId: lb.id });
  nodes.forEach((nic, i) => new NetworkInterfaceBackendAddressPoolAssociation(stack, `LoadBalancerNode${i + 1}`, {
    networkInterfaceId: nic.id, ipConfigurationName: 'ipconfig1', backendAddressPoolId: pool.id,
  }));
  const probe = (id: string, name: string, port: number, protocol: 'Https' | 'Tcp', requestPath?: string) =>
    new LbProbe(stack, id, { name, loadbalancerId: lb.id, port, protocol, requestPath, intervalInSeconds: 5 });
  const web = probe('ProbeWeb', 'segura-web', 443, 'Https', '/flow/orbit/mntr');
  const rules: Array<[string, number, LbProbe]> = [
    ['https', 443, web],
    ['http', 80, web],
    ['ssh', 22, probe('ProbeSsh', 'segura-ssh', 22, 'Tcp')],
    ['rdp', 3389, probe('ProbeRdp', 'segura-rdp', 3389, 'Tcp')],
  ];
  for (const [name, port, health] of rules) {
    new LbRule(stack, `LoadBalancerRule${port}`, {
      name: `segura-${name}`,
      loadbalancerId: lb.id,
      frontendIpConfigurationName: frontend,
      protocol: 'Tcp',
      frontendPort: port,
      backendPort: port,
      backendAddressPoolIds: [pool.id],
      probeId: health.id,
      loadDistribution: 'SourceIP',
    });
  }
  return lb;
}

/** The availability zones of the example's region (Brazil South has three). */
export const ZONES = ['1', '2', '3'];

/**
 * The example's provider, state backend, resource group, VNet, subnets, and a host
 * factory: a NIC and a Linux VM on it, in one zone.
 */
export function azureScaffold(stack: TerraformStack) {
  // The library never creates a provider: the app owns it. azurerm 4 needs the
  // subscription: ARM_SUBSCRIPTION_ID in the environment (or subscriptionId here).
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  // The state in an Azure storage account made beforehand (see the README's Deploy
  // section): no machine path in the output, and a state a team shares.
  new AzurermBackend(stack, {
    resourceGroupName: 'rg-segura-tfstate',
    storageAccountName: 'stseguratfstate',
    containerName: 'tfstate',
    key: 'segura.tfstate',
    useAzureadAuth: true,
  });
  // The inputs of a deployment: the Segura image in your subscription, the administrator's key.
  const imageId = new TerraformVariable(stack, 'segura_image_id', {
    type: 'string',
    description: 'The ID of the Segura image in your subscription (a managed image or a gallery image version)',
  });
  const sshKey = new TerraformVariable(stack, 'admin_ssh_public_key', { type: 'string', description: 'The administrator\'s SSH public key' });
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
  const host = (name: string, subnetId: string, zone: string) => {
    const hostNic = nic(name, subnetId);
    new LinuxVirtualMachine(stack, `${name}Vm`, {
      name: `vm-${name.toLowerCase()}`,
      location,
      resourceGroupName: rg.name,
      zone,
      size: 'Standard_D4s_v5',
      networkInterfaceIds: [hostNic.id],
      sourceImageId: imageId.stringValue,
      adminUsername: 'segura',
      adminSshKey: [{ username: 'segura', publicKey: sshKey.stringValue }],
      osDisk: { caching: 'ReadWrite', storageAccountType: 'Premium_LRS', diskSizeGb: 100 },
    });
    return hostNic;
  };
  return {
    rg,
    location,
    seguraSubnet: subnet('SeguraSubnet', 'snet-segura', '10.0.1.0/24'),
    domumSubnet: subnet('DomumSubnet', 'snet-domum', '10.0.2.0/24'),
    arbitratorSubnet: subnet('ArbitratorSubnet', 'snet-arbitrator', '10.0.3.0/24'),
    nic,
    host,
  };
}

/** Build the example app (used by main.ts and by the tests). */
export function buildAzureExample(app: App = new App()): { app: App; stack: SeguraAzureStack } {
  return { app, stack: new SeguraAzureStack(app, 'segura-azure') };
}
