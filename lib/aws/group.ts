/**
 * The library's security groups: plain `ec2.SecurityGroup`s that count every rule
 * added to them (the library's, a gateway's, and the user's own through
 * addIngressRule / addEgressRule / connections), so that the quota is checked at
 * synth against what the group really holds.
 */
import { Annotations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { familyOf, isUnresolved, weightOf } from './peers';
import { Direction } from '../core/rules';

interface Counted { readonly direction: Direction; readonly family: 'ipv4' | 'ipv6' | 'both'; readonly weight: number; readonly own: boolean }

export class QuotaSecurityGroup extends ec2.SecurityGroup {
  /** For a gateway's group: what it is and which cluster it serves (a gateway serves one cluster). */
  public gatewayOf?: { readonly name: string; readonly gateway: string; readonly cluster: string };

  // Created on first use: the base constructor may add rules before fields are set.
  private countedRules?: Map<string, Counted>;
  private adding = false;

  private get counted(): Map<string, Counted> {
    return this.countedRules ??= new Map();
  }

  /** Add a rule of the library's own (counted as such in messages). */
  public addOwnRule(direction: Direction, peer: ec2.IPeer, port: ec2.Port, description: string, remote: boolean): void {
    this.adding = true;
    try {
      if (direction === 'ingress') this.addIngressRule(peer, port, description, remote);
      else this.addEgressRule(peer, port, description, remote);
    } finally {
      this.adding = false;
    }
  }

  public addIngressRule(peer: ec2.IPeer, connection: ec2.Port, description?: string, remoteRule?: boolean): void {
    this.count('ingress', peer, connection);
    super.addIngressRule(peer, connection, description, remoteRule);
  }

  public addEgressRule(peer: ec2.IPeer, connection: ec2.Port, description?: string, remoteRule?: boolean): void {
    this.count('egress', peer, connection);
    super.addEgressRule(peer, connection, description, remoteRule);
  }

  /** Errors for every direction and family over `quota` (AWS counts each family apart). */
  public check(name: string, quota: number): string[] {
    if (isUnresolved(quota)) return []; // a deploy-time quota cannot be checked here
    const errors: string[] = [];
    for (const direction of ['ingress', 'egress'] as const) {
      const list = [...this.counted.values()].filter(c => c.direction === direction);
      for (const family of ['ipv4', 'ipv6'] as const) {
        const inFamily = list.filter(c => c.family === family || c.family === 'both');
        const total = inFamily.reduce((n, c) => n + c.weight, 0);
        // Group and prefix-list references count in both families; report IPv6 only when it has rules of its own.
        if (total <= quota || (family === 'ipv6' && !list.some(c => c.family === 'ipv6'))) continue;
        const yours = inFamily.filter(c => !c.own).reduce((n, c) => n + c.weight, 0);
        errors.push(`security group ${name} holds ${total} ${direction === 'ingress' ? 'inbound' : 'outbound'} ${family} rules, above ruleQuota ${quota}`
          + `${yours ? ` (${yours} of them added outside the library)` : ''}. Move your own rules to a group of your own, `
          + 'or raise the quota with AWS and set ruleQuota.');
      }
    }
    return errors;
  }

  private count(direction: Direction, peer: ec2.IPeer, port: ec2.Port): void {
    const key = `${direction}|${peer.uniqueId}|${JSON.stringify(port.toRuleJson())}`;
    if (this.counted.has(key)) return;
    const { weight, known } = weightOf(peer);
    if (!known) {
      Annotations.of(this).addWarningV2('segura-constructs:prefix-list-size',
        `Prefix list ${peer.uniqueId} is counted as 1 rule: its max entries are not known here. Pass the ec2.PrefixList construct to count it exactly.`);
    }
    this.counted.set(key, { direction, family: familyOf(peer), weight, own: this.adding });
  }
}
