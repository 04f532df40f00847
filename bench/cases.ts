/**
 * Benchmark cases: each builds a whole app, with the library or by hand, and
 * synthesizes it. run-case.ts runs one in its own process.
 */
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App as CdkApp, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { App as TfApp, TerraformStack } from 'cdktf';
import { AWS_EXAMPLE, AZURE_EXAMPLE, BenchConfig, LARGE, withDevices } from './configs';
import { buildAwsExample, exampleVpc, nodeTemplate } from '../examples/aws/app';
import { azureScaffold, buildAzureExample } from '../examples/azure/app';
import * as aws from '../lib/aws';
import * as azure from '../lib/azure';
import { handWrittenCluster, handWrittenDomum } from './handwritten/aws';
import { handWrittenAzure } from './handwritten/azure';

export type Variant = 'library' | 'hand';

/** What a case synthesized: its output directory and cloud. */
export interface Synthesized {
  readonly cloud: 'aws' | 'azure';
  readonly outdir: string;
}

const CONTEXT = { '@aws-cdk/core:defaultCrossStackReferences': 'strong' };

function libraryProps<P>(c: BenchConfig, peer: (cidr: string) => P) {
  const l = (x: string[]) => x.map(peer);
  return {
    users: l(c.users),
    devices: l(c.devices),
    management: {
      ntp: l(c.management.ntp),
      dns: l(c.management.dns),
      mail: l(c.management.mail),
      ldap: l(c.management.ldap),
      radius: l(c.management.radius),
      tacacs: l(c.management.tacacs),
      syslog: l(c.management.syslog),
      backup: l(c.management.backup),
    },
    packageMirrors: l(c.packageMirrors),
    ...(c.smtpPort !== 420 ? { portOverrides: { 'MGT-SMTP': c.smtpPort } } : {}),
    ...(c.telnet ? {} : { disabledRules: ['DVC-TELNET'] }),
  };
}

/** The hand-written copy of examples/aws: the same stacks and templates, groups written by hand. */
function awsExampleByHand(outdir: string): void {
  const app = new CdkApp({ outdir, context: CONTEXT });
  const network = new Stack(app, 'SeguraNetwork');
  const vpc = exampleVpc(network);
  const groups = handWrittenCluster(network, vpc, AWS_EXAMPLE);
  nodeTemplate(network, 'PrimaryLaunchTemplate', groups.primary);
  nodeTemplate(network, 'MemberLaunchTemplate', groups.member);
  const domumStack = new Stack(app, 'SeguraDomum');
  nodeTemplate(domumStack, 'DomumLaunchTemplate', handWrittenDomum(domumStack, vpc, groups));
  app.synth();
}

/** A VPC, the cluster and a Domum Gateway for configuration `c`; devices optionally in a prefix list. */
function awsConfig(outdir: string, c: BenchConfig, variant: Variant, prefixList = false): void {
  const app = new CdkApp({ outdir, context: CONTEXT });
  const stack = new Stack(app, 'Segura');
  const vpc = exampleVpc(stack);
  const list = prefixList
    ? new ec2.PrefixList(stack, 'Devices', { maxEntries: c.devices.length, entries: c.devices.map(cidr => ({ cidr })) })
    : undefined;
  if (variant === 'library') {
    // Past a handful of device prefixes AWS's default quota of 60 is exceeded: raise it to AWS's maximum.
    const cluster = new aws.SeguraCluster(stack, 'Segura', {
      vpc, ...libraryProps(c, ec2.Peer.ipv4), ...(list ? { devices: [list] } : {}), ruleQuota: 1000,
    });
    new aws.DomumGateway(new Stack(app, 'Domum'), 'Domum', { vpc, cluster, ruleQuota: 1000 });
  } else {
    const groups = handWrittenCluster(stack, vpc, list ? { ...c, devices: [] } : c);
    if (list) {
      // By hand, with the same prefix list: one rule per device port.
      const ports = [22, ...(c.telnet ? [23] : []), 7443, 1433, 5432, 3306, 3389, 135, 139, 445, 80, 443];
      for (const sg of [groups.primary, groups.member]) for (const p of ports) sg.addEgressRule(list, ec2.Port.tcp(p), 'devices');
    }
    handWrittenDomum(new Stack(app, 'Domum'), vpc, groups);
  }
  app.synth();
}

