/**
 * The AWS security groups of a Terraform plan, read into the model (model.ts), with the
 * fields the AWS provider documents (registry.terraform.io/providers/hashicorp/aws):
 * `aws_security_group` (inline `ingress` and `egress` blocks: `protocol`, `from_port`,
 * `to_port`, `cidr_blocks`, `ipv6_cidr_blocks`, `prefix_list_ids`, `security_groups`,
 * `self`), `aws_security_group_rule` (`type`, `security_group_id`,
 * `source_security_group_id`, `self`, and the same peers), and
 * `aws_vpc_security_group_ingress_rule` / `_egress_rule` (`security_group_id`,
 * `ip_protocol`, `from_port`, `to_port`, `cidr_ipv4`, `cidr_ipv6`, `prefix_list_id`,
 * `referenced_security_group_id`). A group is named by its address, or by its `sg-` ID
 * when it exists outside the plan. The provider removes the default allow-all egress rule
 * of a group it creates ("Terraform will remove this default rule"), so none is added.
 */
import { trafficAt } from './aws-export';
import { prefixAt, stringAt } from './fields';
import { AwsPeer, AwsRule, AwsSecurityGroup } from './model';
import { PlanConfiguration, PlannedResource, PlanValue, valueOf, isUnknown } from './terraform-plan';

const GROUP = 'aws_security_group';

/** The groups of a plan, and the address of each planned group whose `sg-` ID is known (an update). */
export interface PlanGroups {
  readonly groups: AwsSecurityGroup[];
  readonly addressOfId: ReadonlyMap<string, string>;
}

/** A group or peer reference resolved: a group key (address or `sg-` ID), or why it is known only after apply. */
type GroupRef = { readonly key: string } | { readonly unknown: string; readonly expression?: string };

class AwsPlanReader {
  public readonly addressOfId = new Map<string, string>();
  public readonly groups = new Map<string, { group: AwsSecurityGroup; rules: AwsRule[] }>();
  private readonly byAddress: Map<string, PlannedResource>;

  public constructor(public readonly config: PlanConfiguration, resources: readonly PlannedResource[]) {
    this.byAddress = new Map(resources.map(r => [r.address, r]));
    for (const r of resources.filter(x => x.type === GROUP)) {
      if (typeof r.values.id === 'string') this.addressOfId.set(r.values.id, r.address);
      this.groupOf(r.address, r);
    }
  }

  public groupOf(key: string, r: PlannedResource): AwsRule[] {
    if (!this.groups.has(key)) {
      const name = typeof r.values.name === 'string' && r.type === GROUP ? r.values.name : undefined;
      this.groups.set(key, { group: { groupId: key, groupName: name, rules: [], where: r.where, location: r.location }, rules: [] });
    }
    return this.groups.get(key)!.rules;
  }

  /** Group references from resolved values (one value may be a list of IDs). */
  public refs(values: readonly PlanValue[]): GroupRef[] {
    return values.flatMap((v): GroupRef[] => {
      if (v.kind === 'unknown') return [{ unknown: v.text, expression: v.expression }];
      if (v.kind === 'resource') {
        const type = this.byAddress.get(v.address)?.type;
        return [type === GROUP ? { key: v.address } : { unknown: `${v.address} (a ${type}: its group is known only after apply)` }];
      }
      const list = Array.isArray(v.value) ? v.value : v.value === undefined || v.value === null || v.value === '' ? [] : [v.value];
      return list.map(id => ({ key: this.addressOfId.get(String(id)) ?? String(id) }));
    });
  }
}

interface RuleSite {
  readonly reader: AwsPlanReader;
  readonly r: PlannedResource;
  /** The path of the rule's fields within the resource's values (`['ingress', 0]`, or `[]`). */
  readonly path: ReadonlyArray<string | number>;
  readonly direction: 'ingress' | 'egress';
  /** The group the rule belongs to, for `self`. */
  readonly self: string;
  /** The expressions of the rule's fields (a block's, or the resource's). */
  readonly expressions?: Record<string, unknown>;
}

/** A rule's peer fields, by kind. */
interface PeerFields {
  readonly cidrs: string[];
  readonly prefixLists: string[];
  readonly groups: string[];
}

/** The planned fields of a rule: the resource's values, or a block's. */
function fieldsAt(r: PlannedResource, path: ReadonlyArray<string | number>): Record<string, unknown> | undefined {
  let v: any = r.values;
  for (const p of path) v = v?.[p];
  return typeof v === 'object' && v !== null ? v : undefined;
}

