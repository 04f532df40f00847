import { NetworkInterfaceApplicationSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/network-interface-application-security-group-association';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { App, TerraformStack } from 'cdktf';
import { azureScaffold, exampleLoadBalancer, ZONES } from '../../examples/azure/app';
import { AZURE_EXAMPLE, LARGE } from '../configs';
import { handWrittenAzure } from '../handwritten/azure';

/** The hand-written copy of examples/azure: the same scaffold and associations, NSGs by hand. */
function example(outdir: string): void {
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'segura-azure');
  const { rg, location, seguraSubnet, domumSubnet, arbitratorSubnet, host } = azureScaffold(stack);
  const hw = handWrittenAzure(stack, rg.name, location, AZURE_EXAMPLE);
  new SubnetNetworkSecurityGroupAssociation(stack, 'SeguraSubnetNsg', { subnetId: seguraSubnet.id, networkSecurityGroupId: hw.nsg.id });
  new SubnetNetworkSecurityGroupAssociation(stack, 'DomumSubnetNsg', { subnetId: domumSubnet.id, networkSecurityGroupId: hw.domumNsg.id });
  new SubnetNetworkSecurityGroupAssociation(stack, 'ArbitratorSubnetNsg', { subnetId: arbitratorSubnet.id, networkSecurityGroupId: hw.arbitratorNsg.id });
  const asg = (id: string, nicId: string, asgId: string) =>
    new NetworkInterfaceApplicationSecurityGroupAssociation(stack, id, { networkInterfaceId: nicId, applicationSecurityGroupId: asgId });
  const nodes = [host('Primary', seguraSubnet.id, ZONES[0]), host('Member1', seguraSubnet.id, ZONES[1]), host('Member2', seguraSubnet.id, ZONES[2])];
  asg('PrimaryNicAsg', nodes[0].id, hw.primaryAsg.id);
  asg('Member1NicAsg', nodes[1].id, hw.memberAsg.id);
  asg('Member2NicAsg', nodes[2].id, hw.memberAsg.id);
  asg('DomumNicAsg', host('Domum', domumSubnet.id, ZONES[1]).id, hw.domumAsg.id);
  asg('ArbitratorNicAsg', host('Arbitrator', arbitratorSubnet.id, ZONES[ZONES.length - 1]).id, hw.arbitratorAsg.id);
  exampleLoadBalancer(stack, { resourceGroupName: rg.name, location }, seguraSubnet.id, nodes);
  app.synth();
}

export function run(name: string, outdir: string): void {
  if (name === 'azure-example') {
    example(outdir);
    return;
  }
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'segura');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  if (name !== 'azure-large') throw new Error(`${name}: the growth table measures the library only`);
  handWrittenAzure(stack, 'rg', 'brazilsouth', LARGE);
  app.synth();
}
