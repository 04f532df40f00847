/**
 * The audit's public shapes: what it takes and what it reports. Plain, readonly
 * structs (jsii-compatible); exports and configs are parsed JSON.
 */

/** Where an input writes a group, an NSG or a rule: a template's resource or a plan's resource address. */
export interface AuditLocation {
  /** The input, as given (`cdk.out/SeguraNetwork.template.json`, `plan.json`). */
  readonly file: string;
  /** The resource: a template's logical ID (`PrimarySg1A2B3C4D`) or a plan's address (`module.segura.aws_security_group.primary`). */
  readonly resource: string;
  /**
   * The line (1-based) where the input writes the resource.
   *
   * @default - not known (the input was given parsed)
   */
  readonly line?: number;
  /**
   * The column (1-based) of that place (a plan printed on one line has only columns).
   *
   * @default - not known
   */
  readonly column?: number;
}

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
  /**
   * Templates and plans: where the input writes the rule (extra findings) or the
   * groups or NSGs that block the flow (missing findings).
   *
   * @default - none (the clouds' exports have no such place)
   */
  readonly locations?: AuditLocation[];
}

/** A rule the audit could not evaluate (left out of the evaluation). */
export interface AuditUnresolvedRule {
  /** The rule, named as in `AuditFinding.rule`. */
  readonly rule: string;
  /** Why it could not be evaluated, and what to give so that it can. */
  readonly reason: string;
  /**
   * Templates and plans: where the input writes the rule.
   *
   * @default - none (the clouds' exports have no such place)
   */
  readonly locations?: AuditLocation[];
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
