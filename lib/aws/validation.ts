import * as fs from 'fs';
import * as path from 'path';
import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { templateGroupKeys } from '../audit/cloudformation';
import { auditTemplates } from '../audit/sources';
import { parseTemplateText } from '../audit/template-text';
import { AuditLocation, AuditReport } from '../audit/types';
import { readConfig } from '../core/config-file';
import { SeguraValidationError } from '../core/errors';
import { Role, ROLES } from '../core/roles';

/** What `SeguraFirewallValidation` audits: the site, and the groups each role's instances wear. */
export interface SeguraFirewallValidationProps {
  /**
   * The site: the JSON configuration of `segura-firewall` (schema/segura-firewall.schema.json),
   * parsed, with the instances' addresses (`primary` required, `members` when the
   * cluster has members). Checked when the plugin is made.
   */
  readonly config: any;
  /** The groups the Primary wears. */
  readonly primary: ec2.ISecurityGroup[];
  /**
   * The groups the members wear.
   *
   * @default - none (required when the config has members)
   */
  readonly member?: ec2.ISecurityGroup[];
  /**
   * The groups the Domum Gateway wears.
   *
   * @default - the Domum Gateway is not audited (rules naming groups no role wears say so)
   */
  readonly domum?: ec2.ISecurityGroup[];
  /**
   * The groups the Arbitrator wears.
   *
   * @default - the Arbitrator is not audited
   */
  readonly arbitrator?: ec2.ISecurityGroup[];
  /**
   * The groups the load balancers wear (an ALB's `connections.securityGroups`): a rule
   * naming one stands for the config's `loadBalancers` addresses. Their own rules are not
   * audited.
   *
   * @default - none: a rule naming a balancer's group is a group no role wears
   */
  readonly loadBalancer?: ec2.ISecurityGroup[];
  /**
   * The entries of the managed prefix lists the rules reference, as `FirewallAudit.aws` takes them.
   *
   * @default - rules that reference prefix lists are unresolved
   */
  readonly prefixLists?: any;
  /**
   * Report the findings without failing synth.
   *
   * @default false - a missing flow or an extra rule part fails synth
   */
  readonly reportOnly?: boolean;
}

/** What aws-cdk-lib gives a validation plugin (IPolicyValidationContextBeta1): the templates synthesized. */
export interface FirewallValidationContext {
  /** The absolute paths of the templates to validate. */
  readonly templatePaths: string[];
}

/** A resource of a violation (PolicyViolatingResourceBeta1). */
export interface FirewallViolatingResource {
  /** The resource's logical ID. */
  readonly resourceLogicalId: string;
  /** The template that holds it. */
  readonly templatePath: string;
  /** Where in the resource. */
  readonly locations: string[];
}

/** A violation (PolicyViolationBeta1): a finding of the audit. */
export interface FirewallViolation {
  /** The matrix row of a missing flow, `segura-extra` or `segura-unresolved`. */
  readonly ruleName: string;
  /** The finding, with why. */
  readonly description: string;
  /** The resources: the groups that block a flow, or the resource that writes a rule. */
  readonly violatingResources: FirewallViolatingResource[];
  /**
   * `error` (fails synth), or `warning` (report only, and unresolved rules).
   *
   * @default - error
   */
  readonly severity?: string;
  /**
   * How to fix it.
   *
   * @default - none
   */
  readonly fix?: string;
}

/** A validation report (PolicyValidationPluginReportBeta1). */
export interface FirewallValidationReport {
  /** False when synth must fail. */
  readonly success: boolean;
  /** Every finding. */
  readonly violations: FirewallViolation[];
}

const PROPS: ReadonlyArray<readonly [keyof SeguraFirewallValidationProps, Role]> = [['primary', Role.PRD], ['member', Role.MBR], ['domum', Role.DOMUM], ['arbitrator', Role.ARB],
  ['loadBalancer', Role.LOAD_BALANCER]];

/** The package's version, for aws-cdk-lib's report. */
function packageVersion(): string {
  try {
    return String(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version);
  } catch {
    return '0.0.0';
  }
}

/**
 * A CDK validation plugin that audits security groups written by hand against the Segura
 * firewall matrix, at synth: `Validations.of(app).addPlugins(new SeguraFirewallValidation({ config, primary: [sg], member: [sg] }))`
 * (the mechanism cdk-nag 3 uses; aws-cdk-lib 2.71 or later). It reads the synthesized
 * templates as `segura-firewall audit cloudformation` does, and reports each planned flow
 * the groups block (rule: the matrix row) and each rule part no flow needs
 * (`segura-extra`) as a violation at the group's (or the rule's) construct path; synth
 * fails on them unless `reportOnly`. Rules known only at deploy time are warnings
 * (`segura-unresolved`).
 *
 * It has the shape of aws-cdk-lib's IPolicyValidationPluginBeta1 without importing it, so
 * that the package's types still compile against aws-cdk-lib 2.51, the peer floor.
 */
