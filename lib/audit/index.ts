/**
 * Audit an existing firewall against the matrix: what the plan needs that the
 * exported rules block (missing), and what they open that nothing needs (extra).
 * Cloud-neutral results; readers for `aws ec2 describe-security-groups` (or its bare
 * list) and `az network nsg list` / `show` exports, CloudFormation templates and
 * Terraform plans, and one matcher per cloud that decides as the cloud documents. Loads
 * neither aws-cdk-lib nor cdktf.
 */
import { auditAws, auditAzure, AuditNames } from './run';
import { auditPlanAws, auditPlanAzure, auditTemplates } from './sources';
import { AuditReport } from './types';
import { RoleKind, ROLES } from '../core/roles';

export * from './types';

/** What an AWS audit takes. */
export interface AwsAuditOptions {
  /**
   * The site: the JSON configuration of `segura-firewall` (schema/segura-firewall.schema.json),
   * parsed. `primary` is required (the audit places instances by their addresses), and
   * `members` when the cluster has members.
   */
  readonly config: any;
  /**
   * The output of `aws ec2 describe-security-groups --output json` or boto3's response,
   * parsed, or the bare list of its groups.
   *
   * The object holds the groups under `SecurityGroups`; the bare list is what
   * `--query SecurityGroups` prints and boto3's `response['SecurityGroups']` is. A group
   * ID repeated (a merged export) is an error naming it.
   */
  readonly securityGroups: any;
  /**
   * The entries of the managed prefix lists the rules reference: an object keyed by
   * prefix-list ID, each the output of `aws ec2 get-managed-prefix-list-entries`
   * (`{ "pl-0abc": { "Entries": [...] } }`), or the output of
   * `aws ec2 describe-managed-prefix-lists` with `Entries` added to each list.
   *
   * @default - rules that reference prefix lists are reported as unresolved
   */
  readonly prefixLists?: any;
  /**
   * The security group IDs each Segura role's instances wear, by the role's config
   * key: `primary` (required), `members` (required when the config has members),
   * `domum`, `arbitrator` (when given, those instances are audited too; otherwise
   * they count as outside the export, and findings on rules naming a group no role
   * wears say which of these to give); and `loadBalancers`: the groups the load
   * balancers wear, so that a rule naming one stands for the config's `loadBalancers`
   * addresses (their own rules are not audited).
   */
  readonly groups: { [role: string]: string[] };
}

/** What an Azure audit takes. */
export interface AzureAuditOptions {
  /** The site, as `AwsAuditOptions.config`. */
  readonly config: any;
  /**
   * The output of `az network nsg list -o json` (a list) or `az network nsg show -o json` (one NSG), parsed.
   *
   * The REST API's shapes (fields under `properties`, a list under `value`) are read
   * too. Names, IDs, tags and enum values compare without case.
   */
  readonly networkSecurityGroups: any;
  /**
   * The name or resource ID of the NSG on the subnet of the Primary and the members.
   *
   * @default - none: then each node role needs its NIC NSGs in `nicNsgs`
   */
  readonly clusterNsg?: string;
  /**
   * The NSG on each gateway's subnet, by config key: `domum`, `arbitrator`.
   *
   * @default - none (a gateway with neither this nor `nicNsgs` is not audited: it counts as outside the export)
   */
  readonly gatewayNsgs?: { [role: string]: string };
  /**
   * The NSGs on the instances' NICs (`az vm create` adds one by default), by config
   * key (`primary`, `members`, `domum`, `arbitrator`): one NSG for every instance of
   * the role, or one per instance in the config's order. Azure processes inbound
   * traffic by the subnet's NSG then the NIC's, outbound by the NIC's then the
   * subnet's; traffic passes only when both allow it.
   *
   * @default - no NSG on the NICs
   */
  readonly nicNsgs?: { [role: string]: string[] };
  /**
   * The application security groups (resource IDs) each role's NICs are in, by config
   * key (`primary`, `members`, `domum`, `arbitrator`): rules that name them match those
   * instances. Each must be an ASG a rule of the export names.
   *
   * @default - no instance is in an ASG; rules naming ASGs match no configured instance
   */
  readonly applicationSecurityGroups?: { [role: string]: string[] };
  /**
   * The address spaces the `VirtualNetwork` service tag stands for: your VNet's, peered
   * VNets', and on-premises ones reached through a gateway. They must contain every
   * placed instance's address.
   */
  readonly virtualNetworkPrefixes: string[];
}

