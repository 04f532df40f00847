import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { DEFAULT_RULE_QUOTA, isUnresolved, renderFlows, RuleLedger, validateAwsPeer } from './rules';
import { collectPeers, planOptionsOf, rejectUnknownKeys, RuleOptions } from '../core/config';
import { DomumAttachment } from '../core/domum';
import { SeguraValidationError } from '../core/errors';
import { Role } from '../core/matrix';
import { Flow, planFlows } from '../core/plan';

/** Management servers Segura talks to, each a list of peers. A server left out gets no rules. */
export interface ManagementPeers {
  /** NTP servers (MGT-NTP, 123/udp). @default - no NTP rules */
  readonly ntp?: ec2.IPeer[];
  /** DNS servers (MGT-DNS, 53/udp). @default - no DNS rules */
  readonly dns?: ec2.IPeer[];
  /** Mail servers (MGT-SMTP, documented as 420/tcp). @default - no mail rules */
  readonly mail?: ec2.IPeer[];
  /** LDAP servers (MGT-LDAP 389/tcp, MGT-LDAPS 636/tcp). @default - no LDAP rules */
  readonly ldap?: ec2.IPeer[];
  /** RADIUS servers (MGT-RADIUS, 1812/udp). @default - no RADIUS rules */
  readonly radius?: ec2.IPeer[];
  /** TACACS servers (MGT-TACACS-TCP/UDP, 49). @default - no TACACS rules */
  readonly tacacs?: ec2.IPeer[];
  /** Syslog servers, the document's LOG SERVER (514/tcp, 6514/udp). @default - no syslog rules */
  readonly syslog?: ec2.IPeer[];
  /** Backup servers (SSH, NFS, SMB both ways). @default - no backup rules */
  readonly backup?: ec2.IPeer[];
}

/** An APT proxy through which the instances reach the vendor's package mirrors. */
export interface AptProxyPeers {
  /** The proxy's addresses. */
  readonly peers: ec2.IPeer[];
  /**
   * The proxy's port (row UPD-APT-PROXY).
   *
   * @default 3142
   */
  readonly port?: number;
}

/** Which peers Segura talks to, and how the document's rows are opened. */
export interface SeguraClusterOptions extends RuleOptions {
  /**
   * User workstations (USERW): HTTPS, HTTP, SSH and RDP to the nodes.
   *
   * @default - no user rules
   */
  readonly users?: ec2.IPeer[];

  /**
   * Managed devices (DVC) the nodes connect to.
   *
   * @default - no device rules
   */
  readonly devices?: ec2.IPeer[];

  /**
   * Management servers.
   *
   * @default - no management rules
   */
  readonly management?: ManagementPeers;

  /**
   * The vendor's package mirrors, reached on 443/tcp (row UPD-MIRROR). Mutually
   * exclusive with `aptProxy`.
   *
   * @default - no mirror rule
   */
  readonly packageMirrors?: ec2.IPeer[];

  /**
   * An APT proxy in front of the mirrors (row UPD-APT-PROXY), instead of `packageMirrors`.
   *
   * @default - no proxy rule
   */
  readonly aptProxy?: AptProxyPeers;

  /**
   * The inbound (and outbound) rules a security group may hold in your account;
   * synth fails above it.
   *
   * @default 60 (AWS's default quota)
   */
  readonly ruleQuota?: number;
}

/** Properties of a SeguraCluster. */
export interface SeguraClusterProps extends SeguraClusterOptions {
  /** The VPC of the Segura nodes. */
  readonly vpc: ec2.IVpc;
}

const KNOWN_PROPS = ['vpc', 'users', 'devices', 'management', 'packageMirrors', 'aptProxy', 'portOverrides', 'disabledRules', 'ruleQuota'];
const NODE_ROLES = [Role.PRD, Role.MBR];

/**
 * Security groups for a Segura cluster: one for the Primary (PRD) and one for the
 * secondary members (MBR), holding exactly the rows of the Segura firewall matrix
 * that the configuration asks for. PRD and MBR reach each other through
 * security-group references; every rule of the Primary holds for the members too.
 */
export class SeguraCluster extends Construct {
  /** The Primary's security group (PRD). */
  public readonly primarySecurityGroup: ec2.ISecurityGroup;

