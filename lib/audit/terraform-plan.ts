/**
 * A Terraform plan as `terraform show -json PLANFILE` prints it (Terraform's "JSON Output
 * Format", format_version 1.x): the resources it will have (`planned_values`, modules
 * nested under `child_modules`), which of their values are known only after apply
 * (`resource_changes[].change.after_unknown`), and the configuration's expressions with
 * their `references` (`configuration`, modules under `module_calls`), through which the
 * IDs of the groups the plan creates are found. Knows the format, not the providers.
 */
import { listAt, objectAt, rootName, stringAt } from './fields';
import { ParsedText } from './template-text';
import { AuditLocation } from './types';
import { describeValue, SeguraValidationError } from '../core/errors';

/** One resource instance the plan will have. */
export interface PlannedResource {
  /** Its address: `module.segura.aws_security_group.primary`, `aws_security_group_rule.x[0]`. */
  readonly address: string;
  readonly type: string;
  /** The planned values (unknown ones left out, as the format does). */
  readonly values: Record<string, unknown>;
  /** Which values are known only after apply (true leaves, as `after_unknown`). */
  readonly unknown: unknown;
  /** The instance's module: `module.segura.` (with instance keys), or '' at the root. */
  readonly modulePrefix: string;
  readonly where: string;
  readonly location: AuditLocation;
}

/** What a value of the plan resolves to: a known value, a resource of the plan, or something known only after apply. */
export type PlanValue =
  | { readonly kind: 'known'; readonly value: unknown }
  | { readonly kind: 'resource'; readonly address: string }
  /** `text` says why; `expression` is what gives the value (a reference), as rule names write it. */
  | { readonly kind: 'unknown'; readonly text: string; readonly expression?: string };

const RUN = 'run `terraform plan -out=PLANFILE`, then `terraform show -json PLANFILE > plan.json`';

/** Inputs of a known, wrong shape: what they are, and what to give instead. */
function knownWrongShape(root: Record<string, unknown>): string | undefined {
  if (typeof root.lineage === 'string' && Array.isArray(root.resources)) return `this is a Terraform state file (terraform.tfstate), not a plan: ${RUN}`;
  if ('values' in root && !('planned_values' in root)) return `this is \`terraform show -json\` of the state (without a plan file): ${RUN}`;
  if ('resource' in root && ('provider' in root || 'terraform' in root)) return `this is Terraform JSON configuration (cdktf synth's cdk.tf.json, *.tf.json), not a plan: ${RUN}`;
  if (typeof root['@level'] === 'string') return `this is the log of \`terraform plan -json\`, not a plan: ${RUN}`;
  if ('AWSTemplateFormatVersion' in root || 'Resources' in root) return 'this is a CloudFormation template: audit it with `segura-firewall audit cloudformation --template`';
  return undefined;
}

/** The plan's root, its shape and format version checked. */
export function planRoot(name: string, value: unknown): Record<string, unknown> {
  const label = rootName(name);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SeguraValidationError(label, `expected the output of \`terraform show -json PLANFILE\`, got ${describeValue(value)}`);
  const root = value as Record<string, unknown>;
  const wrong = knownWrongShape(root);
  if (wrong) throw new SeguraValidationError(label, wrong);
  const version = root.format_version;
  // 1.x since Terraform 1.0; 0.x (Terraform 0.12 to 0.15) has the same layout. A new major version is refused, as the format asks.
  if (typeof version !== 'string' || !/^[01]\.\d+$/.test(version)) {
    throw new SeguraValidationError(`${name}format_version`, `expected format version 1.x (or 0.x, Terraform 0.12 to 0.15) of \`terraform show -json PLANFILE\`, got ${describeValue(version)}`);
  }
  objectAt(`${name}planned_values`, root.planned_values);
  return root;
}

/** A module path's prefix without instance keys: `module.a["x"].module.b[0].` -> `module.a.module.b.`. */
const withoutKeys = (prefix: string) => prefix.replace(/\[[^\]]*\]/g, '');

