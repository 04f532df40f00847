/**
 * A Segura cluster's topology, cloud-neutral: the steps every SeguraCluster
 * constructor takes (reject unknown keys, read the peers, compute the plan, split
 * the cluster's own flows from each gateway's share) and the rule that a cluster
 * takes one gateway of each kind (Domum Gateway, ...). A plain object: the AWS and
 * Azure constructs hold one and render what it says.
 */
import { IConstruct } from 'constructs';
import { collectPeers, CONSTRUCT_PEER_ROLES, knownKeys, planOptionsOf, propsShape, rejectIgnoredOptions, rejectUnknownKeys, RuleOptions } from './config';
import { SeguraValidationError } from './errors';
import { FirewallMatrix } from './matrix';
import { Flow, planFlows } from './plan';
import { copyProps, notPlainProps } from './props';
import { RenderContext, renderContext } from './render-context';
import { GATEWAY_ROLES, Role, ROLES } from './roles';
import { checkAllowAnyAddress, worldOpenMessage, worldOpenUnion } from './world-open';

/** What a cloud's cluster construct gives its topology. */
export interface TopologyInput<P> {
  /** The cluster construct (its path names it in messages). */
  readonly cluster: IConstruct;
  /** The construct's props, as the user passed them. */
  readonly props: unknown;
  /** The props only this cloud takes (`vpc`, `ruleQuota`; `resourceGroupName`, ...). */
  readonly backendKeys: readonly string[];
  /** The records among them (`tags`), with what each holds (`an object of strings`). */
  readonly backendRecords?: Readonly<Record<string, string>>;
  /** Checks one peer of the cloud's peer type; throws a SeguraValidationError naming `property`. */
  readonly validatePeer: (property: string, peer: P) => void;
  /** True for deploy-time values (tokens), which are not validated. */
  readonly isUnresolved: (value: unknown) => boolean;
  /**
   * What a peer covering every address is (`"0.0.0.0/0" is every IPv4 address`), or
   * undefined for any other peer (or a value that is not a peer at all).
   */
  readonly worldOpen: (peer: P) => string | undefined;
  /** A peer's CIDR when it is one, spelled out (not a token): the union of a role's is judged too. */
  readonly cidrOf: (peer: P) => string | undefined;
}

/** Does a flow belong to a gateway role's share (it starts or ends there)? */
const touches = (flow: Flow, role: Role) => flow.source === role || flow.destination === role;

export class ClusterTopology<P> {
  /**
   * The props, read once: a plain deep copy of the records and lists (see copyProps).
   * The construct validates and uses this copy, never the object it was given.
   */
  public readonly props: Readonly<Record<string, unknown>>;
  /** The role properties whose peers may cover every address (`allowAnyAddress`). */
  public readonly anyAddress: ReadonlySet<string>;
  /** The configured peer roles and their peers, in role-table order. */
  public readonly peers: ReadonlyMap<Role, P[]>;
  /**
   * The gateway roles that a gateway construct may fill: every gateway role the
   * configuration does not give as peers (an Arbitrator outside the cloud, say).
   */
  public readonly awaitedGateways: readonly Role[];
  /** What every renderer of the cluster and its gateways reads besides the flows. */
  public readonly context: RenderContext;
  /** Every flow of the plan, each gateway's share included (validated against all of it). */
  private readonly all: Flow[];
  private readonly gateways = new Map<Role, IConstruct>();
  private readonly cluster: IConstruct;
  private readonly options: RuleOptions;

