/**
 * Large exports for the audit benchmark, in the clouds' shapes: `count` security
 * groups or NSGs of `rules` rules each (CIDRs, group or ASG references, port ranges,
 * all protocols, Deny rules on Azure), and a site config that places the Segura
 * instances on some of them.
 */

/** The site: a Primary, three members, a Domum Gateway, users, devices, management servers. */
export const AUDIT_SITE = {
  primary: ['10.0.1.4/32'],
  members: ['10.0.1.5/32', '10.0.1.6/32', '10.0.1.7/32'],
  domum: ['10.0.2.4/32'],
  users: ['10.10.0.0/16'],
  devices: Array.from({ length: 20 }, (_, i) => `10.20.${i}.0/24`),
  management: { ntp: ['10.30.0.1/32'], dns: ['10.30.0.2/32'], ldap: ['10.30.0.4/32'], syslog: ['10.30.0.7/32'], backup: ['10.30.0.8/32'] },
  packageMirrors: ['203.0.113.10/32'],
};

const PORTS = [22, 23, 80, 443, 3306, 4567, 4568, 9300, 636, 389, 53, 123, 514, 8080, 1433, 5432];

/** `aws ec2 describe-security-groups` of `count` groups with `rules` rules each. */
export function awsExport(count: number, rules: number): any {
  const id = (i: number) => `sg-${(0x10000 + i).toString(16).padStart(17, '0')}`;
  return {
    SecurityGroups: Array.from({ length: count }, (_, g) => {
      const perms = (direction: number) => Array.from({ length: rules / 2 }, (__, r) => {
        const k = g * rules + r * 2 + direction;
        const port = PORTS[k % PORTS.length];
        const peer = k % 5 === 0 ? { UserIdGroupPairs: [{ GroupId: id((g + r) % count), UserId: '111122223333' }] }
          : k % 7 === 0 ? { Ipv6Ranges: [{ CidrIpv6: `2001:db8:${(k % 4096).toString(16)}::/48` }] }
            : { IpRanges: [{ CidrIp: `10.${(k * 7) % 64}.${k % 256}.0/24`, Description: `rule ${k}` }] };
        return k % 29 === 0 ? { IpProtocol: '-1', IpRanges: [{ CidrIp: '10.0.0.0/8' }] }
          : { IpProtocol: k % 3 === 0 ? 'udp' : 'tcp', FromPort: port, ToPort: port + (k % 4), IpRanges: [], Ipv6Ranges: [], PrefixListIds: [], UserIdGroupPairs: [], ...peer };
      });
      return {
        GroupId: id(g),
        GroupName: `group-${g}`,
        Description: `group ${g}`,
        OwnerId: '111122223333',
        VpcId: 'vpc-0a0a0a0a0a0a0a0a0',
        IpPermissions: perms(0),
        IpPermissionsEgress: perms(1),
        Tags: [],
      };
    }),
  };
}

/** The groups each role wears: `perRole` groups each (the Primary's, the members', the Domum Gateway's). */
export function awsGroups(perRole: number): Record<string, string[]> {
  const id = (i: number) => `sg-${(0x10000 + i).toString(16).padStart(17, '0')}`;
  const take = (from: number) => Array.from({ length: perRole }, (_, i) => id(from + i));
  return { primary: take(0), members: take(perRole), domum: take(2 * perRole) };
}

const ASG = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/applicationSecurityGroups';