/** The peers of a rule, each with where it is written: CIDRs, prefix lists, groups; unknown ones say so. */
function peersOf(site: RuleSite, fields: PeerFields): Array<{ peer: AwsPeer; at: string; unresolved?: string }> {
  const { reader, r, path } = site;
  const at = (f: string) => `${r.where}.values${path.map(p => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}.${f}`;
  const read = (f: string) => valueOf(reader.config, r, [...path, f], site.expressions);
  const out: Array<{ peer: AwsPeer; at: string; unresolved?: string }> = [];
  const unknown = (f: string, text: string, expression = f) => out.push({ peer: { kind: 'unknown', text: expression }, at: at(f), unresolved: text });
  for (const f of [...fields.cidrs, ...fields.prefixLists]) {
    for (const v of read(f)) {
      if (v.kind !== 'known') { unknown(f, v.kind === 'unknown' ? v.text : `${f} is known only after apply (${v.address})`, v.kind === 'unknown' ? v.expression : v.address); continue; }
      const list = Array.isArray(v.value) ? v.value : v.value === undefined || v.value === null || v.value === '' ? [] : [v.value];
      list.forEach((x, i) => {
        const text = stringAt(`${at(f)}[${i}]`, x);
        out.push({ peer: fields.cidrs.includes(f) ? { kind: 'cidr', cidr: text, set: prefixAt(`${at(f)}[${i}]`, text) } : { kind: 'prefixList', prefixListId: text }, at: `${at(f)}[${i}]` });
      });
    }
  }
  for (const f of fields.groups) {
    for (const ref of reader.refs(read(f))) {
      if ('key' in ref) out.push({ peer: { kind: 'group', groupId: ref.key }, at: at(f) });
      else unknown(f, ref.unknown, ref.expression);
    }
  }
  if (fieldsAt(r, path)?.self === true) out.push({ peer: { kind: 'group', groupId: site.self }, at: at('self') });
  return out;
}

/** The rules of one rule (a block or a resource): one per peer. */
function rulesOf(site: RuleSite, protocolField: string, fields: PeerFields): AwsRule[] {
  const { r, path } = site;
  const v = fieldsAt(r, path);
  const at = `${r.where}.values${path.map(p => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}`;
  const unknownTraffic = [protocolField, 'from_port', 'to_port'].find(f => isUnknown(r.unknown, [...path, f]));
  const traffic = unknownTraffic ? { protocols: 'all' as const, traffic: 'all traffic' }
    : trafficAt({ protocol: `${at}.${protocolField}`, from: `${at}.from_port`, to: `${at}.to_port` }, v?.[protocolField], v?.from_port, v?.to_port);
  return peersOf(site, fields).map(p => ({
    direction: site.direction,
    ...traffic,
    peer: p.peer,
    where: p.at,
    location: r.location,
    ...(p.unresolved || unknownTraffic ? { unresolved: p.unresolved ?? `${unknownTraffic} is known only after apply` } : {}),
  }));
}

/** The rule resources, with their direction (`aws_security_group_rule` says it in `type`). */
const RULE_RESOURCES: Record<string, 'ingress' | 'egress' | undefined> = {
  aws_security_group_rule: undefined, aws_vpc_security_group_ingress_rule: 'ingress', aws_vpc_security_group_egress_rule: 'egress',
};

const CLASSIC = { cidrs: ['cidr_blocks', 'ipv6_cidr_blocks'], prefixLists: ['prefix_list_ids'] };

/**
 * The expressions of an inline rule: its configuration block, the one whose constant ports and
 * protocol are the planned ones (sets reorder blocks); or, where the configuration gives the
 * blocks as one expression (attributes written as blocks), its references, when this is the only
 * block whose groups are unknown.
 */
function blockExpressions(config: PlanConfiguration, r: PlannedResource, kind: string, planned: any): Record<string, unknown> | undefined {
  const blocks = config.expressionsOf(r)[kind];
  if (blocks !== null && typeof blocks === 'object' && !Array.isArray(blocks)) {
    const unknownBlocks = (Array.isArray(r.values[kind]) ? r.values[kind] as unknown[] : []).filter((_, i) => isUnknown(r.unknown, [kind, i, 'security_groups']));
    return unknownBlocks.length === 1 && unknownBlocks[0] === planned ? { security_groups: blocks } : undefined;
  }
  if (!Array.isArray(blocks)) return undefined;
  const same = (b: any, f: string) => b?.[f]?.constant_value === undefined || String(b[f].constant_value) === String(planned?.[f]);
  const matches = blocks.filter(b => ['from_port', 'to_port', 'protocol'].every(f => same(b, f)));
  return matches.length === 1 ? matches[0] : undefined;
}

/** Read the AWS security groups of a plan's resources. */
export function readPlanAws(config: PlanConfiguration, resources: readonly PlannedResource[]): PlanGroups {
  const reader = new AwsPlanReader(config, resources);
  for (const r of resources) {
    if (r.type === GROUP) {
      for (const direction of ['ingress', 'egress'] as const) {
        const blocks = Array.isArray(r.values[direction]) ? r.values[direction] as unknown[] : [];
        blocks.forEach((b, i) => reader.groupOf(r.address, r).push(...rulesOf({
          reader, r, path: [direction, i], direction, self: r.address, expressions: blockExpressions(config, r, direction, b),
        }, 'protocol', { ...CLASSIC, groups: ['security_groups'] })));
      }
    } else if (r.type in RULE_RESOURCES) {
      const direction = RULE_RESOURCES[r.type] ?? (r.values.type === 'egress' ? 'egress' : 'ingress');
      for (const target of reader.refs(valueOf(config, r, ['security_group_id']))) {
        const key = 'key' in target ? target.key : target.unknown;
        const site = { reader, r, path: [], direction, self: key } as RuleSite;
        reader.groupOf(key, r).push(...(r.type === 'aws_security_group_rule'
          ? rulesOf(site, 'protocol', { ...CLASSIC, groups: ['source_security_group_id'] })
          : rulesOf(site, 'ip_protocol', { cidrs: ['cidr_ipv4', 'cidr_ipv6'], prefixLists: ['prefix_list_id'], groups: ['referenced_security_group_id'] })));
      }
    }
  }
  return { groups: [...reader.groups.values()].map(({ group, rules }) => ({ ...group, rules })), addressOfId: reader.addressOfId };
}
