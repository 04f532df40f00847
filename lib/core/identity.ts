/**
 * Type identities through `Symbol.for` keys, as aws-cdk-lib has them (`Stack.isStack`):
 * an object is marked when it is made and recognised by its mark, so that two copies
 * of this package in one app (two versions, or a linked checkout) recognise each
 * other's objects where `instanceof` would not. Marks and the gateway registry live
 * on the objects, under keys every copy shares.
 */
import { SeguraValidationError } from './errors';

/** Mark `target` as an instance of `id` (e.g. `segura-constructs/aws.SeguraCluster`). */
export function markIdentity(target: object, id: string): void {
  Object.defineProperty(target, Symbol.for(id), { value: true });
}

/** True when `x` was marked as an instance of `id`, by any copy of the package. */
export function hasIdentity(x: unknown, id: string): boolean {
  return typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[Symbol.for(id)] === true;
}

/** The gateway a security group (AWS) or ASG (Azure) belongs to: a gateway serves one cluster. */
export interface GatewayOwner {
  /** The gateway's kind, for messages (`Domum Gateway`). */
  readonly name: string;
  /** The gateway construct's path. */
  readonly gateway: string;
  /** The path of the cluster it serves. */
  readonly cluster: string;
}

/** The one registry of the gateways' groups: the owner, kept on the group itself. */
const GATEWAY_OF = Symbol.for('segura-constructs.GatewayOwner');

/** Record that `group` (a security group or an ASG) belongs to a gateway. */
export function registerGatewayGroup(group: object, owner: GatewayOwner): void {
  Object.defineProperty(group, GATEWAY_OF, { value: Object.freeze({ ...owner }), configurable: true });
}

/**
 * Refuse a gateway's group given as a peer of a cluster (`property`): a gateway serves
 * one cluster. `what` names the group in the message (`security group`, `ASG`).
 */
export function checkNotGatewayGroup(property: string, group: unknown, what: string): void {
  const owner = typeof group === 'object' && group !== null ? (group as Record<symbol, GatewayOwner | undefined>)[GATEWAY_OF] : undefined;
  if (owner) {
    throw new SeguraValidationError(property, `is the ${what} of the ${owner.name} ${owner.gateway}, which serves the SeguraCluster ${owner.cluster}; `
      + `${owner.name}s serve one cluster each: give this cluster its own`);
  }
}
