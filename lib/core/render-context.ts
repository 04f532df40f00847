/**
 * The render context: what every renderer reads besides the flows, built once per
 * cluster (by its ClusterTopology, from the configuration the plan was made from) and
 * carried to each renderer and, through the gateway link, to every gateway. A
 * cloud-neutral option that changes every rule (how rules describe themselves, say)
 * is read here, once, and reaches every rule of both clouds through this object.
 */
import { Protocol } from './matrix';
import { Flow } from './plan';
import { describeRule } from './rules';

/** A rule as its description sees it: the flows it serves and its protocol. */
export interface DescribedRule {
  readonly flows: readonly Flow[];
  readonly protocol: Protocol;
}

/** What every renderer of a cluster and its gateways reads besides the flows. */
export interface RenderContext {
  /** True for deploy-time values (the cloud library's tokens), which are written as given and never checked early. */
  readonly isUnresolved: (value: unknown) => boolean;
  /** A rule's description (rows, services, ports, roles), cut to `max` characters (the cloud's limit). */
  readonly describe: (rule: DescribedRule, max: number) => string;
}

/** The render context of a cluster whose cloud recognises its deploy-time values by `isUnresolved`. */
export function renderContext(isUnresolved: (value: unknown) => boolean): RenderContext {
  return Object.freeze({
    isUnresolved,
    describe: (rule: DescribedRule, max: number) => describeRule(rule, max, isUnresolved),
  });
}

/**
 * What a gateway gets from the cluster it attaches to (`SeguraCluster._attachGateway`),
 * in both clouds: its share of the plan and the cluster's render context. Each cloud
 * adds what its gateways need of the nodes (AWS: their groups; Azure: their ASGs and
 * the cluster's NSG). The only way a gateway talks to its cluster.
 */
export interface GatewayLinkBase {
  /** The flows between the gateway's role and the Segura nodes. */
  readonly flows: Flow[];
  /** The cluster's render context, for the gateway's rules on both sides. */
  readonly context: RenderContext;
}