  /** The secondary members' security group (MBR). */
  public readonly memberSecurityGroup: ec2.ISecurityGroup;

  /** The VPC of the nodes. */
  public readonly vpc: ec2.IVpc;

  /** The flows this cluster opens, Domum's included once a Domum Gateway is attached. */
  public get flows(): Flow[] {
    return [...this.ownFlows, ...(this.domum.attached ? this.domumFlows : [])];
  }

  private readonly peers = new Map<Role, ec2.IPeer[]>();
  private readonly ledgers = new Map<Role, RuleLedger>();
  private readonly ownFlows: Flow[];
  private readonly domumFlows: Flow[];
  private readonly domum: DomumAttachment;

  constructor(scope: Construct, id: string, props: SeguraClusterProps) {
    super(scope, id);
    rejectUnknownKeys('', props, KNOWN_PROPS);
    if (!props.vpc) throw new SeguraValidationError('vpc', 'is required (the ec2.IVpc of the Segura nodes)');
    const quota = props.ruleQuota ?? DEFAULT_RULE_QUOTA;
    if (!isUnresolved(quota) && !(Number.isInteger(quota) && quota >= 1 && quota <= 1000)) {
      throw new SeguraValidationError('ruleQuota', `${quota} is not a rule quota; expected an integer within 1-1000`);
    }
    for (const { role, peers } of collectPeers<ec2.IPeer>(props, validateAwsPeer)) this.peers.set(role, peers);
    this.vpc = props.vpc;
    this.domum = new DomumAttachment(this, props);
    // Validate the options against the full plan, Domum rows included (a Domum
    // Gateway may be attached later); render only the cluster's own flows here.
    const all = planFlows(planOptionsOf([...this.peers.keys(), Role.DOMUM], props), isUnresolved);
    this.ownFlows = all.filter(f => f.source !== Role.DOMUM && f.destination !== Role.DOMUM);
    this.domumFlows = all.filter(f => f.source === Role.DOMUM || f.destination === Role.DOMUM);

    const primary = new ec2.SecurityGroup(this, 'PrimarySecurityGroup', {
      vpc: props.vpc,
      allowAllOutbound: false,
      description: 'Segura Primary application (PRD): rules of the Segura firewall matrix',
    });
    const member = new ec2.SecurityGroup(this, 'MemberSecurityGroup', {
      vpc: props.vpc,
      allowAllOutbound: false,
      description: 'Segura secondary cluster members (MBR): rules of the Segura firewall matrix',
    });
    this.primarySecurityGroup = primary;
    this.memberSecurityGroup = member;
    this.ledgers.set(Role.PRD, new RuleLedger());
    this.ledgers.set(Role.MBR, new RuleLedger());

    renderFlows(this.ownFlows, this._groups(), role => this.peersOf(role), role => this.ledgers.get(role)!, () => false);

    this.node.addValidation({
      validate: () => {
        const errors = [
          ...this.ledgers.get(Role.PRD)!.check(`${primary.node.path} (PRD)`, quota),
          ...this.ledgers.get(Role.MBR)!.check(`${member.node.path} (MBR)`, quota),
        ];
        return [...errors, ...this.domum.validate()];
      },
    });
  }

  /** The Domum Gateway's share of the plan: flows between the nodes and DOMUM. @internal */
  public _domumFlows(): Flow[] {
    return this.domumFlows;
  }

  /** Record the Domum Gateway; a cluster has at most one. @internal */
  public _attachDomum(domum: Construct): void {
    this.domum.attach(domum);
  }

  /** The security groups of PRD and MBR. @internal */
  public _groups(): Map<Role, ec2.ISecurityGroup> {
    return new Map([[Role.PRD, this.primarySecurityGroup], [Role.MBR, this.memberSecurityGroup]]);
  }

  /** The rule ledger of PRD or MBR. @internal */
  public _ledgerOf(role: Role): RuleLedger {
    return this.ledgers.get(role)!;
  }

  private peersOf(role: Role): ec2.IPeer[] {
    if (NODE_ROLES.includes(role)) return [this._groups().get(role)!];
    return this.peers.get(role) ?? [];
  }
}
