/**
 * Synthesized output in the shape the clouds export it, for the audit's round trips:
 * CloudFormation templates as `aws ec2 describe-security-groups --output json`, and
 * Terraform JSON as `az network nsg list -o json`. Written from the clouds' documented
 * response formats (EC2 DescribeSecurityGroups: SecurityGroups[].IpPermissions[] with
 * IpRanges, Ipv6Ranges, PrefixListIds, UserIdGroupPairs; Azure
 * NetworkSecurityGroup: securityRules[] and defaultSecurityRules[]).
 */
import { createHash } from 'crypto';
import { RuleFact, ruleFacts } from './aws-evaluator';
import { AZURE_DEFAULT_RULES_DOCUMENTED } from './azure-defaults';

/** A stable fake ID: `sg-` and 17 hex digits from a key. */
export const fakeGroupId = (key: string) => `sg-${createHash('sha256').update(key).digest('hex').slice(0, 17)}`;

/** The groups of some templates as `describe-security-groups` prints them; group IDs are fakeGroupId('stack/logicalId'). */
export function describeSecurityGroups(templates: Record<string, any>): { SecurityGroups: any[] } {
  const facts = ruleFacts(templates);
  const groups = new Map<string, { ingress: RuleFact[]; egress: RuleFact[] }>();
  for (const [stack, template] of Object.entries(templates)) {
    for (const [logicalId, r] of Object.entries<any>(template.Resources ?? {})) {
      if (r.Type === 'AWS::EC2::SecurityGroup') groups.set(`${stack}/${logicalId}`, { ingress: [], egress: [] });
    }
  }
  for (const f of facts) groups.get(f.group)![f.direction].push(f);
  // One permission per protocol and port range, with every peer of that range (as EC2 groups them).
  const permissions = (list: RuleFact[]) => {
    const byKey = new Map<string, any>();
    for (const f of list) {
      const key = `${f.protocol}|${f.fromPort}|${f.toPort}`;
      const perm = byKey.get(key) ?? {
        IpProtocol: f.protocol,
        ...(f.protocol === '-1' ? {} : { FromPort: f.fromPort, ToPort: f.toPort }),
        IpRanges: [],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      };
      byKey.set(key, perm);
      const description = f.description === undefined ? {} : { Description: f.description };
      const [kind, ...rest] = f.peer.split(':');
      const value = rest.join(':');
      if (kind === 'cidr') perm.IpRanges.push({ CidrIp: value, ...description });
      else if (kind === 'cidr6') perm.Ipv6Ranges.push({ CidrIpv6: value, ...description });
      else if (kind === 'pl') perm.PrefixListIds.push({ PrefixListId: value, ...description });
      else perm.UserIdGroupPairs.push({ GroupId: fakeGroupId(value), UserId: '111111111111', ...description });
    }
    return [...byKey.values()];
  };
  return {
    SecurityGroups: [...groups].map(([key, rules]) => ({
      Description: key,
      GroupName: key.replace('/', '-'),
      IpPermissions: permissions(rules.ingress),
      OwnerId: '111111111111',
      GroupId: fakeGroupId(key),
      IpPermissionsEgress: permissions(rules.egress),
      Tags: [],
      VpcId: 'vpc-0123456789abcdef0',
    })),
  };
}

const SUBSCRIPTION = '/subscriptions/00000000-0000-0000-0000-000000000000';
const arm = (rg: string, type: string, name: string) => `${SUBSCRIPTION}/resourceGroups/${rg}/providers/Microsoft.Network/${type}/${name}`;

/** Azure's six default rules (as Microsoft documents them), with every field `az network nsg show` prints. */
export function azureDefaultRules(rg: string, nsg: string): any[] {
  return AZURE_DEFAULT_RULES_DOCUMENTED.map(rule => ({
    ...rule,
    destinationAddressPrefixes: [],
    destinationPortRanges: [],
    etag: 'W/"0"',
    id: `${arm(rg, 'networkSecurityGroups', nsg)}/defaultSecurityRules/${rule.name}`,
    provisioningState: 'Succeeded',
    resourceGroup: rg,
    sourceAddressPrefixes: [],
    sourcePortRanges: [],
    type: 'Microsoft.Network/networkSecurityGroups/defaultSecurityRules',
  }));
}