/** The resource instances of the plan, modules included. */
export function plannedResources(name: string, root: Record<string, unknown>, input: ParsedText & { file: string }): PlannedResource[] {
  const after = new Map<string, unknown>();
  listAt(`${name}resource_changes`, root.resource_changes).forEach((c, i) => {
    const change = objectAt(`${name}resource_changes[${i}]`, c);
    after.set(stringAt(`${name}resource_changes[${i}].address`, change.address), (change.change as any)?.after_unknown);
  });
  const out: PlannedResource[] = [];
  const walk = (module: unknown, path: string, prefix: string) => {
    const m = objectAt(path, module);
    listAt(`${path}.resources`, m.resources).forEach((r, i) => {
      const at = `${path}.resources[${i}]`;
      const res = objectAt(at, r);
      const address = stringAt(`${at}.address`, res.address);
      if (res.mode === 'data') return;
      const place = input.places.get(address);
      out.push({
        address,
        type: stringAt(`${at}.type`, res.type),
        values: objectAt(`${at}.values`, res.values ?? {}),
        unknown: after.get(address),
        modulePrefix: prefix,
        where: at,
        location: { file: input.file, resource: address, ...(place ? { line: place.line, column: place.column } : {}) },
      });
    });
    listAt(`${path}.child_modules`, m.child_modules).forEach((c, i) => {
      const child = objectAt(`${path}.child_modules[${i}]`, c);
      walk(child, `${path}.child_modules[${i}]`, `${stringAt(`${path}.child_modules[${i}].address`, child.address)}.`);
    });
  };
  walk(objectAt(`${name}planned_values`, root.planned_values).root_module ?? {}, `${name}planned_values.root_module`, '');
  return out;
}

/** Whether `after_unknown` marks a value (or any part of it) unknown. */
export function isUnknown(unknown: unknown, path: ReadonlyArray<string | number>): boolean {
  let at: any = unknown;
  for (const key of path) {
    if (at === true) return true;
    if (typeof at !== 'object' || at === null) return false;
    at = at[key];
  }
  return at === true || (typeof at === 'object' && at !== null && JSON.stringify(at).includes('true'));
}

/** The resource types whose references name a group, an NSG or an ASG (the others' values are known only after apply). */
const GROUP_TYPES = new Set(['aws_security_group', 'azurerm_network_security_group', 'azurerm_application_security_group']);

/** The configuration's expressions, by module path (without instance keys) and resource address within the module. */
export class PlanConfiguration {
  private readonly modules = new Map<string, Record<string, unknown>>();
  private readonly variables: Record<string, unknown>;
  /** The planned instances by address, and by address without instance key (`x[0]` and `x["a"]` under `x`). */
  private readonly byAddress: Map<string, PlannedResource>;
  private readonly byBase = new Map<string, PlannedResource[]>();
  /** Each module's configured resources, by address within the module. */
  private readonly configured = new Map<string, Map<string, Record<string, unknown>>>();

