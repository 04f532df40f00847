/**
 * Safe by construction, checked on what is written: one rule per peer however many
 * objects name it, the checks of what a group or an NSG will hold (your own rules
 * included), and the notes that say what the library could not know. The refusals'
 * exact words are in bad-inputs.test.ts; here, what is written when nothing is refused,
 * and the checks themselves.
 */
import './support/fast-synth';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, Aspects, CfnOutput, CfnParameter, Fn, Lazy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { App as TfApp, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { FirewallAudit } from '../lib/audit';
import * as aws from '../lib/aws';
import { QuotaSecurityGroup } from '../lib/aws/group';
import * as azure from '../lib/azure';
import { Role } from '../lib/core';
import { SeguraValidationError } from '../lib/errors';
import { ruleFacts, synthTemplates } from './support/aws-evaluator';

const SG = 'sg-0123456789abcdef0';

function awsApp() {
  const app = new App();
  const stack = new Stack(app, 'S');
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-12345678', availabilityZones: ['a'] });
  return { app, stack, vpc };
}

/** The rules of the Primary's first group toward `peer` (evaluator peer text), as `direction protocol/from-to`, sorted. */
function primaryRulesToward(app: App, cluster: aws.SeguraCluster, peer: string): string[] {
  const stack = Stack.of(cluster);
  const group = `${stack.stackName}/${stack.getLogicalId(cluster.primarySecurityGroup.node.defaultChild as ec2.CfnSecurityGroup)}`;
  return ruleFacts(synthTemplates(app)).filter(f => f.group === group && f.peer === peer)
    .map(f => `${f.direction} ${f.protocol}/${f.fromPort}-${f.toPort}`).sort();
}

describe('AWS: one peer, one rule, whatever objects name it', () => {
  test('a group given by SecurityGroup.fromSecurityGroupId and by Peer.securityGroupId: each user rule once', () => {
    const { app, stack, vpc } = awsApp();
    const cluster = new aws.SeguraCluster(stack, 'Segura', {
      vpc, users: [ec2.SecurityGroup.fromSecurityGroupId(stack, 'Jump', SG), ec2.Peer.securityGroupId(SG)],
    });
    // USR-SSH 22, USR-HTTP 80, USR-HTTPS 443, USR-RDP 3389 (docs/matrix.md).
    expect(primaryRulesToward(app, cluster, `sg:id:${SG}`)).toEqual(['ingress tcp/22-22', 'ingress tcp/3389-3389', 'ingress tcp/443-443', 'ingress tcp/80-80']);
  });

  test('one group for two roles, named by two objects: the rules of both roles, each once', () => {
    const { app, stack, vpc } = awsApp();
    const cluster = new aws.SeguraCluster(stack, 'Segura', {
      vpc, management: { ntp: [ec2.SecurityGroup.fromSecurityGroupId(stack, 'Infra', SG)], dns: [ec2.Peer.securityGroupId(SG)] },
    });
    // MGT-NTP 123/udp, MGT-DNS 53/udp.
    expect(primaryRulesToward(app, cluster, `sg:id:${SG}`)).toEqual(['egress udp/123-123', 'egress udp/53-53']);
  });

  test('a group construct, given as itself and by its (deploy-time) ID: each rule once', () => {
    const { app, stack, vpc } = awsApp();
    const jump = new ec2.SecurityGroup(stack, 'Jump', { vpc });
    const cluster = new aws.SeguraCluster(stack, 'Segura', { vpc, users: [jump, ec2.Peer.securityGroupId(jump.securityGroupId)] });
    expect(primaryRulesToward(app, cluster, `sg:S/${stack.getLogicalId(jump.node.defaultChild as ec2.CfnSecurityGroup)}`))
      .toEqual(['ingress tcp/22-22', 'ingress tcp/3389-3389', 'ingress tcp/443-443', 'ingress tcp/80-80']);
  });

  test('two groups of one construct path in two stacks (one logical ID) stay two peers', () => {
    const app = new App();
    const [a, b, s] = ['A', 'B', 'S'].map(n => new Stack(app, n));
    const vpc = ec2.Vpc.fromVpcAttributes(s, 'Vpc', { vpcId: 'vpc-12345678', availabilityZones: ['a'] });
    const jumpA = new ec2.SecurityGroup(a, 'Jump', { vpc });
    const jumpB = new ec2.SecurityGroup(b, 'Jump', { vpc });
    expect(a.getLogicalId(jumpA.node.defaultChild as ec2.CfnSecurityGroup)).toBe(b.getLogicalId(jumpB.node.defaultChild as ec2.CfnSecurityGroup));
    const cluster = new aws.SeguraCluster(s, 'Segura', { vpc, users: [jumpA, jumpB] });
    const id = a.getLogicalId(jumpA.node.defaultChild as ec2.CfnSecurityGroup);
    const users = ['ingress tcp/22-22', 'ingress tcp/3389-3389', 'ingress tcp/443-443', 'ingress tcp/80-80'];
    expect(primaryRulesToward(app, cluster, `sg:A/${id}`)).toEqual(users);
    expect(primaryRulesToward(app, cluster, `sg:B/${id}`)).toEqual(users);
  });
});

describe('AWS: a gateway\'s stack order, checked without changing what is written', () => {
  test('a lazy value of the cluster\'s stack, read by the check, answers at synth what it answers then (its cache left empty)', () => {
    const { app, stack, vpc } = awsApp();
    const cluster = new aws.SeguraCluster(stack, 'Segura', { vpc });
    const domum = new Stack(app, 'Domum');
    new aws.DomumGateway(domum, 'Domum', { vpc, cluster });
    let answer = 'early';
    new CfnOutput(stack, 'Answer', { value: Lazy.string({ produce: () => answer }) });
    // An aspect visiting a construct after the gateway, and after the check's priority (1000).
    const later = new Construct(domum, 'Later');
    Aspects.of(app).add({ visit: node => { if (node === later) answer = 'late'; } }, { priority: 2000 });
    expect(app.synth().getStackByName('S').template.Outputs.Answer.Value).toBe('late');
  });
});

describe('AWS: what the library could not know is said once, naming the construct', () => {
  const messages = (app: App, level: string) => app.synth().getStackByName('S').messages
    .filter(m => m.level === level).map(m => `${m.id} ${m.entry.data}`);

  test('a prefix list of unknown size: one warning naming the construct (not a token), however many groups reference it', () => {
    const { app, stack, vpc } = awsApp();
    const imported = ec2.PrefixList.fromPrefixListId(stack, 'Imported', 'pl-0123456789abcdef0');
    new aws.SeguraCluster(stack, 'Segura', { vpc, users: [imported], devices: [imported] });
    expect(messages(app, 'warning')).toEqual([
      '/S/Segura/PrimarySecurityGroup Prefix list S/Imported (pl-0123456789abcdef0) is counted as 1 rule in each rule that references it: its max entries '
      + 'are not known here. Pass the ec2.PrefixList construct (created with maxEntries) to count it exactly. [ack: segura-constructs:prefix-list-size]',
    ]);
  });

  test('a prefix list given by a deploy-time ID: said as such', () => {
    const { app, stack, vpc } = awsApp();
    new aws.SeguraCluster(stack, 'Segura', { vpc, users: [ec2.Peer.prefixList(Fn.importValue('office-prefix-list'))] });
    expect(messages(app, 'warning')).toEqual([
      '/S/Segura/PrimarySecurityGroup Prefix list given by a deploy-time ID (ec2.Peer.prefixList) is counted as 1 rule in each rule that references it: its '
      + 'max entries are not known here. Pass the ec2.PrefixList construct (created with maxEntries) to count it exactly. [ack: segura-constructs:prefix-list-size]',
    ]);
  });

  test('a deploy-time ruleQuota: a note that the layout assumes the default, on the cluster and on a gateway', () => {
    const { app, stack, vpc } = awsApp();
    const quota = new CfnParameter(stack, 'Quota', { type: 'Number' }).valueAsNumber;
    const cluster = new aws.SeguraCluster(stack, 'Segura', { vpc, ruleQuota: quota });
    new aws.DomumGateway(stack, 'Domum', { vpc, cluster, ruleQuota: quota });
    const note = 'ruleQuota is a deploy-time value (a token): the groups are laid out for AWS\'s default of 60 rules per group, direction and address family, '
      + 'and not checked against your quota at synth. Give ruleQuota as a number to lay them out for it.';
    expect(messages(app, 'info').filter(m => m.includes('ruleQuota'))).toEqual([`/S/Segura ${note}`, `/S/Domum ${note}`]);
  });
});

describe('AWS: the checks of what a group will hold', () => {
  const group = () => {
    const { stack, vpc } = awsApp();
    return new QuotaSecurityGroup(stack, 'G', { vpc, allowAllOutbound: false });
  };

  test('a rule of the library\'s toward every address: refused unless the role is allowed', () => {
    const g = group();
    g.addOwnRule('ingress', ec2.Peer.anyIpv4(), ec2.Port.tcp(22), 'USR-SSH', false, [Role.USERW]);
    expect(g.checkRules('S/G (PRD)', () => true)).toEqual([]);
    expect(g.checkRules('S/G (PRD)', () => false)).toEqual(['security group S/G (PRD): the inbound tcp 22 from 0.0.0.0/0 rule allows users from every address '
      + '("0.0.0.0/0" is every IPv4 address), which allowAnyAddress does not name']);
  });

  test('rules of the library\'s for one role that together cover every address: refused unless the role is allowed', () => {
    const g = group();
    g.addOwnRule('egress', ec2.Peer.ipv6('::/1'), ec2.Port.udp(123), 'MGT-NTP', false, [Role.NTP_SERVER]);
    g.addOwnRule('egress', ec2.Peer.ipv6('8000::/1'), ec2.Port.udp(123), 'MGT-NTP', false, [Role.NTP_SERVER]);
    g.addOwnRule('egress', ec2.Peer.ipv6('8000::/1'), ec2.Port.udp(53), 'MGT-DNS', false, [Role.DNS_SERVER]);
    expect(g.checkRules('S/G (PRD)', role => role !== Role.NTP_SERVER)).toEqual(['security group S/G (PRD): the rules of management.ntp allow every address '
      + 'together (the 2 prefixes "::/1", "8000::/1" together are every IPv6 address), which allowAnyAddress does not name']);
  });

  test('a CIDR given as a token is judged by what it resolves to at synth: a Lazy 0.0.0.0/0, alone or split, is refused; a deploy-time one cannot be', () => {
    const lazy = (cidr: string) => Lazy.string({ produce: () => cidr });
    const g = group();
    g.addOwnRule('ingress', ec2.Peer.ipv4(lazy('0.0.0.0/0')), ec2.Port.tcp(22), 'USR-SSH', false, [Role.USERW]);
    g.addOwnRule('egress', ec2.Peer.ipv4(lazy('0.0.0.0/1')), ec2.Port.udp(123), 'MGT-NTP', false, [Role.NTP_SERVER]);
    g.addOwnRule('egress', ec2.Peer.ipv4(lazy('128.0.0.0/1')), ec2.Port.udp(123), 'MGT-NTP', false, [Role.NTP_SERVER]);
    g.addOwnRule('egress', ec2.Peer.ipv4(lazy('10.0.0.0/8')), ec2.Port.udp(53), 'MGT-DNS', false, [Role.DNS_SERVER]);
    const deployTime = new CfnParameter(Stack.of(g), 'Cidr', { type: 'String' }).valueAsString;
    g.addOwnRule('egress', ec2.Peer.ipv4(deployTime), ec2.Port.tcp(443), 'UPD-MIRROR', false, [Role.PACKAGE_MIRROR]);
    expect(g.checkRules('S/G (PRD)', () => true)).toEqual([]);
    expect(g.checkRules('S/G (PRD)', () => false)).toEqual([
      'security group S/G (PRD): the inbound tcp 22 from a CIDR given as a token rule allows users from every address ("0.0.0.0/0" is every IPv4 address), '
        + 'which allowAnyAddress does not name',
      'security group S/G (PRD): the rules of management.ntp allow every address together (the 2 prefixes "0.0.0.0/1", "128.0.0.0/1" together are '
        + 'every IPv4 address), which allowAnyAddress does not name',
    ]);
  });

  test('your own rule toward every address is yours: not refused', () => {
    const g = group();
    g.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'public HTTPS, on purpose');
    expect(g.checkRules('S/G (PRD)', () => false)).toEqual([]);
  });

  test('one peer object added twice is one rule (aws-cdk-lib writes it once); two objects of one ID are two', () => {
    const g = group();
    const peer = ec2.Peer.securityGroupId(SG);
    g.addIngressRule(peer, ec2.Port.tcp(22));
    g.addIngressRule(peer, ec2.Port.tcp(22));
    expect([g.rules.length, g.duplicates.length]).toEqual([1, 0]);
    g.addIngressRule(ec2.SecurityGroup.fromSecurityGroupId(Stack.of(g), 'Same', SG), ec2.Port.tcp(22));
    expect([g.rules.length, g.duplicates.length]).toEqual([2, 1]);
  });
});

