/**
 * The Azure cluster the tests build: a CDKTF test app, a stack, and a SeguraCluster in it
 * at the tests' placement, with the props as a test writes them (bad ones too). One
 * helper, so that a change to what every test cluster needs is made here.
 */
import { App, TerraformStack, Testing } from 'cdktf';
import { SeguraCluster } from '../../lib/azure';

/** Where the tests' NSGs and ASGs go. */
export const TEST_PLACEMENT = { resourceGroupName: 'rg', location: 'brazilsouth' } as const;

/** A SeguraCluster `Segura` in a fresh test stack `id`, at TEST_PLACEMENT unless `props` says otherwise (untyped: bad inputs too). */
export function azureCluster(props: object = {}, id = 'S'): { readonly app: App; readonly stack: TerraformStack; readonly cluster: SeguraCluster } {
  const app = Testing.app();
  const stack = new TerraformStack(app, id);
  return { app, stack, cluster: new SeguraCluster(stack, 'Segura', { ...TEST_PLACEMENT, ...props }) };
}
