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

  /**
   * A JSON file recording which security group each rule went to, kept like a lock
   * file: commit it. The path is relative to the directory the app runs in (where
   * `cdk synth` runs). AWS only: Azure's priorities are already pinned per rule slot.
   *
   * When the file exists, each rule it records (matched by content: the holder, the
   * direction, the peer, the protocol and ports) stays in its recorded group; new
   * rules go into the groups' free room (first-fit, existing groups first, then new
   * overflow groups, prefix lists largest first); rules that are gone free their
   * room. So appending peers or turning an integration on or off moves no rule.
   *
   * Only when the recorded placement cannot hold the configuration (the new rules do
   * not fit in the free room; `ruleQuota` or `maxSecurityGroups` was lowered below what
   * the file records; a prefix list's max entries raised) are the groups laid out
   * afresh, as without the file. Then synth warns (`segura-constructs:layout-moved`)
   * with how many rules move, between which groups, which peers, and why: never a
   * silent move. The file keeps that holder's recorded placement (the file is written
   * when the construct is built, before synth ends: a later error or `--strict` must
   * not turn the next synth's moves silent), so every synth warns again, until you
   * accept the moves with the context value `segura-constructs:acceptLayoutMoves`
   * (`cdk synth -c segura-constructs:acceptLayoutMoves=true`): the file then records
   * the new placement. A configuration synthesizes with the file exactly when it does
   * without it.
   *
   * After the layout the file is written when its content changed (created when
   * missing): sorted, pretty-printed JSON with a `version`, one entry per holder keyed
   * by the construct path of its first group (`MyStack/Segura/PrimarySecurityGroup`),
   * so one file may serve the cluster's nodes, its gateways and several stacks; each
   * construct rewrites only its own entries. Absent (a fresh CI checkout, a first
   * synth), the groups are laid out as without the file, and the file is written: a
   * CI job that synthesizes from a checkout without it lays out afresh, so commit it.
   * Two apps writing one file keep each other's entries while their construct paths
   * differ; with the same paths the last synth wins: give each app its own file.
   * Remove the entries of holders you deleted by hand (or delete the file: the next
   * synth writes it afresh, and rules may move once).
   *
   * @default - no file: the stateless layout, and the README's stability contract for it
   * @throws SeguraValidationError naming `layoutFile` when the value is not a path known
   *   at synth, or the file is not valid JSON, not of this version (1), names a group
   *   that is not the holder's, or cannot be read or written; naming the context
   *   value when `segura-constructs:acceptLayoutMoves` is neither true nor false
   */
  readonly layoutFile?: string;
}
