/**
 * The rules every cluster construct follows for its Domum Gateway, cloud-neutral:
 * at most one gateway, and options on the Domum table only with a gateway attached.
 */
import { IConstruct } from 'constructs';
import { RuleOptions } from './config';
import { SeguraValidationError } from './errors';
import { FirewallMatrix, Section } from './matrix';

/** A cluster's slot for its one Domum Gateway. */
export class DomumAttachment {
  private gateway?: IConstruct;

  constructor(private readonly cluster: IConstruct, private readonly options: RuleOptions) {}

  /** True once a gateway is attached. */
  public get attached(): boolean {
    return this.gateway !== undefined;
  }

  /** Attach `gateway`; a second one is an error. */
  public attach(gateway: IConstruct): void {
    if (this.gateway) {
      throw new SeguraValidationError('cluster', `the SeguraCluster ${this.cluster.node.path} already has the Domum Gateway ${this.gateway.node.path}; `
        + `a cluster takes one Domum Gateway (${gateway.node.path} is a second)`);
    }
    this.gateway = gateway;
  }

  /** Synth-time errors: Domum rows overridden or disabled while no gateway is attached. */
  public validate(): string[] {
    if (this.gateway) return [];
    return [...Object.keys(this.options.portOverrides ?? {}), ...(this.options.disabledRules ?? [])]
      .filter(rowId => FirewallMatrix.tryFindRow(rowId)?.section === Section.DOMUM)
      .map(rowId => `${rowId} is in portOverrides or disabledRules, but no DomumGateway is attached to ${this.cluster.node.path}, so it would be silently ignored`);
  }
}
