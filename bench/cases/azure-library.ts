import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { buildAzureExample } from '../../examples/azure/app';
import { DomumGateway, Peer, SeguraArbitrator, SeguraCluster } from '../../lib/azure';
import { LARGE } from '../configs';
import { libraryProps, scaleOf } from './common';

export function run(name: string, outdir: string): void {
  if (name === 'azure-example') {
    buildAzureExample(new App({ outdir })).app.synth();
    return;
  }
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'segura');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  const c = name === 'azure-large' ? LARGE : scaleOf(name)!;
  const cluster = new SeguraCluster(stack, 'Segura', { resourceGroupName: 'rg', location: 'brazilsouth', ...libraryProps(c, Peer.ipv4) });
  new DomumGateway(stack, 'Domum', { resourceGroupName: 'rg', location: 'brazilsouth', cluster });
  new SeguraArbitrator(stack, 'Arbitrator', { resourceGroupName: 'rg', location: 'brazilsouth', cluster });
  app.synth();
}
