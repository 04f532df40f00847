/**
 * Audit an existing firewall against the matrix: what the plan needs that the
 * exported rules block (missing), and what they open that nothing needs (extra).
 * Cloud-neutral results; readers for `aws ec2 describe-security-groups` and
 * `az network nsg list` / `show` exports. Loads neither aws-cdk-lib nor cdktf.
 */
import { auditAws, auditAzure, AuditNames } from './run';
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
  /** The output of `aws ec2 describe-security-groups --output json`, parsed (the object with `SecurityGroups`). */
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
   * they count as outside the export).
   */
  readonly groups: { [role: string]: string[] };
}

/** What an Azure audit takes. */
export interface AzureAuditOptions {
  /** The site, as `AwsAuditOptions.config`. */
  readonly config: any;
  /**
   * The output of `az network nsg list -o json` (a list) or `az network nsg show -o json`
   * (one NSG), parsed; the REST API's shape (rules under `properties`) is read too.
   */
  readonly networkSecurityGroups: any;
  /** The name or resource ID of the NSG in front of the Primary and the members (on their subnet or NICs). */
  readonly clusterNsg: string;
  /**
   * The NSGs in front of the gateways, by config key: `domum`, `arbitrator`.
   *
   * @default - the gateways are not audited (they count as outside the export)
   */
  readonly gatewayNsgs?: { [role: string]: string };
  /**
   * The application security groups (resource IDs) each role's NICs are in, by config
   * key (`primary`, `members`, `domum`, `arbitrator`): rules that name them match those
   * instances.
   *
   * @default - no instance is in an ASG; rules naming ASGs match no configured instance
   */
  readonly applicationSecurityGroups?: { [role: string]: string[] };
  /**
   * The address spaces the `VirtualNetwork` service tag stands for: your VNet's, peered
   * VNets', and on-premises ones reached through a gateway.
   */
  readonly virtualNetworkPrefixes: string[];
}

/** The names the library's errors use: the options' property paths. */
const LIBRARY_NAMES: AuditNames = {
  config: 'config.',
  export: '',
  prefixLists: 'prefixLists.',
  option: (role, what) => (what === 'groups' ? `groups.${ROLES[role].property}`
    : what === 'asgs' ? `applicationSecurityGroups.${ROLES[role].property}`
      : ROLES[role].kind === RoleKind.NODE ? 'clusterNsg' : `gatewayNsgs.${ROLES[role].property}`),
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

  private constructor() {}
}
