/**
 * The options every AWS construct of the library takes, declared once: AWS's quotas
 * on security groups (checked in rules.ts).
 */

/** AWS's quotas on security groups, as your account has them. */
export interface AwsQuotaOptions {
  /**
   * The inbound (and outbound) rules a security group may hold in your account, per
   * address family. Past it, a role's rules spread over more groups.
   *
   * @default 60 (AWS's default quota)
   */
  readonly ruleQuota?: number;

  /**
   * The most security groups the library gives each role's instances. AWS allows 5
   * per network interface by default (up to 16 after a quota increase), and
   * `ruleQuota` × groups per interface may not exceed 1,000.
   *
   * @default 4 (AWS's 5, minus one left for your own groups), or fewer when `ruleQuota` × 4 exceeds 1,000
   */
  readonly maxSecurityGroups?: number;
}