export class SeguraFirewallValidation {
  /** The plugin's name in aws-cdk-lib's report. */
  public readonly name = 'segura-firewall';
  /** The package's version. */
  public readonly version: string = packageVersion();

  /** @throws SeguraValidationError when the config is invalid or a role has no group. */
  constructor(private readonly props: SeguraFirewallValidationProps) {
    readConfig(props.config, 'audit');
    for (const [prop] of PROPS) {
      const groups = props[prop];
      if (groups !== undefined && (!Array.isArray(groups) || groups.length === 0)) {
        throw new SeguraValidationError(`SeguraFirewallValidation.${prop}`, 'expected a non-empty list of security groups');
      }
    }
  }

  /** Audit the templates; called by aws-cdk-lib at synth. */
  public validate(context: FirewallValidationContext): FirewallValidationReport {
    const templates = context.templatePaths.map(file => ({ name: file, ...parseTemplateText(file, fs.readFileSync(file, 'utf8')) }));
    const placed = PROPS.filter(([prop]) => this.props[prop] !== undefined);
    const wanted = placed.flatMap(([prop]) => (this.props[prop] as ec2.ISecurityGroup[]).map(g => this.logicalIdOf(g)));
    // aws-cdk-lib calls the plugin once per environment: the groups' templates are in one call.
    const fileOf = (w: { stack?: string }) => context.templatePaths.find(t => path.basename(t) === w.stack);
    if (!wanted.some(w => w.stack === undefined || fileOf(w))) return { success: true, violations: [] };
    const keyOf = templateGroupKeys(templates);
    const groups = Object.fromEntries(placed.map(([prop, role]) => [ROLES[role].property, (this.props[prop] as ec2.ISecurityGroup[]).map(g => {
      const w = this.logicalIdOf(g);
      const file = fileOf(w);
      return (file && keyOf(file, w.id)) ?? w.id;
    })]));
    return this.reportOf(auditTemplates({ config: this.props.config, groups, prefixLists: this.props.prefixLists }, NAMES, templates));
  }

  /** A group's logical ID and template file, or its ID when it is imported. */
  private logicalIdOf(group: ec2.ISecurityGroup): { id: string; stack?: string } {
    const cfn = group.node.defaultChild;
    if (cfn instanceof CfnResource) {
      const stack = Stack.of(cfn);
      return { id: stack.resolve(cfn.logicalId), stack: stack.templateFile };
    }
    if (Token.isUnresolved(group.securityGroupId)) {
      throw new SeguraValidationError('SeguraFirewallValidation', `the group ${group.node.path} has no template resource and no literal ID: give groups of the app, or imported by their sg- ID`);
    }
    return { id: group.securityGroupId };
  }

  private reportOf(report: AuditReport): FirewallValidationReport {
    const resources = (locations: AuditLocation[] | undefined, where: string) =>
      (locations ?? []).map(l => ({ resourceLogicalId: l.resource, templatePath: l.file, locations: [where] }));
    const severity = this.props.reportOnly ? 'warning' : 'error';
    const violations: FirewallViolation[] = [
      ...report.missing.map(f => ({
        ruleName: f.rowId!,
        severity,
        violatingResources: resources(f.locations, 'Properties'),
        description: `${f.rowId}: ${f.source} ${f.sourceAddress} to ${f.destination} ${f.destinationAddress}, ${f.protocol} ${f.fromPort}, is blocked: ${f.reason}`,
        fix: `allow ${f.protocol} ${f.fromPort} (row ${f.rowId}) in the groups of ${f.source === Role.PRD || f.source === Role.MBR ? `${f.source} (egress) and ` : ''}${f.destination}`,
      })),
      ...report.extra.map(f => ({
        ruleName: 'segura-extra',
        severity,
        violatingResources: resources(f.locations, 'Properties'),
        description: `${f.rule}: ${f.reason}`,
        fix: 'narrow or remove the rule to what the matrix needs',
      })),
      ...report.unresolved.map(u => ({ ruleName: 'segura-unresolved', severity: 'warning', violatingResources: resources(u.locations, 'Properties'), description: `${u.rule}: ${u.reason}` })),
    ];
    return { success: this.props.reportOnly === true || report.missing.length + report.extra.length === 0, violations };
  }
}

/** How the plugin's errors name its inputs. */
const NAMES = {
  config: 'SeguraFirewallValidation.config.',
  export: '',
  prefixLists: 'SeguraFirewallValidation.prefixLists.',
  option: (role: Role) => `SeguraFirewallValidation.${PROPS.find(([, r]) => r === role)?.[0] ?? ROLES[role].property}`,
  vnet: '',
};
