/**
 * Bad input, across both clouds and the command line: each case with the exact
 * message it must produce. Construct errors are SeguraValidationErrors thrown at
 * synth; command-line errors are one line on stderr with exit code 2.
 */
import './support/fast-synth';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { App, Lazy as CdkLazy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Lazy, TerraformStack, Testing } from 'cdktf';
import * as aws from '../lib/aws';
import * as azure from '../lib/azure';
import { run as runCli } from '../lib/cli/main';
import { ROLES } from '../lib/core/roles';
import { SeguraValidationError } from '../lib/errors';
import { awsCluster } from './support/aws-cluster';
import { azureCluster } from './support/azure-cluster';
import { AWS_CLUSTER_OWN_KEYS, clusterKeys, configFileKeys, CONSTRUCT_ROLES, keysAt } from './support/keys';

// Synthesized apps and CLI processes, one per bad input.
jest.setTimeout(60_000);

function awsSynth(props: any, extra?: (stack: Stack, cluster: aws.SeguraCluster, vpc: ec2.IVpc) => void): void {
  const { app, stack, cluster, vpc } = awsCluster(props);
  extra?.(stack, cluster, vpc);
  app.synth();
}

function azureSynth(props: any, extra?: (stack: TerraformStack, cluster: azure.SeguraCluster) => void): void {
  const { stack, cluster } = azureCluster(props);
  extra?.(stack, cluster);
  Testing.fullSynth(stack);
}

const v4 = ec2.Peer.ipv4;
const az = azure.Peer.ipv4;

/** A rule of the user's own on the library's NSG (the test adds name, priority, direction, NSG). */
const DENY = { access: 'Deny', protocol: '*', sourcePortRange: '*', destinationPortRange: '*', sourceAddressPrefix: '*', destinationAddressPrefix: '*', resourceGroupName: 'rg' };

/** The rules the library writes on the cluster's NSG with nothing configured, counted in what it synthesizes. */
const LIBRARY_RULES_ALONE = (() => {
  const { stack } = azureCluster();
  return Object.keys(JSON.parse(Testing.synth(stack)).resource.azurerm_network_security_rule).length;
})();