function azureExampleByHand(outdir: string): void {
  const app = new TfApp({ outdir });
  const stack = new TerraformStack(app, 'segura-azure');
  const { rg, location, seguraSubnet, domumSubnet, nic } = azureScaffold(stack);
  const hw = handWrittenAzure(stack, rg.name, location, AZURE_EXAMPLE);
  associate(stack, hw, seguraSubnet.id, domumSubnet.id, nic);
  app.synth();
}

function associate(stack: TerraformStack, hw: ReturnType<typeof handWrittenAzure>, seguraSubnetId: string, domumSubnetId: string,
  nic: (name: string, subnetId: string) => { id: string }): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { SubnetNetworkSecurityGroupAssociation } = require('@cdktf/provider-azurerm/lib/subnet-network-security-group-association');
  const { NetworkInterfaceApplicationSecurityGroupAssociation: NicAsg } = require('@cdktf/provider-azurerm/lib/network-interface-application-security-group-association');
  /* eslint-enable @typescript-eslint/no-require-imports */
  new SubnetNetworkSecurityGroupAssociation(stack, 'SeguraSubnetNsg', { subnetId: seguraSubnetId, networkSecurityGroupId: hw.nsg.id });
  new SubnetNetworkSecurityGroupAssociation(stack, 'DomumSubnetNsg', { subnetId: domumSubnetId, networkSecurityGroupId: hw.domumNsg.id });
  new NicAsg(stack, 'PrimaryNicAsg', { networkInterfaceId: nic('Primary', seguraSubnetId).id, applicationSecurityGroupId: hw.primaryAsg.id });
  new NicAsg(stack, 'Member1NicAsg', { networkInterfaceId: nic('Member1', seguraSubnetId).id, applicationSecurityGroupId: hw.memberAsg.id });
  new NicAsg(stack, 'Member2NicAsg', { networkInterfaceId: nic('Member2', seguraSubnetId).id, applicationSecurityGroupId: hw.memberAsg.id });
  new NicAsg(stack, 'DomumNicAsg', { networkInterfaceId: nic('Domum', domumSubnetId).id, applicationSecurityGroupId: hw.domumAsg.id });
}

function azureConfig(outdir: string, c: BenchConfig, variant: Variant): void {
  const app = new TfApp({ outdir });
  const stack = new TerraformStack(app, 'segura');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  if (variant === 'library') {
    const cluster = new azure.SeguraCluster(stack, 'Segura', { resourceGroupName: 'rg', location: 'brazilsouth', ...libraryProps(c, azure.Peer.ipv4) });
    new azure.DomumGateway(stack, 'Domum', { resourceGroupName: 'rg', location: 'brazilsouth', cluster });
  } else {
    handWrittenAzure(stack, 'rg', 'brazilsouth', c);
  }
  app.synth();
}

/** Run case `name` with `variant`, writing into `outdir`. */
export function runCase(name: string, variant: Variant, outdir: string): Synthesized {
  const scale = /^(aws|azure)-devices-(\d+)$/.exec(name);
  if (scale) {
    const n = Number(scale[2]);
    if (scale[1] === 'azure') { azureConfig(outdir, withDevices(n), variant); return { cloud: 'azure', outdir }; }
    // On AWS, past a few prefixes the devices go into a managed prefix list.
    awsConfig(outdir, withDevices(n), variant, n > 4);
    return { cloud: 'aws', outdir };
  }
  switch (`${name}/${variant}`) {
    case 'aws-example/library': buildAwsExample(new CdkApp({ outdir, context: CONTEXT })).app.synth(); return { cloud: 'aws', outdir };
    case 'aws-example/hand': awsExampleByHand(outdir); return { cloud: 'aws', outdir };
    case 'azure-example/library': buildAzureExample(new TfApp({ outdir })).app.synth(); return { cloud: 'azure', outdir };
    case 'azure-example/hand': azureExampleByHand(outdir); return { cloud: 'azure', outdir };
    case 'aws-large/library': case 'aws-large/hand': awsConfig(outdir, LARGE, variant); return { cloud: 'aws', outdir };
    case 'azure-large/library': case 'azure-large/hand': azureConfig(outdir, LARGE, variant); return { cloud: 'azure', outdir };
  }
  throw new Error(`unknown case ${name}/${variant}`);
}
