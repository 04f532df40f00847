/**
 * The audit's public shapes: what it takes and what it reports. Plain, readonly
 * structs (jsii-compatible); exports and configs are parsed JSON.
 */

/** One finding of an audit. */
export interface AuditFinding {
  /**
   * Who opens the connection: a role name as `segura-firewall matrix --format json`
   * writes it (`PRD`, `USERW`, `NTP SERVER`), or, for an extra finding whose other end
   * is no configured role, what the rule names (`0.0.0.0/0`, `sg-0abc`, `Internet`).
   */
  readonly source: string;
  /** Who accepts it, as `source`. */
  readonly destination: string;
  /** `tcp`, `udp`, `icmp`, `other` (any other protocol) or `all` (a rule naming every protocol). */
  readonly protocol: string;
  /** First destination port; -1 for a protocol without ports and for `all`. */
  readonly fromPort: number;
  /** Last destination port; -1 for a protocol without ports and for `all`. */
  readonly toPort: number;
  /**
   * Missing findings: the matrix row of the flow.
   *
   * @default - none (extra findings)
   */
  readonly rowId?: string;
  /**
   * Missing findings: the source's address from the config.
   *
   * @default - none (extra findings)
   */
  readonly sourceAddress?: string;
  /**
   * Missing findings: the destination's address from the config.
   *
   * @default - none (extra findings)
   */
  readonly destinationAddress?: string;
  /**
   * Extra findings: the rule, as `sg-0abc ingress tcp 22 from 0.0.0.0/0` (AWS) or the
   * NSG rule's name (Azure).
   *
   * @default - none (missing findings)
   */
  readonly rule?: string;
  /** Why: which side blocks a missing flow, or what part of a rule nothing needs. */
  readonly reason: string;
}

/** A rule the audit could not evaluate (left out of the evaluation). */
export interface AuditUnresolvedRule {
  /** The rule, named as in `AuditFinding.rule`. */
  readonly rule: string;
  /** Why it could not be evaluated, and what to give so that it can. */
  readonly reason: string;
}

/** The result of an audit. */
export interface AuditReport {
  /** Planned flows that the exported rules do not allow. */
  readonly missing: AuditFinding[];
  /** Traffic the exported rules allow beyond the plan, per rule, with the part nothing needs. */
  readonly extra: AuditFinding[];
  /** Rules the audit could not evaluate. */
  readonly unresolved: AuditUnresolvedRule[];
}