/** [what, run, exact message] for the constructs. */
const CONSTRUCT_CASES: Array<[string, () => void, string]> = [
  ['AWS: malformed CIDR', () => awsSynth({ users: [v4('10.0.0.300/16')] }),
    'users[0]: "10.0.0.300/16" is not a valid IPv4 CIDR (an octet is above 255)'],
  ['AWS: mask too long', () => awsSynth({ devices: [v4('10.0.0.0/40')] }),
    'devices[0]: "10.0.0.0/40" is not a valid IPv4 CIDR (the mask must be 0-32)'],
  ['AWS: host bits set', () => awsSynth({ management: { ntp: [v4('10.1.2.3/24')] } }),
    'management.ntp[0]: "10.1.2.3/24" has host bits set. Did you mean "10.1.2.0/24" (or "10.1.2.3/32")?'],
  ['AWS: IPv6 host bits', () => awsSynth({ users: [ec2.Peer.ipv6('2001:db8::1/32')] }),
    'users[0]: "2001:db8::1/32" has host bits set. Did you mean "2001:db8::/32" (or "2001:db8::1/128")?'],
  ['AWS: empty peer list', () => awsSynth({ management: { dns: [] } }),
    'management.dns: the peer list is empty; leave the property out to open nothing for this role'],
  ['AWS: a string instead of a peer', () => awsSynth({ users: ['10.0.0.0/8'] }),
    'users[0]: expected an ec2.IPeer (e.g. ec2.Peer.ipv4(\'10.0.0.0/16\')), got "10.0.0.0/8"'],
  ['AWS: unknown management server', () => awsSynth({ management: { ntpp: [v4('10.0.0.1/32')] } }),
    `management.ntpp: unknown property. Did you mean "ntp"? Known: ${keysAt('management', CONSTRUCT_ROLES).join(', ')}`],
  ['AWS: unknown property', () => awsSynth({ user: [v4('10.0.0.0/8')] }),
    `user: unknown property. Did you mean "users"? Known: ${clusterKeys(AWS_CLUSTER_OWN_KEYS).join(', ')}`],
  ['AWS: port above 65535', () => awsSynth({ management: { mail: [v4('10.0.0.1/32')] }, portOverrides: { 'MGT-SMTP': 65536 } }),
    'portOverrides["MGT-SMTP"]: 65536 is not a port; expected an integer within 1-65535'],
  ['AWS: override of an unknown service', () => awsSynth({ management: { mail: [v4('10.0.0.1/32')] }, portOverrides: { 'MGT-SMPT': 587 } }),
    'portOverrides["MGT-SMPT"]: "MGT-SMPT" is not a row ID of the Segura firewall matrix. Did you mean "MGT-SMTP"? The IDs are listed in docs/matrix.md.'],
  ['AWS: override of a service that is not configured', () => awsSynth({ portOverrides: { 'MGT-SMTP': 587 } }),
    'portOverrides["MGT-SMTP"]: "MGT-SMTP" does not apply (management.mail is not configured), so the override would be silently ignored'],
  ['AWS: opt-out of an unknown row', () => awsSynth({ devices: [v4('10.0.0.0/8')], disabledRules: ['DVC-TELNT'] }),
    'disabledRules[0]: "DVC-TELNT" is not a row ID of the Segura firewall matrix. Did you mean "DVC-TELNET"? The IDs are listed in docs/matrix.md.'],
  ['AWS: override of a disabled row', () => awsSynth({ devices: [v4('10.0.0.0/8')], disabledRules: ['DVC-SSH'], portOverrides: { 'DVC-SSH': 2222 } }),
    'portOverrides["DVC-SSH"]: "DVC-SSH" is also in disabledRules; an override of a closed row would be ignored'],
  ['AWS: mirrors and APT proxy', () => awsSynth({ packageMirrors: [v4('1.2.3.4/32')], aptProxy: { peers: [v4('10.0.0.9/32')] } }),
    'aptProxy: configure either packageMirrors (443/tcp to the mirrors) or aptProxy (the instances reach the mirrors through the proxy), not both'],
  ['AWS: APT proxy port 0', () => awsSynth({ aptProxy: { peers: [v4('10.0.0.9/32')], port: 0 } }),
    'aptProxy.port: 0 is not a port; expected an integer within 1-65535'],
  ['AWS: rule quota 0', () => awsSynth({ ruleQuota: 0 }),
    'ruleQuota: 0 is not a rule quota; expected an integer within 1-1000'],
  ['AWS: Domum Gateway attached twice', () => awsSynth({}, (stack, cluster, vpc) => {
    new aws.DomumGateway(stack, 'Domum1', { vpc, cluster });
    new aws.DomumGateway(stack, 'Domum2', { vpc, cluster });
  }), 'cluster: the SeguraCluster S/Segura already has the Domum Gateway S/Domum1; a cluster takes one Domum Gateway (S/Domum2 is a second)'],
  ['AWS: an Arbitrator attached twice', () => awsSynth({}, (stack, cluster, vpc) => {
    new aws.SeguraArbitrator(stack, 'Arb1', { vpc, cluster });
    new aws.SeguraArbitrator(stack, 'Arb2', { vpc, cluster });
  }), 'cluster: the SeguraCluster S/Segura already has the Arbitrator S/Arb1; a cluster takes one Arbitrator (S/Arb2 is a second)'],
  ['AWS: an Arbitrator as peers and as a SeguraArbitrator', () => awsSynth({ arbitrator: [v4('172.16.0.9/32')] }, (stack, cluster, vpc) => {
    new aws.SeguraArbitrator(stack, 'Arbitrator', { vpc, cluster });
  }), 'cluster: the SeguraCluster S/Segura already has its Arbitrator as peers (arbitrator); give the Arbitrator either as peers or as a SeguraArbitrator '
    + '(S/Arbitrator), not both'],
  ['AWS: one Arbitrator for two clusters', () => awsSynth({}, (stack, cluster, vpc) => {
    const arbitrator = new aws.SeguraArbitrator(stack, 'Arbitrator', { vpc, cluster });
    new aws.SeguraCluster(stack, 'Second', { vpc, arbitrator: [arbitrator.securityGroup] });
  }), 'arbitrator[0]: is the security group of the Arbitrator S/Arbitrator, which serves the SeguraCluster S/Segura; Arbitrators serve one cluster each: '
    + 'give this cluster its own'],
  ['AWS: an Arbitrator in another App', () => awsSynth({}, (_stack, cluster, vpc) => {
    new aws.SeguraArbitrator(new Stack(new App(), 'Elsewhere'), 'Arbitrator', { vpc, cluster });
  }), 'cluster: the SeguraCluster S/Segura belongs to another App; the Arbitrator and its cluster must be in one App'],
  ['AWS: an Arbitrator in another region', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'us-east-1' } });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-12345678', availabilityZones: ['us-east-1a'] });
    const cluster = new aws.SeguraCluster(stack, 'Segura', { vpc });
    new aws.SeguraArbitrator(new Stack(app, 'Far', { env: { account: '111111111111', region: 'sa-east-1' } }), 'Arbitrator', { vpc, cluster });
  }, 'cluster: the Arbitrator\'s stack Far is in region sa-east-1, the SeguraCluster\'s stack S in us-east-1; security-group references do not cross regions: '
    + 'put the Arbitrator in the cluster\'s region'],
  ['AWS: a Domum Gateway in another account', () => {
    const app = new App();
    const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'us-east-1' } });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-12345678', availabilityZones: ['us-east-1a'] });
    const cluster = new aws.SeguraCluster(stack, 'Segura', { vpc });
    new aws.DomumGateway(new Stack(app, 'Other', { env: { account: '222222222222', region: 'us-east-1' } }), 'Domum', { vpc, cluster });
  }, 'cluster: the Domum Gateway\'s stack Other is in account 222222222222, the SeguraCluster\'s stack S in 111111111111; '
    + 'security-group references across accounts need VPC peering and the owner\'s account ID: put the Domum Gateway in the cluster\'s account'],
  ['AWS: no VPC', () => new aws.SeguraCluster(new Stack(new App(), 'S'), 'Segura', {} as any),
    'vpc: is required (the ec2.IVpc of the Segura nodes)'],
  ['AWS: Domum Gateway without a cluster', () => awsSynth({}, (stack, _cluster, vpc) => new aws.DomumGateway(stack, 'Domum', { vpc } as any)),
    'cluster: is required: the SeguraCluster (from segura-constructs/aws) the gateway talks to'],
  ['Azure: malformed prefix', () => azureSynth({ users: [az('10.0.0.0/33')] }),
    'users[0]: "10.0.0.0/33" is not a valid IPv4 CIDR (the mask must be 0-32)'],
  ['Azure: address without prefix length', () => azureSynth({ devices: [az('192.168.1.10')] }),
    'devices[0]: "192.168.1.10" has no prefix length. Did you mean "192.168.1.10/32"?'],
  ['Azure: unknown service tag format', () => azureSynth({ users: [azure.Peer.serviceTag('Azure Cloud')] }),
    'users[0]: "Azure Cloud" is not a service tag; expected a name such as "AzureMonitor" or "Storage.WestUS"'],
  ['Azure: not an ASG ID', () => azureSynth({ devices: [azure.Peer.applicationSecurityGroupId('devices-asg')] }),
    'devices[0]: "devices-asg" is not an application security group ID (/subscriptions/.../providers/Microsoft.Network/applicationSecurityGroups/NAME)'],
  ['Azure: empty peer list', () => azureSynth({ users: [] }),
    'users: the peer list is empty; leave the property out to open nothing for this role'],
  ['Azure: an AWS peer', () => azureSynth({ users: [v4('10.0.0.0/8')] }),
    'users[0]: expected a Peer (e.g. Peer.ipv4(\'10.0.0.0/16\')), got an object of class CidrIPv4'],
  ['Azure: empty resource group', () => azureSynth({ resourceGroupName: '' }),
    'resourceGroupName: is required (a non-empty string), got ""'],
  ['Azure: missing location', () => azureSynth({ location: undefined }),
    'location: is required (a non-empty string), got undefined'],
  ['Azure: bad name prefix', () => azureSynth({ namePrefix: 'segura prod' }),
    'namePrefix: "segura prod" is not a usable name prefix; expected 1-60 letters, digits, \'-\', \'_\' or \'.\', starting with a letter or digit'],
  ['Azure: more service tags than a rule slot holds', () => azureSynth({ users: Array.from({ length: 21 }, (_, i) => azure.Peer.serviceTag(`Tag${i}`)) }),
    'users: 21 service tags: a rule slot holds 20 (each tag takes a rule of its own); use fewer tags, or prefixes'],
  ['Azure: negative port override', () => azureSynth({ management: { mail: [az('10.0.0.1/32')] }, portOverrides: { 'MGT-SMTP': -1 } }),
    'portOverrides["MGT-SMTP"]: -1 is not a port; expected an integer within 1-65535'],
  ['Azure: opt-out of a row whose peers are not configured', () => azureSynth({ disabledRules: ['DVC-TELNET'] }),
    'disabledRules[0]: "DVC-TELNET" does not apply (devices is not configured), so disabling it would be silently ignored'],
  ['Azure: an Arbitrator as peers and as a SeguraArbitrator', () => azureSynth({ arbitrator: [az('172.16.0.9/32')] }, (stack, cluster) => {
    new azure.SeguraArbitrator(stack, 'Arbitrator', { resourceGroupName: 'rg', location: 'brazilsouth', cluster });
  }), 'cluster: the SeguraCluster S/Segura already has its Arbitrator as peers (arbitrator); give the Arbitrator either as peers or as a SeguraArbitrator '
    + '(S/Arbitrator), not both'],
  ['Azure: one Arbitrator for two clusters', () => azureSynth({}, (stack, cluster) => {
    const arbitrator = new azure.SeguraArbitrator(stack, 'Arbitrator', { resourceGroupName: 'rg', location: 'brazilsouth', cluster });
    new azure.SeguraCluster(stack, 'Second', {
      resourceGroupName: 'rg',
      location: 'brazilsouth',
      namePrefix: 'second',
      arbitrator: [azure.Peer.applicationSecurityGroup(arbitrator.applicationSecurityGroup)],
    });
  }), 'arbitrator[0]: is the ASG of the Arbitrator S/Arbitrator, which serves the SeguraCluster S/Segura; Arbitrators serve one cluster each: give this cluster its own'],
  ['Azure: an Arbitrator in another location', () => azureSynth({}, (stack, cluster) => {
    new azure.SeguraArbitrator(stack, 'Arbitrator', { resourceGroupName: 'rg', location: 'eastus', cluster });
  }), 'location: "eastus" is not the SeguraCluster\'s location ("brazilsouth"); the Arbitrator\'s and the nodes\' ASGs must be in one region and VNet: '
    + 'put the Arbitrator in the cluster\'s location'],
  ['Azure: an Arbitrator in another App', () => azureSynth({}, (_stack, cluster) => {
    new azure.SeguraArbitrator(new TerraformStack(Testing.app(), 'Elsewhere'), 'Arbitrator', { resourceGroupName: 'rg', location: 'brazilsouth', cluster });
  }), 'cluster: the SeguraCluster S/Segura belongs to another App; the Arbitrator and its cluster must be in one App'],
  ['Azure: Domum Gateway attached twice', () => azureSynth({}, (stack, cluster) => {
    new azure.DomumGateway(stack, 'Domum1', { resourceGroupName: 'rg', location: 'brazilsouth', cluster });
    new azure.DomumGateway(stack, 'Domum2', { resourceGroupName: 'rg', location: 'brazilsouth', cluster });
  }), 'cluster: the SeguraCluster S/Segura already has the Domum Gateway S/Domum1; a cluster takes one Domum Gateway (S/Domum2 is a second)'],

  // World access is an explicit decision (any spelling; on Azure the Internet and * tags too).
  ['AWS: users open to the world', () => awsSynth({ users: [ec2.Peer.anyIpv4()] }),
    'users[0]: "0.0.0.0/0" is every IPv4 address: it would open tcp 443, 80, 22, 3389 from anywhere (USR-HTTPS, USR-HTTP, USR-SSH, USR-RDP). '
    + 'If that is intended, add "users" to allowAnyAddress.'],
  ['AWS: devices open to the world', () => awsSynth({ devices: [v4('0.0.0.0/0')] }),
    'devices[0]: "0.0.0.0/0" is every IPv4 address: it would open tcp 22, 23, 7443, 1433, 5432, 3306, 3389, 135, 139, 445, 80, 443 to anywhere '
    + '(DVC-SSH, DVC-TELNET, DVC-ORACLE, DVC-MSSQL, DVC-POSTGRES, DVC-MYSQL, DVC-RDP, DVC-RPC, DVC-RM, DVC-SMB, DVC-HTTP, DVC-HTTPS). '
    + 'If that is intended, add "devices" to allowAnyAddress.'],
  ['AWS: the backup server open to the world, both ways', () => awsSynth({ management: { backup: [v4('0.0.0.0/0')] }, portOverrides: { 'BKP-SMB': 4445 } }),
    'management.backup[0]: "0.0.0.0/0" is every IPv4 address: it would open tcp 22, 2049, 4445 from anywhere (BKP-SSH, BKP-NFS, BKP-SMB), '
    + 'and tcp 22, 2049, 5445 to anywhere (MGT-BACKUP-SSH, MGT-BACKUP-NFS, MGT-BACKUP-SMB). If that is intended, add "management.backup" to allowAnyAddress.'],
  ['AWS: a load balancer open to the world', () => awsSynth({ loadBalancers: [ec2.Peer.ipv4('10.0.0.0/24'), ec2.Peer.anyIpv4()] }),
    'loadBalancers[1]: "0.0.0.0/0" is every IPv4 address: it would open tcp 443, 80, 22, 3389 from anywhere (LB-HTTPS, LB-HTTP, LB-SSH, LB-RDP). '
    + 'If that is intended, add "loadBalancers" to allowAnyAddress.'],
  ['AWS: an empty list of load balancers', () => awsSynth({ loadBalancers: [] }),
    'loadBalancers: the peer list is empty; leave the property out to open nothing for this role'],
  ['AWS: the world spelled 000.000.000.000/0', () => awsSynth({ users: [v4('000.000.000.000/0')] }),
    'users[0]: "000.000.000.000/0" is every IPv4 address: it would open tcp 443, 80, 22, 3389 from anywhere (USR-HTTPS, USR-HTTP, USR-SSH, USR-RDP). '
    + 'If that is intended, add "users" to allowAnyAddress.'],
  ['AWS: the world spelled 0::/0', () => awsSynth({ management: { ntp: [ec2.Peer.ipv6('0::/0')] } }),
    'management.ntp[0]: "0::/0" is every IPv6 address: it would open udp 123 to anywhere (MGT-NTP). If that is intended, add "management.ntp" to allowAnyAddress.'],
  ['AWS: the world spelled 0:0:0:0:0:0:0:0/0', () => awsSynth({ management: { dns: [ec2.Peer.ipv6('0:0:0:0:0:0:0:0/0')] } }),
    'management.dns[0]: "0:0:0:0:0:0:0:0/0" is every IPv6 address: it would open udp 53 to anywhere (MGT-DNS). If that is intended, add "management.dns" to allowAnyAddress.'],
  ['AWS: the world as 10.0.0.0/0', () => awsSynth({ arbitrator: [v4('10.0.0.0/0')] }),
    'arbitrator[0]: "10.0.0.0/0" is every IPv4 address: it would open tcp 9300, 3306, 4567, 4568, 4444; udp 4567 from anywhere (ARB-A2I-VRACE, ARB-A2I-MYSQL, '
    + 'ARB-A2I-TRAM-TCP, ARB-A2I-BMC, ARB-A2I-SST, ARB-A2I-TRAM-UDP), and tcp 9300, 3306, 4567, 4568, 4444; udp 4567 to anywhere (ARB-I2A-VRACE, ARB-I2A-MYSQL, '
    + 'ARB-I2A-TRAM-TCP, ARB-I2A-BMC, ARB-I2A-SST, ARB-I2A-TRAM-UDP). If that is intended, add "arbitrator" to allowAnyAddress.'],
  ['AWS: allowed, the host bits of 10.0.0.0/0 never suggest the whole world', () => awsSynth({ users: [v4('10.0.0.0/0')], allowAnyAddress: ['users'] }),
    'users[0]: "10.0.0.0/0" has host bits set. Did you mean "10.0.0.0/32"?'],
  ['AWS: allowAnyAddress naming no peer property', () => awsSynth({ allowAnyAddress: ['packageMirror'] }),
    'allowAnyAddress[0]: "packageMirror" is not a property that holds peers. Did you mean "packageMirrors"? '
    + `Known: ${CONSTRUCT_ROLES.map(r => ROLES[r].property).join(', ')}`],
  ['AWS: allowAnyAddress not a list', () => awsSynth({ allowAnyAddress: 'users' }),
    'allowAnyAddress: expected a list of role properties such as "packageMirrors", got "users"'],
  // Canonical CIDRs only.
  ['AWS: a leading zero in an octet', () => awsSynth({ users: [v4('010.0.0.0/8')] }),
    'users[0]: "010.0.0.0/8" has leading zeros (read as octal by some tools). Did you mean "10.0.0.0/8"?'],
  ['AWS: a zero-padded prefix length', () => awsSynth({ users: [v4('10.0.0.0/08')] }),
    'users[0]: "10.0.0.0/08" has leading zeros (read as octal by some tools). Did you mean "10.0.0.0/8"?'],
  // Strict types: JavaScript users and JSON configs exist.
  ['AWS: no props at all', () => new aws.SeguraCluster(new Stack(new App(), 'S'), 'Segura', undefined as any),
    'props: are required (an object with the cluster\'s options), got undefined'],
  ['AWS: a VPC ID instead of a VPC', () => new aws.SeguraCluster(new Stack(new App(), 'S'), 'Segura', { vpc: 'vpc-12345678' } as any),
    'vpc: expected the ec2.IVpc of the Segura nodes, got "vpc-12345678"'],
  ['AWS: a rule quota as a string', () => awsSynth({ ruleQuota: '60' }),
    'ruleQuota: "60" is not a rule quota; expected an integer within 1-1000'],
  ['AWS: maxSecurityGroups NaN', () => awsSynth({ maxSecurityGroups: NaN }),
    'maxSecurityGroups: NaN is not a number of security groups; expected an integer within 1-16'],
  ['AWS: a layout file as a number', () => awsSynth({ layoutFile: 42 }),
    'layoutFile: expected the path of a JSON file (relative to the directory synth runs in), known at synth; got 42'],
  ['AWS: a port override NaN', () => awsSynth({ management: { mail: [v4('10.0.0.1/32')] }, portOverrides: { 'MGT-SMTP': NaN } }),
    'portOverrides["MGT-SMTP"]: NaN is not a port; expected an integer within 1-65535'],
  ['AWS: a port override Infinity', () => awsSynth({ management: { mail: [v4('10.0.0.1/32')] }, portOverrides: { 'MGT-SMTP': Infinity } }),
    'portOverrides["MGT-SMTP"]: Infinity is not a port; expected an integer within 1-65535'],
  ['AWS: a row ID that is not a string', () => awsSynth({ disabledRules: [42] }),
    'disabledRules[0]: expected a string (row IDs), got 42'],
  ['AWS: port overrides as a list', () => awsSynth({ portOverrides: [587] }),
    'portOverrides: expected an object of row ID to port, got [587]'],
  ['AWS: an unknown cluster traffic', () => awsSynth({ clusterTraffic: 'ALL' }),
    'clusterTraffic: "ALL" is not a cluster traffic. Expected one of ALL_INSTANCES, PRIMARY_AND_MEMBERS_ONLY'],
  ['AWS: management as a list', () => awsSynth({ management: [v4('10.0.0.1/32')] }),
    'management: expected an object, got a list'],
  ['AWS: an APT proxy without its peers', () => awsSynth({ aptProxy: { port: 3128 } }),
    'aptProxy.peers: is required when aptProxy is given (a list of peers)'],
  ['AWS: a Domum Gateway without props', () => awsSynth({}, stack => new aws.DomumGateway(stack, 'Domum', undefined as any)),
    'props: are required (an object with the gateway\'s options), got undefined'],
  ['Azure: no props at all', () => new azure.SeguraCluster(new TerraformStack(Testing.app(), 'S'), 'Segura', undefined as any),
    'props: are required (an object with the cluster\'s options), got undefined'],
  ['Azure: an IPv4 prefix open to the world', () => azureSynth({ users: [az('0.0.0.0/0')] }),
    'users[0]: "0.0.0.0/0" is every IPv4 address: it would open tcp 443, 80, 22, 3389 from anywhere (USR-HTTPS, USR-HTTP, USR-SSH, USR-RDP). '
    + 'If that is intended, add "users" to allowAnyAddress.'],
  ['Azure: an IPv6 prefix open to the world', () => azureSynth({ packageMirrors: [azure.Peer.ipv6('::/0')] }),
    'packageMirrors[0]: "::/0" is every IPv6 address: it would open tcp 443 to anywhere (UPD-MIRROR). If that is intended, add "packageMirrors" to allowAnyAddress.'],
  ['Azure: the Internet service tag', () => azureSynth({ users: [azure.Peer.serviceTag('Internet')] }),
    'users[0]: the service tag "Internet" is every address outside Azure\'s virtual networks: it would open tcp 443, 80, 22, 3389 from anywhere '
    + '(USR-HTTPS, USR-HTTP, USR-SSH, USR-RDP). If that is intended, add "users" to allowAnyAddress.'],
  ['Azure: a load balancer as the Internet service tag', () => azureSynth({ loadBalancers: [azure.Peer.serviceTag('Internet')] }),
    'loadBalancers[0]: the service tag "Internet" is every address outside Azure\'s virtual networks: it would open tcp 443, 80, 22, 3389 from anywhere '
    + '(LB-HTTPS, LB-HTTP, LB-SSH, LB-RDP). If that is intended, add "loadBalancers" to allowAnyAddress.'],
  ['Azure: an empty list of load balancers', () => azureSynth({ loadBalancers: [] }),
    'loadBalancers: the peer list is empty; leave the property out to open nothing for this role'],
  ['Azure: the * tag', () => azureSynth({ devices: [azure.Peer.serviceTag('*')] }),
    'devices[0]: the tag "*" is every address: it would open tcp 22, 23, 7443, 1433, 5432, 3306, 3389, 135, 139, 445, 80, 443 to anywhere '
    + '(DVC-SSH, DVC-TELNET, DVC-ORACLE, DVC-MSSQL, DVC-POSTGRES, DVC-MYSQL, DVC-RDP, DVC-RPC, DVC-RM, DVC-SMB, DVC-HTTP, DVC-HTTPS). '
    + 'If that is intended, add "devices" to allowAnyAddress.'],
  ['Azure: an IPv6 prefix given to Peer.ipv4', () => azureSynth({ users: [az('2001:db8::/32')] }),
    'users[0]: "2001:db8::/32" is an IPv6 prefix, given to Peer.ipv4; use Peer.ipv6(\'2001:db8::/32\')'],
  ['Azure: an IPv4 prefix given to Peer.ipv6', () => azureSynth({ users: [azure.Peer.ipv6('10.0.0.0/8')] }),
    'users[0]: "10.0.0.0/8" is an IPv4 prefix, given to Peer.ipv6; use Peer.ipv4(\'10.0.0.0/8\')'],
  ['Azure: keepAzureDefaultRules as a string', () => azureSynth({ keepAzureDefaultRules: 'false' }),
    'keepAzureDefaultRules: expected true or false, got "false"'],
  ['Azure: a name prefix that is not a string', () => azureSynth({ namePrefix: 5 }),
    'namePrefix: expected a string, got 5'],
  ['Azure: a tag that is not a string', () => azureSynth({ tags: { owner: 1 } }),
    'tags.owner: expected a string, got 1'],
  ['Azure: a misspelled location', () => azureSynth({ location: 'brasilsouth' }),
    'location: "brasilsouth" is not an Azure region. Did you mean "brazilsouth"? Regions: `az account list-locations -o table` '
    + '(a region newer than this library: pass it as a token)'],
  ['Azure: a resource group name with spaces', () => azureSynth({ resourceGroupName: 'rg segura' }),
    'resourceGroupName: "rg segura" is not a resource group name; expected 1-90 letters, digits, \'_\', \'-\', \'.\' or parentheses, not ending in \'.\''],
  ['Azure: two clusters with the same names in one resource group', () => {
    const app = Testing.app();
    new azure.SeguraCluster(new TerraformStack(app, 's1'), 'Segura', { resourceGroupName: 'rg', location: 'brazilsouth' });
    new azure.SeguraCluster(new TerraformStack(app, 's2'), 'Segura', { resourceGroupName: 'rg', location: 'brazilsouth' });
  }, 'namePrefix: the name "segura-prd-asg" is already used in this resource group by s1/Segura; give s2/Segura (or s1/Segura) a namePrefix of its own'],
  ['Azure: a Domum Gateway without props', () => azureSynth({}, stack => new azure.DomumGateway(stack, 'Domum', undefined as any)),
    'props: are required (an object with the gateway\'s options), got undefined'],

  // World access judged on a role's prefixes together: any split of the address space.
  ['AWS: users as two halves of the IPv4 space', () => awsSynth({ users: [v4('0.0.0.0/1'), v4('128.0.0.0/1')] }),
    'users: the 2 prefixes "0.0.0.0/1", "128.0.0.0/1" together are every IPv4 address: it would open tcp 443, 80, 22, 3389 from anywhere '
    + '(USR-HTTPS, USR-HTTP, USR-SSH, USR-RDP). If that is intended, add "users" to allowAnyAddress.'],
  ['AWS: devices as quarters of the IPv6 space, out of order, beside an ordinary prefix', () => awsSynth({
    devices: [ec2.Peer.ipv6('c000::/2'), v4('10.20.0.0/16'), ec2.Peer.ipv6('4000::/2'), ec2.Peer.ipv6('::/2'), ec2.Peer.ipv6('8000::/2')],
  }), 'devices: the 4 prefixes "::/2", "4000::/2", "8000::/2", ... together are every IPv6 address: it would open tcp 22, 23, 7443, 1433, 5432, 3306, 3389, '
    + '135, 139, 445, 80, 443 to anywhere (DVC-SSH, DVC-TELNET, DVC-ORACLE, DVC-MSSQL, DVC-POSTGRES, DVC-MYSQL, DVC-RDP, DVC-RPC, DVC-RM, DVC-SMB, DVC-HTTP, '
    + 'DVC-HTTPS). If that is intended, add "devices" to allowAnyAddress.'],
  ['Azure: users as two halves of the IPv4 space', () => azureSynth({ users: [az('128.0.0.0/1'), az('0.0.0.0/1')] }),
    'users: the 2 prefixes "0.0.0.0/1", "128.0.0.0/1" together are every IPv4 address: it would open tcp 443, 80, 22, 3389 from anywhere '
    + '(USR-HTTPS, USR-HTTP, USR-SSH, USR-RDP). If that is intended, add "users" to allowAnyAddress.'],
  ['Azure: AzureCloud, every tenant\'s public addresses', () => azureSynth({ users: [azure.Peer.serviceTag('AzureCloud')] }),
    'users[0]: the service tag "AzureCloud" is every public address of Azure\'s datacenters, any Azure tenant\'s: it would open tcp 443, 80, 22, 3389 '
    + 'from anywhere (USR-HTTPS, USR-HTTP, USR-SSH, USR-RDP). If that is intended, add "users" to allowAnyAddress.'],
  ['Azure: AzureCloud in one region', () => azureSynth({ packageMirrors: [azure.Peer.serviceTag('AzureCloud.brazilsouth')] }),
    'packageMirrors[0]: the service tag "AzureCloud.brazilsouth" is every public address of Azure\'s datacenters in its region, any Azure tenant\'s: '
    + 'it would open tcp 443 to anywhere (UPD-MIRROR). If that is intended, add "packageMirrors" to allowAnyAddress.'],
  // Plain records and lists: a Map, a Set or a class instance would be read as nothing.
  ['AWS: port overrides as a Map', () => awsSynth({ management: { mail: [v4('10.0.0.1/32')] }, portOverrides: new Map([['MGT-SMTP', 587]]) }),
    'portOverrides: expected an object of row ID to port, got an object of class Map'],
  ['AWS: management as a class instance', () => awsSynth({ management: new (class Servers { public ntp = [v4('10.0.0.1/32')]; })() }),
    'management: expected an object, got an object of class Servers'],
  ['AWS: disabled rules as a Set', () => awsSynth({ devices: [v4('10.0.0.0/8')], disabledRules: new Set(['DVC-TELNET']) }),
    'disabledRules: expected a list of row IDs, got an object of class Set'],
  ['AWS: props as a class instance', () => new aws.SeguraCluster(new Stack(new App(), 'S'), 'Segura', new (class Props { public vpc = undefined; })() as any),
    'props: expected a plain object (the cluster\'s options), got an object of class Props'],
  ['AWS: a getter that throws', () => {
    const stack = new Stack(new App(), 'S');
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-12345678', availabilityZones: ['a'] });
    new aws.SeguraCluster(stack, 'Segura', { vpc, get users(): never { throw new Error('not today'); } });
  }, 'users: could not be read: Error: not today'],
  ['Azure: tags as a Map', () => azureSynth({ tags: new Map([['owner', 'pam']]) }),
    'tags: expected an object of strings, got an object of class Map'],
  ['Azure: the APT proxy as a Map', () => azureSynth({ aptProxy: new Map([['peers', [az('10.0.0.9/32')]]]) }),
    'aptProxy: expected an object, got an object of class Map'],
  ['Azure: a gateway\'s props as a Map', () => azureSynth({}, (stack, cluster) => new azure.DomumGateway(stack, 'Domum', new Map([['cluster', cluster]]) as any)),
    'props: expected a plain object (the gateway\'s options), got an object of class Map'],
  // Peer factories: their argument checked where the peer is used, never a TypeError.
  ['Azure: Peer.ipv4(null)', () => azureSynth({ users: [az(null as any)] }),
    'users[0]: Peer.ipv4 was given null; expected a CIDR string such as "10.0.0.0/16" (or a token)'],
  ['Azure: Peer.ipv6(undefined)', () => azureSynth({ devices: [az('10.0.0.0/8'), azure.Peer.ipv6(undefined as any)] }),
    'devices[1]: Peer.ipv6 was given undefined; expected a CIDR string such as "10.0.0.0/16" (or a token)'],
  ['Azure: Peer.serviceTag(null)', () => azureSynth({ management: { syslog: [azure.Peer.serviceTag(null as any)] } }),
    'management.syslog[0]: Peer.serviceTag was given null; expected a service tag name such as "AzureMonitor" (or a token)'],
  ['Azure: Peer.applicationSecurityGroup(undefined)', () => azureSynth({ users: [azure.Peer.applicationSecurityGroup(undefined as any)] }),
    'users[0]: Peer.applicationSecurityGroup was given undefined; expected an ApplicationSecurityGroup construct'],
  ['Azure: Peer.applicationSecurityGroupId(42)', () => azureSynth({ users: [azure.Peer.applicationSecurityGroupId(42 as any)] }),
    'users[0]: Peer.applicationSecurityGroupId was given 42; expected an application security group ID (or a token)'],
  ['AWS: ec2.Peer.prefixList(null)', () => awsSynth({ users: [ec2.Peer.prefixList(null as any)] }),
    'users[0]: is a peer whose sourcePrefixListId is null; expected a string (or a token)'],
  ['AWS: a prefix-list ID that is not one', () => awsSynth({ users: [ec2.Peer.prefixList('sg-0123456789abcdef0')] }),
    'users[0]: is a peer whose sourcePrefixListId is "sg-0123456789abcdef0"; expected a prefix-list ID such as "pl-0123456789abcdef0" (or a token)'],
  ['AWS: a peer whose rule config throws', () => awsSynth({ users: [{ uniqueId: 'mine', toIngressRuleConfig: () => { throw new Error('no config'); } }] }),
    'users[0]: is a peer whose rule config cannot be read (no config)'],
  ['AWS: a peer whose rule config is null', () => awsSynth({ users: [{ uniqueId: 'mine', toIngressRuleConfig: () => null }] }),
    'users[0]: is a peer whose rule config is null; expected an object such as { cidrIp: \'10.0.0.0/16\' }'],
  ['AWS: a peer naming two targets', () => awsSynth({ users: [{ uniqueId: 'mine', toIngressRuleConfig: () => ({ cidrIp: '10.0.0.0/8', sourcePrefixListId: 'pl-0123456789abcdef0' }) }] }),
    'users[0]: is a peer whose rule config {"cidrIp":"10.0.0.0/8","sourcePrefixListId":"pl-0123456789abcdef0"} does not name exactly one of cidrIp, cidrIpv6, '
    + 'sourcePrefixListId, sourceSecurityGroupId'],
  ['AWS: a peer whose uniqueId is not a string', () => awsSynth({ users: [{ uniqueId: 7, toIngressRuleConfig: () => ({ cidrIp: '10.0.0.0/8' }) }] }),
    'users[0]: is a peer whose uniqueId is 7; expected a string'],
  // A gateway's stack comes after its cluster's.
  ['AWS: a Domum Gateway in the stack of the VPC the cluster uses', () => {
    const app = new App();
    const network = new Stack(app, 'Network');
    const vpc = new ec2.Vpc(network, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const cluster = new aws.SeguraCluster(new Stack(app, 'Segura'), 'Segura', { vpc });
    new aws.DomumGateway(network, 'Domum', { vpc, cluster });
    app.synth();
  }, 'cluster: the Domum Gateway\'s stack Network is one the SeguraCluster\'s stack Segura depends on (Segura/Segura/PrimarySecurityGroup/Resource references '
    + 'Network/Vpc/Resource); the Domum Gateway\'s rules reference the cluster\'s security groups, so Network would depend on Segura too: a cycle. '
    + 'Put the Domum Gateway in a stack of its own (e.g. new Stack(app, \'SeguraDomum\')), which then depends on both'],
  ['AWS: an Arbitrator in a stack the cluster\'s stack depends on, through a third stack', () => {
    const app = new App();
    const [first, middle, last] = ['First', 'Middle', 'Last'].map(n => new Stack(app, n));
    const vpc = ec2.Vpc.fromVpcAttributes(last, 'Vpc', { vpcId: 'vpc-12345678', availabilityZones: ['a'] });
    middle.node.addDependency(first);
    const cluster = new aws.SeguraCluster(last, 'Segura', { vpc });
    cluster.node.addDependency(middle);
    new aws.SeguraArbitrator(first, 'Arbitrator', { vpc, cluster });
    app.synth();
  }, 'cluster: the Arbitrator\'s stack First is one the SeguraCluster\'s stack Last depends on (Last/Segura depends on Middle (node.addDependency), '
    + 'and Middle depends on First (node.addDependency)); the Arbitrator\'s rules reference the cluster\'s security groups, so First would depend on Last too: '
    + 'a cycle. Put the Arbitrator in a stack of its own (e.g. new Stack(app, \'SeguraArbitrator\')), which then depends on both'],
];