/** `az network nsg list` of `count` NSGs with `rules` rules each. */
export function azureExport(count: number, rules: number): any[] {
  return Array.from({ length: count }, (_, n) => ({
    name: `nsg-${n}`,
    id: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/nsg-${n}`,
    location: 'brazilsouth',
    resourceGroup: 'rg',
    securityRules: Array.from({ length: rules }, (__, r) => {
      const k = n * rules + r;
      const port = PORTS[k % PORTS.length];
      const other = k % 5 === 0 ? { asgs: [{ id: `${ASG}/asg-${k % 4}` }] } : { prefixes: [`10.${(k * 7) % 64}.${k % 256}.0/24`, `10.${(k * 3) % 64}.0.0/16`] };
      const inbound = r % 2 === 0;
      const side = (mine: boolean) => (mine ? { prefix: '*' } : other);
      const write = (name: 'source' | 'destination', s: any) => ({
        [`${name}AddressPrefix`]: s.prefix,
        [`${name}AddressPrefixes`]: s.prefixes ?? [],
        ...(s.asgs ? { [`${name}ApplicationSecurityGroups`]: s.asgs } : {}),
      });
      return {
        name: `rule-${r}`,
        priority: 100 + r * 10,
        direction: inbound ? 'Inbound' : 'Outbound',
        access: k % 11 === 0 ? 'Deny' : 'Allow',
        protocol: k % 13 === 0 ? '*' : k % 3 === 0 ? 'Udp' : 'Tcp',
        sourcePortRange: '*',
        sourcePortRanges: [],
        destinationPortRange: k % 2 === 0 ? `${port}` : undefined,
        destinationPortRanges: k % 2 === 0 ? [] : [`${port}`, `${port + 1000}-${port + 1010}`],
        ...write('source', side(!inbound)),
        ...write('destination', side(inbound)),
      };
    }),
  }));
}

/** The logical ID of the bench template's group `i`. */
const cfnId = (i: number) => `Group${String(i).padStart(3, '0')}`;

/**
 * A CloudFormation template of `count` groups with `rules` inline rules each (CIDRs, ports,
 * all protocols), and one separate ingress rule per group naming the next group (`Fn::GetAtt`),
 * as cdk.out writes them.
 */
export function cfnTemplate(count: number, rules: number): any {
  const resources: Record<string, unknown> = {};
  for (let g = 0; g < count; g++) {
    const inline = (direction: number) => Array.from({ length: rules / 2 }, (__, r) => {
      const k = g * rules + r * 2 + direction;
      const port = PORTS[k % PORTS.length];
      const peer = k % 7 === 0 ? { CidrIpv6: `2001:db8:${(k % 4096).toString(16)}::/48` } : { CidrIp: `10.${(k * 7) % 64}.${k % 256}.0/24` };
      return k % 29 === 0 ? { IpProtocol: '-1', CidrIp: '10.0.0.0/8' }
        : { IpProtocol: k % 3 === 0 ? 'udp' : 'tcp', FromPort: port, ToPort: port + (k % 4), Description: `rule ${k}`, ...peer };
    });
    resources[cfnId(g)] = {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: { GroupDescription: `group ${g}`, VpcId: { Ref: 'VpcId' }, SecurityGroupIngress: inline(0), SecurityGroupEgress: inline(1) },
    };
    resources[`${cfnId(g)}FromNext`] = {
      Type: 'AWS::EC2::SecurityGroupIngress',
      Properties: { GroupId: { 'Fn::GetAtt': [cfnId(g), 'GroupId'] }, IpProtocol: 'tcp', FromPort: 443, ToPort: 443, SourceSecurityGroupId: { 'Fn::GetAtt': [cfnId((g + 1) % count), 'GroupId'] } },
    };
  }
  return { AWSTemplateFormatVersion: '2010-09-09', Parameters: { VpcId: { Type: 'AWS::EC2::VPC::Id' } }, Resources: resources };
}

/** The template's groups each role wears: `perRole` each. */
export function cfnGroups(perRole: number): Record<string, string[]> {
  const take = (from: number) => Array.from({ length: perRole }, (_, i) => cfnId(from + i));
  return { primary: take(0), members: take(perRole), domum: take(2 * perRole) };
}

/**
 * `terraform show -json` of a plan creating `groups` security groups and `resources - groups`
 * rule resources in a module (`aws_vpc_security_group_ingress_rule` and `_egress_rule`, and
 * `aws_security_group_rule`), the groups' IDs known only after apply (found through the
 * configuration's references).
 */
export function terraformPlan(groups: number, resources: number): any {
  const planned: any[] = [];
  const changes: any[] = [];
  const configured: any[] = [];
  type Fields = Record<string, unknown>;
  const add = (type: string, name: string, values: Fields, unknown: Fields, expressions: Fields) => {
    planned.push({ address: `module.segura.${type}.${name}`, mode: 'managed', type, name, provider_name: 'registry.terraform.io/hashicorp/aws', schema_version: 0, values, sensitive_values: {} });
    changes.push({ address: `module.segura.${type}.${name}`, module_address: 'module.segura', mode: 'managed', type, name, change: { actions: ['create'], before: null, after: values, after_unknown: unknown } });
    configured.push({ address: `${type}.${name}`, mode: 'managed', type, name, provider_config_key: 'aws', expressions, schema_version: 0 });
  };
  const ref = (g: number) => ({ references: [`aws_security_group.g${g}.id`, `aws_security_group.g${g}`] });
  for (let g = 0; g < groups; g++) add('aws_security_group', `g${g}`, { name: `group-${g}`, ingress: [], egress: [] }, { id: true }, { name: { constant_value: `group-${g}` } });
  for (let k = 0; k < resources - groups; k++) {
    const [g, port] = [k % groups, PORTS[k % PORTS.length]];
    const type = k % 3 === 0 ? 'aws_security_group_rule' : k % 3 === 1 ? 'aws_vpc_security_group_ingress_rule' : 'aws_vpc_security_group_egress_rule';
    const peer = k % 5 === 0 ? { unknown: true } : { cidr: `10.${(k * 7) % 64}.${k % 256}.0/24` };
    const values: Record<string, unknown> = type === 'aws_security_group_rule'
      ? { type: k % 2 === 0 ? 'ingress' : 'egress', protocol: 'tcp', from_port: port, to_port: port + (k % 4), ...(peer.cidr ? { cidr_blocks: [peer.cidr] } : {}) }
      : { ip_protocol: k % 4 === 0 ? 'udp' : 'tcp', from_port: port, to_port: port, ...(peer.cidr ? { cidr_ipv4: peer.cidr } : {}) };
    const peerField = type === 'aws_security_group_rule' ? 'source_security_group_id' : 'referenced_security_group_id';
    add(type, `r${k}`, values, { id: true, security_group_id: true, ...(peer.unknown ? { [peerField]: true } : {}) },
      { security_group_id: ref(g), ...(peer.unknown ? { [peerField]: ref((g + 1) % groups) } : {}) });
  }
  return {
    format_version: '1.2',
    terraform_version: '1.9.8',
    planned_values: { root_module: { child_modules: [{ address: 'module.segura', resources: planned }] } },
    resource_changes: changes,
    configuration: { root_module: { module_calls: { segura: { source: './modules/segura', module: { resources: configured } } } } },
  };
}

/** The plan's groups each role wears: `perRole` each, by address. */
export function planGroups(perRole: number): Record<string, string[]> {
  const take = (from: number) => Array.from({ length: perRole }, (_, i) => `module.segura.aws_security_group.g${from + i}`);
  return { primary: take(0), members: take(perRole), domum: take(2 * perRole) };
}