  constructor(input: TopologyInput<P>) {
    const props = copyProps(input.props, propsShape(CONSTRUCT_PEER_ROLES, 'props', notPlainProps('the cluster\'s options'), input.backendRecords));
    this.props = props;
    this.cluster = input.cluster;
    this.options = props as RuleOptions;
    rejectIgnoredOptions(props, 'constructs');
    rejectUnknownKeys('', props, knownKeys(CONSTRUCT_PEER_ROLES, input.backendKeys));
    // A peer covering every address is refused unless its property is in allowAnyAddress.
    const anyAddress = checkAllowAnyAddress(this.options.allowAnyAddress, CONSTRUCT_PEER_ROLES);
    this.anyAddress = anyAddress;
    const validatePeer = (property: string, peer: P, role: Role) => {
      const open = input.worldOpen(peer);
      if (open && !anyAddress.has(ROLES[role].property)) {
        throw new SeguraValidationError(property, worldOpenMessage(role, property, open, this.options.portOverrides));
      }
      input.validatePeer(property, peer);
    };
    this.peers = new Map(collectPeers<P>(props, validatePeer).map(({ role, peers }) => [role, peers]));
    // Together, a role's prefixes may cover every address (0.0.0.0/1 and 128.0.0.0/1): judged on their union.
    for (const [role, peers] of this.peers) {
      const property = ROLES[role].property;
      if (anyAddress.has(property)) continue;
      const union = worldOpenUnion(peers.map(input.cidrOf).filter((c): c is string => c !== undefined));
      if (union) throw new SeguraValidationError(property, worldOpenMessage(role, property, union, this.options.portOverrides));
    }
    this.awaitedGateways = GATEWAY_ROLES.filter(g => !this.peers.has(g));
    // Every awaited gateway counts as configured, so that options on its rows are
    // checked now; a gateway may attach later, and rows of one that never does are
    // reported by validate().
    this.all = planFlows(planOptionsOf([...this.peers.keys(), ...this.awaitedGateways], this.options), input.isUnresolved);
    this.context = renderContext(input.isUnresolved);
  }

  /** The flows the cluster renders itself: those that touch no awaited gateway. */
  public get ownFlows(): Flow[] {
    return this.all.filter(f => !this.awaitedGateways.some(g => touches(f, g)));
  }

  /** A gateway role's share of the plan: the flows between it and the Segura nodes. */
  public gatewayFlows(role: Role): Flow[] {
    return this.all.filter(f => touches(f, role));
  }

  /** The flows open now: the cluster's own and those of every attached gateway. */
  public get flows(): Flow[] {
    return this.all.filter(f => !this.awaitedGateways.some(g => touches(f, g) && !this.gateways.has(g)));
  }

  /** Record `gateway` as the cluster's gateway of `role`; a second one, or one given as peers too, is an error. */
  public attach(role: Role, gateway: IConstruct): void {
    const { construct, name } = ROLES[role].gateway!;
    if (this.peers.has(role)) {
      throw new SeguraValidationError('cluster', `the SeguraCluster ${this.cluster.node.path} already has its ${name} as peers (${ROLES[role].property}); `
        + `give the ${name} either as peers or as a ${construct} (${gateway.node.path}), not both`);
    }
    const existing = this.gateways.get(role);
    if (existing) {
      throw new SeguraValidationError('cluster', `the SeguraCluster ${this.cluster.node.path} already has the ${name} ${existing.node.path}; `
        + `a cluster takes one ${name} (${gateway.node.path} is a second)`);
    }
    this.gateways.set(role, gateway);
  }

  /** Synth-time errors: rows of a gateway that is not attached, overridden or disabled (they would be ignored). */
  public validate(): string[] {
    const changed = [...Object.keys(this.options.portOverrides ?? {}), ...(this.options.disabledRules ?? [])];
    const errors: string[] = [];
    for (const role of this.awaitedGateways.filter(g => !this.gateways.has(g))) {
      for (const rowId of changed) {
        const row = FirewallMatrix.tryFindRow(rowId);
        if (row && (row.source === role || row.destination === role)) {
          errors.push(`${rowId} is in portOverrides or disabledRules, but no ${ROLES[role].gateway!.construct} is attached to ${this.cluster.node.path}, so it would be silently ignored`);
        }
      }
    }
    return errors;
  }
}