describe('bad input to the constructs: a SeguraValidationError with this exact message', () => {
  test.each(CONSTRUCT_CASES)('%s', (_what, run, message) => {
    let error: unknown;
    try { run(); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(SeguraValidationError);
    expect((error as Error).message).toBe(message);
  });
});

/** [what, run, exact message] for what only the synth's validations can see. */
const SYNTH_CASES: Array<[string, () => void, string]> = [
  ['AWS: rules of your own past the quota', () => awsSynth({}, (_stack, cluster) => {
    for (let i = 0; i < 55; i++) cluster.primarySecurityGroup.addIngressRule(v4(`10.0.${i}.0/24`), ec2.Port.tcp(8080));
  }), '[S/Segura] security group S/Segura/PrimarySecurityGroup (PRD) holds 65 inbound ipv4 rules, above ruleQuota 60 (55 of them added outside the library). '
      + 'Move your own rules to a group of your own, or raise the quota with AWS and set ruleQuota.'],
  ['AWS: a Domum row changed with no gateway', () => awsSynth({ disabledRules: ['DOM-P2D-WSS'] }),
    '[S/Segura] DOM-P2D-WSS is in portOverrides or disabledRules, but no DomumGateway is attached to S/Segura, so it would be silently ignored'],
  ['Azure: a Domum row changed with no gateway', () => azureSynth({ portOverrides: { 'DOM-P2D-WSS': 8443 } }),
    'DOM-P2D-WSS is in portOverrides or disabledRules, but no DomumGateway is attached to S/Segura, so it would be silently ignored'],
  // No rule written twice: one group given by two objects is one peer; a rule of yours that repeats the library's is refused.
  ['AWS: a rule of your own that the library writes already', () => awsSynth({ users: [ec2.Peer.securityGroupId('sg-0123456789abcdef0')] }, (stack, cluster) => {
    cluster.primarySecurityGroup.addIngressRule(ec2.SecurityGroup.fromSecurityGroupId(stack, 'Jump', 'sg-0123456789abcdef0'), ec2.Port.tcp(22), 'SSH from the jump hosts');
  }), '[S/Segura] security group S/Segura/PrimarySecurityGroup (PRD) would hold the inbound tcp 22 from sg-0123456789abcdef0 rule twice: the library\'s '
    + '(USR-SSH: SSH 22/tcp USERW to PRD) and one added outside the library. EC2 refuses a duplicate rule (InvalidPermission.Duplicate): remove yours, '
    + 'the library\'s allows it already.'],
  // Your own rules on the library's NSGs: priorities unique per direction, Azure's limits counted with them.
  ['Azure: your deny-all at 4096, where the library\'s is', () => azureSynth({}, (stack, cluster) => {
    new NetworkSecurityRule(stack, 'MyDenyAll', { ...DENY, name: 'MyDenyAll', priority: 4096, direction: 'Inbound', networkSecurityGroupName: cluster.networkSecurityGroup.name });
  }), '[S/Segura] NSG segura-nsg (S/Segura/NetworkSecurityGroup): rules "Segura-DenyAllInbound" (S/Segura/Segura-DenyAllInbound) and "MyDenyAll" (S/MyDenyAll) '
    + 'both have priority 4096 Inbound; Azure refuses two rules at one priority and direction (SecurityRuleConflict). Give your own rules priorities of '
    + 'their own in 4000-4095, the band the library leaves to them (after its allow rules, before its deny-all)'],
  ['Azure: your rule at the priority of the library\'s user rule, naming the NSG by name', () => azureSynth({ users: [az('10.10.0.0/16')] }, stack => {
    // The users' inbound rule is the PRD_MBR table's slot 11: 100 + 50 * 11 (lib/azure/priorities.ts).
    new NetworkSecurityRule(stack, 'Mine', { ...DENY, name: 'DenyLegacy', priority: 650, direction: 'Inbound', networkSecurityGroupName: 'segura-nsg' });
  }), '[S/Segura] NSG segura-nsg (S/Segura/NetworkSecurityGroup): rules "Segura-In-PRD_MBR-from-USERW-Tcp" (S/Segura/Segura-In-PRD_MBR-from-USERW-Tcp) '
    + 'and "DenyLegacy" (S/Mine) both have priority 650 Inbound; Azure refuses two rules at one priority and direction (SecurityRuleConflict). Give your own '
    + 'rules priorities of their own in 4000-4095, the band the library leaves to them (after its allow rules, before its deny-all)'],
  ['Azure: your rule named as the library\'s', () => azureSynth({}, (stack, cluster) => {
    new NetworkSecurityRule(stack, 'Mine', { ...DENY, name: 'segura-denyalloutbound', priority: 4001, direction: 'Outbound', networkSecurityGroupName: cluster.networkSecurityGroup.name });
  }), '[S/Segura] NSG segura-nsg (S/Segura/NetworkSecurityGroup): rules "Segura-DenyAllOutbound" (S/Segura/Segura-DenyAllOutbound) and '
    + '"segura-denyalloutbound" (S/Mine) have one name; a rule is its NSG\'s by name, so one would replace the other'],
  ['Azure: your rules past 1,000 on the cluster\'s NSG', () => azureSynth({}, (stack, cluster) => {
    // Priorities the library never takes in this configuration: 1-9 past each slot's first (lib/azure/rules.ts bands).
    for (let i = 0; i < 1000; i++) {
      new NetworkSecurityRule(stack, `Mine${i}`, {
        ...DENY, name: `Mine${i}`, priority: 101 + 50 * Math.floor(i / 18) + (i % 9), direction: i % 18 < 9 ? 'Inbound' : 'Outbound', networkSecurityGroupName: cluster.networkSecurityGroup.name,
      });
    }
  }), `[S/Segura] NSG segura-nsg (S/Segura/NetworkSecurityGroup) would hold ${LIBRARY_RULES_ALONE + 1000} rules (${LIBRARY_RULES_ALONE} of the library's, 1000 of yours); `
    + 'Azure allows 1000 per NSG'],
  ['Azure: rules inline in the library\'s NSG', () => azureSynth({}, (_stack, cluster) => {
    cluster.networkSecurityGroup.addOverride('security_rule', [{ name: 'Inline', priority: 4001, direction: 'Inbound', access: 'Deny', protocol: '*' }]);
  }), '[S/Segura] NSG segura-nsg (S/Segura/NetworkSecurityGroup) has rules inline (security_rule) beside its rule resources; azurerm manages an NSG\'s rules '
    + 'one way or the other, never both: write yours as azurerm_network_security_rule resources (NetworkSecurityRule)'],
  ['Azure: a library rule overridden to every address', () => azureSynth({ users: [az('10.10.0.0/16')] }, (_stack, cluster) => {
    (cluster.node.findChild('Segura-In-PRD_MBR-from-USERW-Tcp') as NetworkSecurityRule).addOverride('source_address_prefix', 'Internet');
  }), '[S/Segura] NSG segura-nsg (S/Segura/NetworkSecurityGroup): rule "Segura-In-PRD_MBR-from-USERW-Tcp" (S/Segura/Segura-In-PRD_MBR-from-USERW-Tcp) allows '
    + 'users from every address (the service tag "Internet" is every address outside Azure\'s virtual networks), which allowAnyAddress does not name'],
  ['AWS: a users\' CIDR given as a token that resolves to every address at synth (Lazy)', () => awsSynth({ users: [v4(CdkLazy.string({ produce: () => '0.0.0.0/0' }))] }),
    '[S/Segura] security group S/Segura/PrimarySecurityGroup (PRD): the inbound tcp 22 from a CIDR given as a token rule allows users from every address '
    + '("0.0.0.0/0" is every IPv4 address), which allowAnyAddress does not name'],
  ['AWS: an NTP server given as a token that resolves to every address at synth (Lazy): an outbound rule, named by its destination',
    () => awsSynth({ management: { ntp: [v4(CdkLazy.string({ produce: () => '0.0.0.0/0' }))] } }),
    '[S/Segura] security group S/Segura/PrimarySecurityGroup (PRD): the outbound udp 123 to a CIDR given as a token rule allows management.ntp to every address '
    + '("0.0.0.0/0" is every IPv4 address), which allowAnyAddress does not name'],
  ['Azure: a users\' CIDR given as a token that resolves to every address at synth (Lazy)', () => azureSynth({ users: [az(Lazy.stringValue({ produce: () => '0.0.0.0/0' }))] }),
    '[S/Segura] NSG segura-nsg (S/Segura/NetworkSecurityGroup): rule "Segura-In-PRD_MBR-from-USERW-Tcp" (S/Segura/Segura-In-PRD_MBR-from-USERW-Tcp) allows '
    + 'users from every address ("0.0.0.0/0" is every IPv4 address), which allowAnyAddress does not name'],
];

describe('bad input found at synth (validations): the exact message in the synth error', () => {
  test.each(SYNTH_CASES)('%s', (_what, run, message) => {
    expect(run).toThrow(message);
  });
});

/** The command line, in process (test/cli-process.test.ts checks that the built command exits with the code \`run\` returns). */
async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = []; const err: string[] = [];
  // Standard input, for the cases that give '-': a config.
  const code = await runCli(argv, { out: c => { out.push(c); }, err: m => { err.push(m); }, stdin: () => '{ "primary": ["10.0.1.4/32"] }' });
  return { code, stdout: out.join(''), stderr: err.join('') };
}
const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'segura-bad-'));
const file = (name: string, content: string) => { const f = path.join(DIR, name); fs.writeFileSync(f, content); return f; };

