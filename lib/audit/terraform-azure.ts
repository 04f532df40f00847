/**
 * The Azure NSGs of a Terraform plan, read into the model (model.ts), with the fields the
 * azurerm provider documents (registry.terraform.io/providers/hashicorp/azurerm):
 * `azurerm_network_security_group` (inline `security_rule` blocks),
 * `azurerm_network_security_rule` (`network_security_group_name`) and
 * `azurerm_application_security_group`. Each rule is written in the REST API's shape and
 * read by the Azure export's reader, so both check the same fields the same way. An NSG or
 * an ASG the plan creates is named by its address (its ID is known only after apply) and
 * by its name; an unset single field is the provider's empty string.
 */
import { readNsgRule } from './azure-export';
import { NetworkSecurityGroup, NsgRule } from './model';
import { isUnknown, PlanConfiguration, PlannedResource, valueOf } from './terraform-plan';

const NSG = 'azurerm_network_security_group';
const ASG = 'azurerm_application_security_group';

/** The provider's fields and the REST API's names for them, with what an unknown value stands in as (the rule is then unresolved). */
const FIELDS: ReadonlyArray<readonly [string, string, unknown]> = [
  ['name', 'name', 'unknown'], ['priority', 'priority', 4096], ['direction', 'direction', 'Inbound'], ['access', 'access', 'Allow'],
  ['protocol', 'protocol', '*'], ['source_port_range', 'sourcePortRange', '*'], ['source_port_ranges', 'sourcePortRanges', []],
  ['destination_port_range', 'destinationPortRange', '*'], ['destination_port_ranges', 'destinationPortRanges', []],
  ['source_address_prefix', 'sourceAddressPrefix', '*'], ['source_address_prefixes', 'sourceAddressPrefixes', []],
  ['destination_address_prefix', 'destinationAddressPrefix', '*'], ['destination_address_prefixes', 'destinationAddressPrefixes', []],
];
const ASG_FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['source_application_security_group_ids', 'sourceApplicationSecurityGroups'], ['destination_application_security_group_ids', 'destinationApplicationSecurityGroups'],
];

class AzurePlanReader {
  /** Each ASG's ID in the model (its known ID, else its address), by known ID and by address. */
  private readonly asgIds = new Map<string, string>();
  public readonly nsgs = new Map<string, { nsg: NetworkSecurityGroup; rules: NsgRule[] }>();

  public constructor(public readonly config: PlanConfiguration, private readonly resources: readonly PlannedResource[]) {
    for (const r of resources.filter(x => x.type === ASG)) {
      const id = typeof r.values.id === 'string' ? r.values.id : r.address;
      this.asgIds.set(r.address, id);
      this.asgIds.set(id.toLowerCase(), id);
    }
    for (const r of resources.filter(x => x.type === NSG)) this.nsgOf(r.address, r);
  }

  /** The NSG of a key (an address, or a name outside the plan), created when first named. */
  public nsgOf(key: string, r: PlannedResource, name?: string): NsgRule[] {
    if (!this.nsgs.has(key)) {
      const own = r.type === NSG ? r : undefined;
      const nsgName = own && typeof own.values.name === 'string' ? own.values.name : name ?? key;
      const id = own ? (typeof own.values.id === 'string' ? own.values.id : own.address) : undefined;
      this.nsgs.set(key, { nsg: { name: nsgName, id, rules: [], where: r.where, location: own ? r.location : undefined }, rules: [] });
    }
    return this.nsgs.get(key)!.rules;
  }

  /** The NSG a separate rule belongs to: a planned NSG (by address or name), or one outside the plan by name. */
  public targetOf(r: PlannedResource): string {
    const [v] = valueOf(this.config, r, ['network_security_group_name']);
    if (v.kind === 'resource') return v.address;
    if (v.kind === 'unknown') return v.text;
    const named = this.resources.find(x => x.type === NSG && x.values.name === v.value);
    return named ? named.address : String(v.value);
  }

  /** The ASG IDs of a rule side, in the REST shape. */
  public asgs(r: PlannedResource, path: ReadonlyArray<string | number>, expressions?: Record<string, unknown>):
  { list: Array<{ id: string }>; unknown?: string } {
    const list: Array<{ id: string }> = [];
    for (const v of valueOf(this.config, r, path, expressions)) {
      if (v.kind === 'unknown') return { list, unknown: v.text };
      if (v.kind === 'resource') list.push({ id: this.asgIds.get(v.address) ?? v.address });
      else for (const id of Array.isArray(v.value) ? v.value : []) list.push({ id: this.asgIds.get(String(id).toLowerCase()) ?? String(id) });
    }
    return { list };
  }

  /** One rule (a block or a resource) into the model, through the export's reader. */
  public rule(r: PlannedResource, path: ReadonlyArray<string | number>, expressions?: Record<string, unknown>): NsgRule {
    let v: any = r.values;
    for (const p of path) v = v?.[p];
    const shaped: Record<string, unknown> = {};
    const unknown: string[] = [];
    for (const [field, restName, standIn] of FIELDS) {
      if (isUnknown(r.unknown, [...path, field])) {
        const [value] = valueOf(this.config, r, [...path, field], expressions);
        unknown.push(value.kind === 'unknown' ? value.text : `${field} is known only after apply`);
        shaped[restName] = standIn;
      } else {
        shaped[restName] = v?.[field] ?? null;
      }
    }
    for (const [field, restName] of ASG_FIELDS) {
      const side = this.asgs(r, [...path, field], expressions);
      if (side.unknown) unknown.push(side.unknown);
      if (side.list.length > 0) shaped[restName] = side.list;
    }
    const where = `${r.where}.values${path.map(p => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}`;
    const read = readNsgRule(where, shaped);
    return { ...read, location: r.location, ...(unknown.length > 0 ? { unresolved: unknown.join('; ') } : {}) };
  }
}

/** Read the NSGs of a plan's resources, each with its inline and separate rules. */
export function readPlanAzure(config: PlanConfiguration, resources: readonly PlannedResource[]): NetworkSecurityGroup[] {
  const reader = new AzurePlanReader(config, resources);
  for (const r of resources) {
    if (r.type === NSG) {
      const blocks = Array.isArray(r.values.security_rule) ? r.values.security_rule : [];
      const expressions = config.expressionsOf(r).security_rule;
      blocks.forEach((_, i) => {
        // Inline blocks are a set: a block's expressions are found by its name.
        const block = Array.isArray(expressions) ? expressions.find((e: any) => e?.name?.constant_value === (blocks[i] as any)?.name) : undefined;
        reader.nsgOf(r.address, r).push(reader.rule(r, ['security_rule', i], block));
      });
    } else if (r.type === 'azurerm_network_security_rule') {
      const key = reader.targetOf(r);
      reader.nsgOf(key, r, key).push(reader.rule(r, []));
    }
  }
  return [...reader.nsgs.values()].map(({ nsg, rules }) => ({ ...nsg, rules }));
}