  public constructor(root: Record<string, unknown>, resources: readonly PlannedResource[]) {
    const configuration = typeof root.configuration === 'object' && root.configuration !== null ? root.configuration as Record<string, unknown> : {};
    this.variables = typeof root.variables === 'object' && root.variables !== null ? root.variables as Record<string, unknown> : {};
    const walk = (module: unknown, prefix: string) => {
      if (typeof module !== 'object' || module === null) return;
      this.modules.set(prefix, module as Record<string, unknown>);
      for (const [callName, call] of Object.entries((module as any).module_calls ?? {})) walk((call as any)?.module, `${prefix}module.${callName}.`);
    };
    walk(configuration.root_module, '');
    this.byAddress = new Map(resources.map(r => [r.address, r]));
    for (const r of resources) {
      const base = r.address.replace(/\[[^\]]*\]$/, '');
      this.byBase.set(base, [...this.byBase.get(base) ?? [], r]);
    }
  }

  /** The type of a planned resource. */
  public typeOf(address: string): string | undefined {
    return this.byAddress.get(address)?.type;
  }

  /** The expressions of a resource: `{ attr: { constant_value } | { references: [...] } | [block expressions] }`. */
  public expressionsOf(r: PlannedResource): Record<string, unknown> {
    const prefix = withoutKeys(r.modulePrefix);
    let configured = this.configured.get(prefix);
    if (!configured) {
      const list = listAt('configuration', this.modules.get(prefix)?.resources) as Array<Record<string, unknown>>;
      configured = new Map(list.filter(c => typeof c?.address === 'string').map(c => [c.address as string, c]));
      this.configured.set(prefix, configured);
    }
    const config = configured.get(withoutKeys(r.address.slice(r.modulePrefix.length))) as any;
    return typeof config?.expressions === 'object' && config.expressions !== null ? config.expressions : {};
  }

  /** The resources an expression references, resolved from the module at `prefix` (an instance prefix). */
  public resolve(expression: unknown, prefix: string, depth = 0): PlanValue[] {
    const e = typeof expression === 'object' && expression !== null ? expression as Record<string, unknown> : {};
    if ('constant_value' in e) return [{ kind: 'known', value: e.constant_value }];
    const references = Array.isArray(e.references) ? e.references.filter((x): x is string => typeof x === 'string') : [];
    // `aws_security_group.a.id` comes with `aws_security_group.a`: each resource once.
    const out = new Map<string, PlanValue>();
    for (const ref of references) {
      for (const v of (depth < 20 ? this.resolveReference(ref, prefix, depth) : undefined) ?? []) out.set(JSON.stringify(v), v);
    }
    return out.size > 0 ? [...out.values()] : [{ kind: 'unknown', text: references.length > 0 ? references[0] : 'an expression known after apply' }];
  }

  private resolveReference(ref: string, prefix: string, depth: number): PlanValue[] | undefined {
    const moduleOutput = /^module\.([^.[]+)(\[[^\]]*\])?\.([^.[]+)/.exec(ref);
    if (moduleOutput) {
      const module = this.modules.get(`${withoutKeys(prefix)}module.${moduleOutput[1]}.`);
      const output = (module as any)?.outputs?.[moduleOutput[3]];
      return output ? this.resolve(output.expression, `${prefix}module.${moduleOutput[1]}${moduleOutput[2] ?? ''}.`, depth + 1) : undefined;
    }
    const variable = /^var\.([^.[]+)/.exec(ref);
    if (variable) {
      if (prefix === '') {
        const v = this.variables[variable[1]] as any;
        return v && 'value' in v ? [{ kind: 'known', value: v.value }] : undefined;
      }
      const parent = prefix.replace(/module\.[^.[]+(\[[^\]]*\])?\.$/, '');
      const call = /module\.([^.[]+)(\[[^\]]*\])?\.$/.exec(prefix)![1];
      const expression = (this.modules.get(withoutKeys(parent)) as any)?.module_calls?.[call]?.expressions?.[variable[1]];
      return expression ? this.resolve(expression, parent, depth + 1) : undefined;
    }
    const resource = /^([a-z][a-z0-9_]*\.[^.[]+)(\[[^\]]*\])?/.exec(ref);
    if (!resource || ref.startsWith('data.') || ref.startsWith('local.')) return undefined;
    const address = `${prefix}${resource[1]}${resource[2] ?? ''}`;
    const exact = this.byAddress.get(address);
    const matches = exact ? [exact] : resource[2] ? [] : this.byBase.get(address) ?? [];
    return matches.length > 0 ? matches.map(r => ({ kind: 'resource' as const, address: r.address })) : undefined;
  }
}

/**
 * A value of a resource at `path` (`['security_group_id']`, `['ingress', 2, 'security_groups']`):
 * known in the planned values, else resolved through the configuration's references (`expressions`
 * are the resource's, or a block's), else unknown naming the expression.
 */
export function valueOf(config: PlanConfiguration, r: PlannedResource, path: ReadonlyArray<string | number>,
  expressions?: Record<string, unknown>): PlanValue[] {
  if (!isUnknown(r.unknown, path)) {
    let v: any = r.values;
    for (const key of path) v = v?.[key];
    return [{ kind: 'known', value: v }];
  }
  const field = String(path[path.length - 1]);
  const exprs = expressions ?? config.expressionsOf(r);
  const resolved = exprs[field] === undefined ? [{ kind: 'unknown' as const, text: `${field} (not in the plan's configuration)` }] : config.resolve(exprs[field], r.modulePrefix);
  return resolved.map(v => (v.kind === 'unknown' ? { kind: 'unknown', text: `${field} is known only after apply (${v.text})`, expression: v.text }
    : v.kind === 'resource' && !GROUP_TYPES.has(config.typeOf(v.address) ?? '') ? { kind: 'unknown', text: `${field} is known only after apply (${v.address})`, expression: v.address } : v));
}