/** [argv, exact stderr line] for the command line. */
const CLI_CASES: Array<[string[], string]> = [
  [['matrix', '--frmat', 'csv'], 'segura-firewall: unknown option "--frmat" for matrix. Did you mean "--format"? See \'segura-firewall matrix --help\''],
  [['matrix', '--format', 'xml'], 'segura-firewall: unknown format "xml" for matrix. Formats: table, markdown, csv, json'],
  [['diagram', '--format', 'mermiad'], 'segura-firewall: unknown format "mermiad" for diagram. Did you mean "mermaid"? Formats: mermaid, dot'],
  [['matrx'], 'segura-firewall: unknown command "matrx". Did you mean "matrix"? Commands: matrix, diagram, audit, help'],
  [['matrix', '--config'], 'segura-firewall: --config needs a value'],
  [['matrix', '--config', path.join(DIR, 'missing.json')], `segura-firewall: cannot read config file ${path.join(DIR, 'missing.json')}: ENOENT`],
  [['matrix', '--config', file('cidr.json', '{ "users": ["10.0.0.300/16"] }')],
    `segura-firewall: ${path.join(DIR, 'cidr.json')}: users[0]: "10.0.0.300/16" is not a valid IPv4 CIDR (an octet is above 255)`],
  [['matrix', '--config', file('svc.json', '{ "devices": ["10.0.0.0/8"], "disabledRules": ["TELNET"] }')],
    `segura-firewall: ${path.join(DIR, 'svc.json')}: disabledRules[0]: "TELNET" is not a row ID of the Segura firewall matrix. The IDs are listed in docs/matrix.md.`],
  [['matrix', '--config', file('key.json', '{ "user": ["10.0.0.0/8"] }')],
    `segura-firewall: ${path.join(DIR, 'key.json')}: user: unknown property. Did you mean "users"? Known: ${configFileKeys('cli').join(', ')}`],
  [['matrix', '--config', file('ovr.json', '{ "portOverrides": { "MGT-SMTP": 587 } }')],
    `segura-firewall: ${path.join(DIR, 'ovr.json')}: portOverrides["MGT-SMTP"]: "MGT-SMTP" does not apply (management.mail is not configured), so the override would be silently ignored`],
  [['matrix', '--config', file('arr.json', '[]')], `segura-firewall: ${path.join(DIR, 'arr.json')}: config: expected a JSON object`],
  [['matrix', '--config', file('port.json', '{ "aptProxy": { "peers": ["10.0.0.1/32"], "port": "3142" } }')],
    `segura-firewall: ${path.join(DIR, 'port.json')}: aptProxy.port: "3142" is not a port; expected an integer within 1-65535`],
  [['matrix', '--config', file('empty.json', '{ "members": [] }')],
    `segura-firewall: ${path.join(DIR, 'empty.json')}: members: the peer list is empty; leave the property out to open nothing for this role`],
  [['matrix', '--config', file('lb-empty.json', '{ "loadBalancers": [] }')],
    `segura-firewall: ${path.join(DIR, 'lb-empty.json')}: loadBalancers: the peer list is empty; leave the property out to open nothing for this role`],
  // An instance has one role.
  [['matrix', '--config', file('twice.json', '{ "primary": ["10.0.1.4/32"], "members": ["10.0.1.5/32", "10.0.1.4/32"] }')],
    `segura-firewall: ${path.join(DIR, 'twice.json')}: members[1]: "10.0.1.4/32" is also primary[0]: an instance has one role (primary, members, domum, arbitrator); `
    + 'give each instance\'s address to one of them'],
  [['matrix', '--config', file('overlap.json', '{ "primary": ["10.0.1.4/32"], "domum": ["10.0.2.4/32"], "arbitrator": ["10.0.2.0/24"] }')],
    `segura-firewall: ${path.join(DIR, 'overlap.json')}: arbitrator[0]: "10.0.2.0/24" overlaps domum[0] ("10.0.2.4/32"): an instance has one role `
    + '(primary, members, domum, arbitrator); give each instance\'s address to one of them'],
  [['audit', 'aws', '--config', file('site-twice.json', '{ "primary": ["10.0.1.4/32"], "members": ["10.0.1.4/32"] }'), '--security-groups', file('sgs.json', '{ "SecurityGroups": [] }'),
    '--primary', 'sg-0aaa0000000000000', '--member', 'sg-0bbb0000000000000'],
  `segura-firewall: ${path.join(DIR, 'site-twice.json')}: members[0]: "10.0.1.4/32" is also primary[0]: an instance has one role (primary, members, domum, arbitrator); `
    + 'give each instance\'s address to one of them'],
  [['audit', 'aws', '--config', file('site-lb.json', '{ "primary": ["10.0.1.4/32"] }'), '--security-groups', file('sgs-lb.json', '{ "SecurityGroups": [] }'),
    '--primary', 'sg-0aaa0000000000000', '--load-balancer', 'sg-0ccc0000000000000'],
  'segura-firewall: --load-balancer: given, but the config has no loadBalancers: add their addresses to the config as "loadBalancers"'],
  // Standard input is read once.
  [['audit', 'aws', '--config', '-', '--security-groups', '-', '--primary', 'sg-0aaa0000000000000'],
    'segura-firewall: standard input (\'-\') is given for both the config file and the security groups file; it can be read once: give one of them as a file'],
  [['audit', 'azure', '--config', '-', '--nsgs', '-', '--cluster-nsg', 'segura-nsg', '--vnet', '10.0.0.0/16'],
    'segura-firewall: standard input (\'-\') is given for both the config file and the NSG file; it can be read once: give one of them as a file'],
];

describe('bad input to the command line: exit 2, this exact line on stderr, nothing on stdout', () => {
  test.each(CLI_CASES)('%j', async (args, line) => {
    expect(await cli(...args)).toEqual({ code: 2, stdout: '', stderr: `${line}\n` });
  });

  test('malformed JSON', async () => {
    const f = file('broken.json', '{ "users": [');
    const r = await cli('matrix', '--config', f);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^segura-firewall: config file ${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON: .+\\n$`));
  });
});

test('the tables hold what the README claims: over N bad inputs across both clouds and the command line', () => {
  const claim = /a table of over (\d+) bad inputs/.exec(fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8'));
  expect(claim).not.toBeNull();
  expect(CONSTRUCT_CASES.length + SYNTH_CASES.length + CLI_CASES.length).toBeGreaterThan(Number(claim![1]));
  expect(CONSTRUCT_CASES.filter(([w]) => w.startsWith('AWS')).length).toBeGreaterThanOrEqual(10);
  expect(CONSTRUCT_CASES.filter(([w]) => w.startsWith('Azure')).length).toBeGreaterThanOrEqual(10);
});