/** What an audit of CloudFormation templates takes. */
export interface CloudFormationAuditOptions {
  /** The site, as `AwsAuditOptions.config`. */
  readonly config: any;
  /**
   * The templates, parsed (JSON, or YAML read with CloudFormation's short tags as
   * `{ "Ref": ... }` and `{ "Fn::...": ... }`), by name: findings' locations and messages
   * use the name (a file name, such as `SeguraNetwork.template.json`). Give every template
   * whose exports the others import.
   */
  readonly templates: { [name: string]: any };
  /**
   * The groups each role's instances wear, by the role's config key (as
   * `AwsAuditOptions.groups`): the logical ID of an `AWS::EC2::SecurityGroup` of the
   * templates, or the `sg-` ID of an existing group they add rules to.
   */
  readonly groups: { [role: string]: string[] };
  /**
   * The entries of the managed prefix lists the rules reference, as `AwsAuditOptions.prefixLists`.
   *
   * @default - rules that reference prefix lists are reported as unresolved
   */
  readonly prefixLists?: any;
}

/** What an audit of the AWS security groups of a Terraform plan takes. */
export interface TerraformAwsAuditOptions {
  /** The site, as `AwsAuditOptions.config`. */
  readonly config: any;
  /** The output of `terraform show -json PLANFILE` (format_version 1.x), parsed. */
  readonly plan: any;
  /**
   * The groups each role's instances wear, by the role's config key: resource addresses
   * (`aws_security_group.primary`, `module.segura.aws_security_group.primary`) or `sg-` IDs.
   */
  readonly groups: { [role: string]: string[] };
  /**
   * The entries of the managed prefix lists the rules reference, as `AwsAuditOptions.prefixLists`.
   *
   * @default - rules that reference prefix lists are reported as unresolved
   */
  readonly prefixLists?: any;
}

/** What an audit of the Azure NSGs of a Terraform plan takes: the plan, and the placement as `AzureAuditOptions` (NSGs and ASGs by resource address or name). */
export interface TerraformAzureAuditOptions {
  /** The site, as `AwsAuditOptions.config`. */
  readonly config: any;
  /** The output of `terraform show -json PLANFILE` (format_version 1.x), parsed. */
  readonly plan: any;
  /**
   * The NSG on the subnet of the Primary and the members: its resource address or name.
   *
   * @default - none: then each node role needs its NIC NSGs in `nicNsgs`
   */
  readonly clusterNsg?: string;
  /**
   * The NSG on each gateway's subnet, by config key.
   *
   * @default - none
   */
  readonly gatewayNsgs?: { [role: string]: string };
  /**
   * The NSGs on the instances' NICs, by config key, as `AzureAuditOptions.nicNsgs`.
   *
   * @default - no NSG on the NICs
   */
  readonly nicNsgs?: { [role: string]: string[] };
  /**
   * The ASGs each role's NICs are in (resource addresses, or IDs), by config key.
   *
   * @default - no instance is in an ASG
   */
  readonly applicationSecurityGroups?: { [role: string]: string[] };
  /** The address spaces the `VirtualNetwork` service tag stands for, as `AzureAuditOptions.virtualNetworkPrefixes`. */
  readonly virtualNetworkPrefixes: string[];
}

/** The names the library's errors use: the options' property paths. */
const LIBRARY_NAMES: AuditNames = {
  config: 'config.',
  export: '',
  prefixLists: 'prefixLists.',
  option: (role, what) => (what === 'groups' ? `groups.${ROLES[role].property}`
    : what === 'asgs' ? `applicationSecurityGroups.${ROLES[role].property}`
      : what === 'nicNsg' ? `nicNsgs.${ROLES[role].property}`
        : ROLES[role].kind === RoleKind.NODE ? 'clusterNsg' : `gatewayNsgs.${ROLES[role].property}`),
  vnet: 'virtualNetworkPrefixes',
};

/**
 * Audit exported firewall rules against the plan of a site. Bad input throws a
 * SeguraValidationError naming the option and field.
 */
export class FirewallAudit {
  /** Audit AWS security groups. */
  public static aws(options: AwsAuditOptions): AuditReport {
    return auditAws(options, { ...LIBRARY_NAMES, export: 'securityGroups.' });
  }

  /** Audit Azure NSGs. */
  public static azure(options: AzureAuditOptions): AuditReport {
    return auditAzure(options, { ...LIBRARY_NAMES, export: 'networkSecurityGroups' });
  }

  /** Audit the security groups CloudFormation templates create (before deploying them). */
  public static cloudFormation(options: CloudFormationAuditOptions): AuditReport {
    const templates = Object.entries(options.templates ?? {}).map(([name, value]) => ({ name, value, places: new Map() }));
    return auditTemplates(options, { ...LIBRARY_NAMES, export: 'templates.' }, templates);
  }

  /** Audit the AWS security groups of a Terraform plan (before applying it). */
  public static terraformAws(options: TerraformAwsAuditOptions): AuditReport {
    return auditPlanAws(options, { ...LIBRARY_NAMES, export: 'plan.' }, { file: 'plan', value: options.plan, places: new Map() });
  }

  /** Audit the Azure NSGs of a Terraform plan (before applying it). */
  public static terraformAzure(options: TerraformAzureAuditOptions): AuditReport {
    return auditPlanAzure(options, { ...LIBRARY_NAMES, export: 'plan.' }, { file: 'plan', value: options.plan, places: new Map() });
  }

  private constructor() {}
}
