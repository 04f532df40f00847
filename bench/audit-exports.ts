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