describe('Azure: your own rules on the library\'s NSGs', () => {
  const DENY = { access: 'Deny', protocol: '*', sourcePortRange: '*', destinationPortRange: '*', sourceAddressPrefix: '*', destinationAddressPrefix: '*', resourceGroupName: 'rg' };
  const synthApp = (build: (app: TfApp, stack: TerraformStack) => void) => {
    const app = new TfApp({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'segura-safe-')) });
    const stack = new TerraformStack(app, 'S');
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    build(app, stack);
    app.synth();
    return JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', 'S', 'cdk.tf.json'), 'utf8'));
  };
  const placement = { resourceGroupName: 'rg', location: 'brazilsouth' };

  test('in the band left to them (4000-4095), and at 4096 when the library keeps Azure\'s defaults: app.synth() writes them', () => {
    const tf = synthApp((_app, stack) => {
      const strict = new azure.SeguraCluster(stack, 'Strict', { ...placement, users: [azure.Peer.ipv4('10.10.0.0/16')] });
      new NetworkSecurityRule(stack, 'Probes', {
        ...DENY, access: 'Allow', sourceAddressPrefix: 'AzureLoadBalancer', name: 'AllowProbes', priority: 4000, direction: 'Inbound', networkSecurityGroupName: strict.networkSecurityGroup.name,
      });
      const weak = new azure.SeguraCluster(stack, 'Weak', { ...placement, keepAzureDefaultRules: true });
      new NetworkSecurityRule(stack, 'MyDenyAll', { ...DENY, name: 'MyDenyAll', priority: 4096, direction: 'Inbound', networkSecurityGroupName: weak.networkSecurityGroup.name });
    });
    const rules = Object.values<any>(tf.resource.azurerm_network_security_rule);
    expect(rules.filter(r => ['AllowProbes', 'MyDenyAll'].includes(r.name)).map(r => [r.name, r.priority]).sort()).toEqual([['AllowProbes', 4000], ['MyDenyAll', 4096]]);
  });

  test('a rule of yours in another stack, naming the NSG by its name: its priority is checked too', () => {
    expect(() => synthApp((app, stack) => {
      new azure.SeguraCluster(stack, 'Segura', placement);
      const other = new TerraformStack(app, 'Other');
      new AzurermProvider(other, 'azurerm', { features: [{}] });
      new NetworkSecurityRule(other, 'Mine', { ...DENY, name: 'Mine', priority: 4096, direction: 'Outbound', networkSecurityGroupName: 'Segura-NSG' });
    })).toThrow('[S/Segura] NSG segura-nsg (S/Segura/NetworkSecurityGroup): rules "Segura-DenyAllOutbound" (S/Segura/Segura-DenyAllOutbound) and "Mine" (Other/Mine) '
      + 'both have priority 4096 Outbound');
  });

  test('on a gateway\'s NSG: checked by the gateway', () => {
    expect(() => synthApp((_app, stack) => {
      const cluster = new azure.SeguraCluster(stack, 'Segura', placement);
      const domum = new azure.DomumGateway(stack, 'Domum', { ...placement, cluster });
      new NetworkSecurityRule(stack, 'Mine', { ...DENY, name: 'Mine', priority: 4096, direction: 'Inbound', networkSecurityGroupName: domum.networkSecurityGroup.name });
    })).toThrow('[S/Domum] NSG segura-domum-nsg (S/Domum/NetworkSecurityGroup): rules "Segura-DenyAllInbound" (S/Domum/Segura-DenyAllInbound) and "Mine" (S/Mine) '
      + 'both have priority 4096 Inbound');
  });

  test('your own rule from every address is yours: not refused', () => {
    const tf = synthApp((_app, stack) => {
      const cluster = new azure.SeguraCluster(stack, 'Segura', placement);
      new NetworkSecurityRule(stack, 'Public', {
        ...DENY, access: 'Allow', name: 'PublicHttps', priority: 4001, direction: 'Inbound', destinationPortRange: '443', networkSecurityGroupName: cluster.networkSecurityGroup.name,
      });
    });
    expect(Object.values<any>(tf.resource.azurerm_network_security_rule).filter(r => r.name === 'PublicHttps').map(r => r.source_address_prefix)).toEqual(['*']);
  });

  test('the library\'s rules of one role overridden so that together they cover every address: refused', () => {
    expect(() => synthApp((_app, stack) => {
      const cluster = new azure.SeguraCluster(stack, 'Segura', { ...placement, management: { backup: [azure.Peer.ipv4('10.30.0.8/32')] } });
      // The backup server's two rules: toward it (MGT-BACKUP-*) and from it (BKP-*), half of the space each.
      (cluster.node.findChild('Segura-Out-PRD_MBR-to-BACKUP-Tcp') as NetworkSecurityRule).addOverride('destination_address_prefix', '128.0.0.0/1');
      (cluster.node.findChild('Segura-In-PRD_MBR-from-BACKUP-Tcp') as NetworkSecurityRule).addOverride('source_address_prefix', '0.0.0.0/1');
    })).toThrow('[S/Segura] NSG segura-nsg (S/Segura/NetworkSecurityGroup): the rules of management.backup allow every address together (the 2 prefixes '
      + '"0.0.0.0/1", "128.0.0.0/1" together are every IPv4 address), which allowAnyAddress does not name');
  });

  test('one ASG given by IDs that differ only in case (Azure compares IDs without case): named once', () => {
    const id = '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/applicationSecurityGroups/jump';
    const stack = new TerraformStack(Testing.app(), 'S');
    new AzurermProvider(stack, 'azurerm', { features: [{}] });
    new azure.SeguraCluster(stack, 'Segura', { ...placement, users: [azure.Peer.applicationSecurityGroupId(id), azure.Peer.applicationSecurityGroupId(id.toUpperCase())] });
    const rules = Object.values<any>(JSON.parse(Testing.synth(stack, true)).resource.azurerm_network_security_rule);
    expect(rules.filter(r => r.name.includes('USERW')).map(r => r.source_application_security_group_ids)).toEqual([[id]]);
  });
});

describe('the audit\'s config: an instance has one role', () => {
  test('the Primary\'s address given to a member too: a SeguraValidationError naming both', () => {
    let error: unknown;
    try {
      FirewallAudit.aws({ config: { primary: ['10.0.1.4/32'], members: ['10.0.1.4/32'] }, securityGroups: { SecurityGroups: [] }, groups: { primary: ['sg-0aaa0000000000000'] } });
    } catch (e) { error = e; }
    expect(error).toBeInstanceOf(SeguraValidationError);
    expect((error as Error).message).toBe('config.members[0]: "10.0.1.4/32" is also primary[0]: an instance has one role (primary, members, domum, arbitrator); '
      + 'give each instance\'s address to one of them');
  });
});
