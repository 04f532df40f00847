/**
 * SeguraFirewallValidation, the CDK validation plugin: an app whose groups are written by
 * hand, registered with `Validations.of(app).addPlugins(...)` as cdk-nag 3 is. A group
 * missing a row fails synth with that row, at the group's construct path; a correct one
 * passes; `reportOnly` reports without failing.
 */
import '../support/fast-synth';
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { SeguraFirewallValidation } from '../../lib/aws';
import { SeguraValidationError } from '../../lib/errors';

// A Primary and a member; the users reach both on 443, 80, 22 and 3389 (USR-*); the cluster's rows between them.
const CONFIG = { primary: ['10.0.1.4/32'], users: ['10.10.0.0/16'] };

/** An app with the Primary's group written by hand: the users' four ports, or all but RDP. */
function app(ports: number[], reportOnly?: boolean) {
  const a = new App();
  const stack = new Stack(a, 'Segura');
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-11111111', availabilityZones: ['a'] });
  const primary = new ec2.SecurityGroup(stack, 'Primary', { vpc, allowAllOutbound: false });
  for (const port of ports) primary.addIngressRule(ec2.Peer.ipv4('10.10.0.0/16'), ec2.Port.tcp(port), `users ${port}`);
  Validations.of(a).addPlugins(new SeguraFirewallValidation({ config: CONFIG, primary: [primary], reportOnly }));
  return a;
}

/** The group's logical ID in its template. */
const ID = (() => {
  const stack = new Stack(new App(), 'Segura');
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-11111111', availabilityZones: ['a'] });
  return stack.getLogicalId(new ec2.SecurityGroup(stack, 'Primary', { vpc }).node.defaultChild as ec2.CfnSecurityGroup);
})();

/** The violations aws-cdk-lib wrote (validation-report.json): rule, construct path, and description. */
function violations(a: App): Array<[string, string, string]> {
  const reports = JSON.parse(fs.readFileSync(path.join(a.outdir, 'validation-report.json'), 'utf8')).pluginReports as any[];
  return reports.filter(r => r.pluginName === 'segura-firewall')
    .flatMap(r => r.violations.flatMap((v: any) => v.violatingConstructs.map((c: any) => [v.ruleName, c.constructPath, v.description])));
}

describe('SeguraFirewallValidation', () => {
  test('a group missing a row fails synth with that row, at the group\'s construct path', () => {
    const a = app([443, 80, 22]);
    const description = `USR-RDP: USERW 10.10.0.0/16 to PRD 10.0.1.4/32, tcp 3389, is blocked: PRD ingress (${ID}): no rule allows it`;
    expect(() => a.synth()).toThrow(description);
    expect(violations(a)).toEqual([['USR-RDP', 'Segura/Primary/Resource', description]]);
  });

  test('a correct group passes', () => {
    const a = app([443, 80, 22, 3389]);
    expect(() => a.synth()).not.toThrow();
    expect(fs.existsSync(path.join(a.outdir, 'Segura.template.json'))).toBe(true);
  });

  test('an extra port is a violation too; reportOnly reports it without failing', () => {
    const failing = app([443, 80, 22, 3389, 8080]);
    expect(() => failing.synth()).toThrow(`ERROR ${ID} ingress tcp 8080 from 10.10.0.0/16`);
    expect(violations(failing).map(([rule, at]) => [rule, at])).toEqual([['segura-extra', 'Segura/Primary/Resource']]);
    const reporting = app([443, 80, 22, 3389, 8080], true);
    // aws-cdk-lib prints the report of a passing validation on the console: the finding, as a warning.
    const printed: string[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((...a) => { printed.push(a.join(' ')); });
    try {
      expect(() => reporting.synth()).not.toThrow();
    } finally {
      spy.mockRestore();
    }
    expect(printed.join('\n')).toContain(`WARNING ${ID} ingress tcp 8080 from 10.10.0.0/16: no row needs tcp 8080 from 10.10.0.0/16 (segura-firewall)`);
    expect(violations(reporting)).toEqual([['segura-extra', 'Segura/Primary/Resource',
      `${ID} ingress tcp 8080 from 10.10.0.0/16: no row needs tcp 8080 from 10.10.0.0/16`]]);
  });

  test('a rule naming a load balancer\'s group stands for the config\'s loadBalancers when the plugin is given that group', () => {
    const build = (withBalancer: boolean) => {
      const a = new App();
      const stack = new Stack(a, 'Segura');
      const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-11111111', availabilityZones: ['a'] });
      const primary = new ec2.SecurityGroup(stack, 'Primary', { vpc, allowAllOutbound: false });
      const balancer = new ec2.SecurityGroup(stack, 'Balancer', { vpc, allowAllOutbound: false });
      for (const port of [443, 80, 22, 3389]) primary.addIngressRule(balancer, ec2.Port.tcp(port), `balancer ${port}`);
      Validations.of(a).addPlugins(new SeguraFirewallValidation({
        config: { primary: ['10.0.1.4/32'], loadBalancers: ['10.0.2.0/28'] }, primary: [primary], ...(withBalancer ? { loadBalancer: [balancer] } : {}), reportOnly: true,
      }));
      const spy = jest.spyOn(console, 'error').mockImplementation(() => {});
      try { a.synth(); } finally { spy.mockRestore(); }
      return violations(a).map(([rule]) => rule);
    };
    expect(build(true)).toEqual([]);
    // Without it, the balancer's group is worn by no role: its flows are missing, the rules extra.
    expect(build(false).sort()).toEqual(['LB-HTTP', 'LB-HTTPS', 'LB-RDP', 'LB-SSH', 'segura-extra', 'segura-extra', 'segura-extra', 'segura-extra']);
  });

  test('bad input is an error naming the property, when the plugin is made', () => {
    expect(() => new SeguraFirewallValidation({ config: { users: ['10.10.0.0/33'] }, primary: [] })).toThrow(SeguraValidationError);
    const stack = new Stack(new App(), 'S');
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', { vpcId: 'vpc-11111111', availabilityZones: ['a'] });
    expect(() => new SeguraFirewallValidation({ config: CONFIG, primary: [] }))
      .toThrow('SeguraFirewallValidation.primary: expected a non-empty list of security groups');
    expect(new SeguraFirewallValidation({ config: CONFIG, primary: [new ec2.SecurityGroup(stack, 'P', { vpc })] }).name).toBe('segura-firewall');
  });
});
