/**
 * The same flows written by hand with plain aws-cdk-lib, the way a person copies the
 * vendor's document into security groups: one addIngressRule/addEgressRule per port
 * and peer. No segura-constructs code is used here.
 */
import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { BenchConfig } from '../configs';

export interface HandWrittenGroups {
  readonly primary: ec2.SecurityGroup;
  readonly member: ec2.SecurityGroup;
}

/** `balancers`: the load balancers' groups, which reach every node on the users' ports (the vendor's load-balancer guide). */
export function handWrittenCluster(stack: Stack, vpc: ec2.IVpc, c: BenchConfig, balancers: ec2.IPeer[] = []): HandWrittenGroups {
  const primary = new ec2.SecurityGroup(stack, 'PrimarySecurityGroup', { vpc, allowAllOutbound: false, description: 'Segura PRD' });
  const member = new ec2.SecurityGroup(stack, 'MemberSecurityGroup', { vpc, allowAllOutbound: false, description: 'Segura MBR' });
  const tcp = ec2.Port.tcp;
  const udp = ec2.Port.udp;
  const v4 = ec2.Peer.ipv4;
  // "In a cluster the Primary's rules apply to the members too."
  for (const sg of [primary, member]) {
    for (const ip of c.management.ntp) sg.addEgressRule(v4(ip), udp(123), 'NTP');
    for (const ip of c.management.dns) sg.addEgressRule(v4(ip), udp(53), 'DNS');
    for (const ip of c.management.mail) sg.addEgressRule(v4(ip), tcp(c.smtpPort), 'SMTP');
    for (const ip of c.management.ldap) {
      sg.addEgressRule(v4(ip), tcp(389), 'LDAP');
      sg.addEgressRule(v4(ip), tcp(636), 'LDAPS');
    }
    for (const ip of c.management.radius) sg.addEgressRule(v4(ip), udp(1812), 'RADIUS');
    for (const ip of c.management.tacacs) {
      sg.addEgressRule(v4(ip), tcp(49), 'TACACS');
      sg.addEgressRule(v4(ip), udp(49), 'TACACS');
    }
    for (const ip of c.management.syslog) {
      sg.addEgressRule(v4(ip), tcp(514), 'SYSLOG');
      sg.addEgressRule(v4(ip), udp(6514), 'SYSLOG');
    }
    for (const ip of c.management.backup) {
      for (const p of [22, 2049, 5445]) sg.addEgressRule(v4(ip), tcp(p), 'backup');
      for (const p of [22, 2049, 445]) sg.addIngressRule(v4(ip), tcp(p), 'backup');
    }
    for (const ip of c.users) for (const p of [443, 80, 22, 3389]) sg.addIngressRule(v4(ip), tcp(p), 'users');
    for (const b of balancers) for (const p of [443, 80, 22, 3389]) sg.addIngressRule(b, tcp(p), 'load balancers');
    const devicePorts = [22, ...(c.telnet ? [23] : []), 7443, 1433, 5432, 3306, 3389, 135, 139, 445, 80, 443];
    for (const ip of c.devices) for (const p of devicePorts) sg.addEgressRule(v4(ip), tcp(p), 'devices');
    for (const ip of c.packageMirrors) sg.addEgressRule(v4(ip), tcp(443), 'package mirrors');
  }
  // Member to member on the same ports (the vendor's HA guides).
  for (const [from, to] of [[primary, member], [member, primary], [member, member]]) {
    for (const p of [22, 3306, 9300, 4567, 4568, 4444, 80, 443, 4248, 59022]) {
      from.addEgressRule(to, tcp(p), 'cluster');
      to.addIngressRule(from, tcp(p), 'cluster');
    }
    from.addEgressRule(to, udp(4567), 'cluster');
    to.addIngressRule(from, udp(4567), 'cluster');
  }
  return { primary, member };
}

/** The Domum Gateway's group, its rules in its own stack (remote rules, no cycle). */
export function handWrittenDomum(stack: Stack, vpc: ec2.IVpc, groups: HandWrittenGroups): ec2.SecurityGroup {
  const domum = new ec2.SecurityGroup(stack, 'DomumSecurityGroup', { vpc, allowAllOutbound: false, description: 'Domum' });
  for (const sg of [groups.primary, groups.member]) {
    for (const p of [51445, 443]) {
      sg.addEgressRule(domum, ec2.Port.tcp(p), 'to Domum', true);
      domum.addIngressRule(sg, ec2.Port.tcp(p), 'from Segura');
      domum.addEgressRule(sg, ec2.Port.tcp(p), 'to Segura');
      sg.addIngressRule(domum, ec2.Port.tcp(p), 'from Domum', true);
    }
  }
  return domum;
}

/** The Arbitrator's group: Elasticsearch and Galera ports both ways with every instance, in its own stack. */
export function handWrittenArbitrator(stack: Stack, vpc: ec2.IVpc, groups: HandWrittenGroups): ec2.SecurityGroup {
  const arbitrator = new ec2.SecurityGroup(stack, 'ArbitratorSecurityGroup', { vpc, allowAllOutbound: false, description: 'Arbitrator' });
  const ports = [ec2.Port.tcp(9300), ec2.Port.tcp(3306), ec2.Port.tcp(4567), ec2.Port.tcp(4568), ec2.Port.tcp(4444), ec2.Port.udp(4567)];
  for (const sg of [groups.primary, groups.member]) {
    for (const p of ports) {
      sg.addEgressRule(arbitrator, p, 'to the Arbitrator', true);
      arbitrator.addIngressRule(sg, p, 'from Segura');
      arbitrator.addEgressRule(sg, p, 'to Segura');
      sg.addIngressRule(arbitrator, p, 'from the Arbitrator', true);
    }
  }
  return arbitrator;
}