/** The NSGs of a Terraform JSON as `az network nsg list` prints them, and each ASG's resource ID by name. */
export function nsgList(tf: any): { nsgs: any[]; asgIds: Map<string, string> } {
  const byKey = (type: string) => new Map(Object.entries<any>(tf.resource?.[type] ?? {}));
  const asgs = byKey('azurerm_application_security_group');
  const asgIds = new Map([...asgs.values()].map(a => [a.name as string, arm(a.resource_group_name, 'applicationSecurityGroups', a.name)]));
  const asgRef = (ref: string) => {
    const key = /^\$\{azurerm_application_security_group\.([^.]+)\.id\}$/.exec(ref)?.[1];
    if (!key || !asgs.has(key)) throw new Error(`unresolved ASG reference ${ref}`);
    return { id: asgIds.get(asgs.get(key).name) };
  };
  const rules = [...byKey('azurerm_network_security_rule').values()];
  const nsgs = [...byKey('azurerm_network_security_group')].map(([key, n]) => {
    const mine = rules.filter(r => r.network_security_group_name === `\${azurerm_network_security_group.${key}.name}`);
    const id = arm(n.resource_group_name, 'networkSecurityGroups', n.name);
    return {
      defaultSecurityRules: azureDefaultRules(n.resource_group_name, n.name),
      etag: 'W/"0"',
      id,
      location: n.location,
      name: n.name,
      provisioningState: 'Succeeded',
      resourceGroup: n.resource_group_name,
      resourceGuid: '00000000-0000-0000-0000-000000000000',
      securityRules: mine.map(r => ({
        access: r.access,
        description: r.description,
        // az prints the singular fields when one value is set, the plural lists otherwise (the other one empty or absent).
        destinationAddressPrefix: r.destination_address_prefix,
        destinationAddressPrefixes: r.destination_address_prefixes ?? [],
        ...(r.destination_application_security_group_ids
          ? { destinationApplicationSecurityGroups: r.destination_application_security_group_ids.map(asgRef) } : {}),
        destinationPortRange: r.destination_port_range,
        destinationPortRanges: r.destination_port_ranges ?? [],
        direction: r.direction,
        etag: 'W/"0"',
        id: `${id}/securityRules/${r.name}`,
        name: r.name,
        priority: r.priority,
        protocol: r.protocol,
        provisioningState: 'Succeeded',
        resourceGroup: n.resource_group_name,
        sourceAddressPrefix: r.source_address_prefix,
        sourceAddressPrefixes: r.source_address_prefixes ?? [],
        ...(r.source_application_security_group_ids ? { sourceApplicationSecurityGroups: r.source_application_security_group_ids.map(asgRef) } : {}),
        sourcePortRange: r.source_port_range,
        sourcePortRanges: r.source_port_ranges ?? [],
        type: 'Microsoft.Network/networkSecurityGroups/securityRules',
      })),
      tags: n.tags ?? {},
      type: 'Microsoft.Network/networkSecurityGroups',
    };
  });
  return { nsgs, asgIds };
}

/**
 * The findings of the round trips' shared mutation of a member group `group` (in any
 * format): tcp 8080-8081 added from the users' 10.10.0.0/16 and from a group no role
 * wears, and an all-protocol egress to 0.0.0.0/0.
 */
export function portAddedFindings(group: string): unknown[] {
  return [
    { source: 'USERW', destination: 'MBR', protocol: 'tcp', fromPort: 8080, toPort: 8081, rule: `${group} ingress tcp 8080-8081 from 10.10.0.0/16`, reason: 'no row needs tcp 8080-8081 from 10.10.0.0/16' },
    {
      source: 'sg-0000000000000bad0',
      destination: 'MBR',
      protocol: 'tcp',
      fromPort: 8080,
      toPort: 8081,
      rule: `${group} ingress tcp 8080-8081 from sg-0000000000000bad0`,
      reason: 'no row needs tcp 8080-8081 from sg-0000000000000bad0',
    },
    {
      source: 'MBR',
      destination: '0.0.0.0/0',
      protocol: 'all',
      fromPort: -1,
      toPort: -1,
      rule: `${group} egress all traffic to 0.0.0.0/0`,
      reason: expect.stringMatching(/^every protocol and port to 0\.0\.0\.0\/0, where the plan needs only tcp .*; udp 53, 123/),
    },
  ];
}
