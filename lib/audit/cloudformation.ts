/**
 * CloudFormation templates (JSON or YAML, `cdk synth`'s cdk.out included) read into the
 * normalized model (model.ts), as the CloudFormation Template Reference documents the
 * resources: `AWS::EC2::SecurityGroup` with inline `SecurityGroupIngress` and
 * `SecurityGroupEgress`, and the separate `AWS::EC2::SecurityGroupIngress` and
 * `AWS::EC2::SecurityGroupEgress`. A group is named by its logical ID (or the `sg-` ID a
 * rule adds to); group references are `{"Fn::GetAtt": [X, "GroupId"]}`, `{"Ref": X}`,
 * literal IDs, and `Fn::ImportValue` of an `Export` of another template given. Values
 * known only at deploy time (parameters, conditions, imports no template exports, other
 * functions) make a rule unresolved, naming the expression.
 *
 * When a group lists no egress rule, EC2 adds rules allowing all outbound IPv4 and IPv6
 * traffic ("When you create a security group, if you do not add egress rules, we add
 * egress rules that allow all outbound IPv4 and IPv6 traffic", AWS::EC2::SecurityGroup).
 * A separate `AWS::EC2::SecurityGroupEgress` removes that rule before adding its own
 * (CloudFormation's behaviour, which aws-cdk-lib relies on: aws/aws-cdk#998, #22140), so
 * the default stays only on a group with neither.
 */
import { trafficAt, isCdkPlaceholder, Traffic } from './aws-export';
import { listAt, objectAt, prefixAt, stringAt } from './fields';
import { AwsPeer, AwsRule, AwsSecurityGroup } from './model';
import { ParsedText } from './template-text';
import { AuditLocation } from './types';
import { SeguraValidationError } from '../core/errors';

/** One template as given: its name (the file, as messages name it) and its parsed text. */
export interface TemplateInput extends ParsedText {
  readonly name: string;
}

const GROUP = 'AWS::EC2::SecurityGroup';
const RULE_TYPES: Record<string, 'ingress' | 'egress'> = { 'AWS::EC2::SecurityGroupIngress': 'ingress', 'AWS::EC2::SecurityGroupEgress': 'egress' };

/** What an expression resolves to: a group of the templates, a literal, or something known only at deploy time. */
type Resolved =
  | { readonly kind: 'group'; readonly key: string }
  | { readonly kind: 'literal'; readonly value: string | number | boolean }
  | { readonly kind: 'unknown'; readonly text: string };

/** An expression as messages write it: `Ref P`, `Fn::GetAtt Sg.VpcId`, `Fn::Sub "${P}-x"`. */
function expressionText(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const keys = Object.keys(value);
  if (keys.length !== 1 || Array.isArray(value)) return JSON.stringify(value).slice(0, 80);
  const [key] = keys;
  const arg = (value as Record<string, unknown>)[key];
  if (key === 'Ref') return `Ref ${String(arg)}`;
  if (key === 'Fn::GetAtt' && Array.isArray(arg)) return `Fn::GetAtt ${arg.join('.')}`;
  const text = typeof arg === 'string' ? JSON.stringify(arg) : typeof arg === 'object' && arg !== null && !Array.isArray(arg) ? expressionText(arg) : JSON.stringify(arg);
  return `${key} ${text.length > 80 ? `${text.slice(0, 77)}...` : text}`;
}

/** The templates together: their resources, parameters and exports, to resolve references across them. */
class Templates {
  /** The model's key of each group, by template and logical ID. */
  private readonly keys = new Map<string, string>();
  /** Each export's template and value, by export name. */
  private readonly exports = new Map<string, { template: TemplateInput; value: unknown }>();

  public constructor(public readonly inputs: readonly TemplateInput[]) {
    const counts = new Map<string, number>();
    for (const t of inputs) for (const [id] of this.resourcesOf(t, GROUP)) counts.set(id, (counts.get(id) ?? 0) + 1);
    // A logical ID in one template names its group; one in several is qualified by its template.
    for (const t of inputs) for (const [id] of this.resourcesOf(t, GROUP)) this.keys.set(`${t.name}|${id}`, counts.get(id)! > 1 ? `${t.name}/${id}` : id);
    for (const t of inputs) {
      for (const [output, o] of Object.entries(objectAt(`${t.name}: Outputs`, objectAt(t.name, t.value).Outputs ?? {}))) {
        const out = objectAt(`${t.name}: Outputs.${output}`, o);
        const name = typeof out.Export === 'object' && out.Export !== null ? (out.Export as Record<string, unknown>).Name : undefined;
        if (typeof name === 'string') this.exports.set(name, { template: t, value: out.Value });
      }
    }
  }

  /** The resources of a template of one type (any type when undefined): logical ID and body. */
  public resourcesOf(t: TemplateInput, type?: string): Array<[string, Record<string, unknown>]> {
    const resources = objectAt(`${t.name}: Resources`, objectAt(t.name, t.value).Resources ?? {});
    return Object.entries(resources).map(([id, r]) => [id, objectAt(`${t.name}: Resources.${id}`, r)] as [string, Record<string, unknown>])
      .filter(([, r]) => type === undefined || r.Type === type);
  }

  public keyOf(t: TemplateInput, id: string): string | undefined {
    return this.keys.get(`${t.name}|${id}`);
  }

  /** Resolve an expression of template `t` (the export chain followed at most `depth` times). */
  public resolve(t: TemplateInput, value: unknown, depth = 0): Resolved {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return { kind: 'literal', value };
    const o = typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
    const unknown = (why: string): Resolved => ({ kind: 'unknown', text: `${expressionText(value)} (${why})` });
    if (o && typeof o.Ref === 'string') {
      const key = this.keyOf(t, o.Ref);
      if (key) return { kind: 'group', key };
      return unknown(o.Ref.startsWith('AWS::') ? 'a pseudo parameter' : 'a parameter, known at deploy time');
    }
    const getAtt = o?.['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') {
      const key = this.keyOf(t, getAtt[0]);
      if (key && getAtt[1] === 'GroupId') return { kind: 'group', key };
      return unknown('an attribute known at deploy time');
    }
    if (o && 'Fn::ImportValue' in o) {
      const name = this.resolve(t, o['Fn::ImportValue'], depth);
      const exported = name.kind === 'literal' ? this.exports.get(String(name.value)) : undefined;
      if (exported && depth < 10) return this.resolve(exported.template, exported.value, depth + 1);
      return unknown(name.kind === 'literal' ? 'no template given exports it' : 'an import whose name is known at deploy time');
    }
    return unknown('known at deploy time');
  }
}

/** The peer fields of each kind of rule, as the Template Reference names them. */
const PEERS: Record<'ingress' | 'egress', ReadonlyArray<readonly [string, AwsPeer['kind'] | 'groupName']>> = {
  ingress: [['CidrIp', 'cidr'], ['CidrIpv6', 'cidr'], ['SourcePrefixListId', 'prefixList'], ['SourceSecurityGroupId', 'group'], ['SourceSecurityGroupName', 'groupName']],
  egress: [['CidrIp', 'cidr'], ['CidrIpv6', 'cidr'], ['DestinationPrefixListId', 'prefixList'], ['DestinationSecurityGroupId', 'group']],
};

/** A rule's fields with numbers written as strings read as numbers (CloudFormation accepts both); an unknown one says so. */
function literalsOf(templates: Templates, t: TemplateInput, rule: Record<string, unknown>, fields: readonly string[]):
{ values: Record<string, unknown>; unknown?: string } {
  const values: Record<string, unknown> = {};
  for (const f of fields) {
    if (rule[f] === undefined) continue;
    const r = templates.resolve(t, rule[f]);
    if (r.kind !== 'literal') return { values, unknown: `${f} is ${r.kind === 'unknown' ? r.text : `${expressionText(rule[f])}, a group`}` };
    values[f] = typeof r.value === 'string' && /^-?\d+$/.test(r.value) && f !== 'IpProtocol' ? Number(r.value) : r.value;
  }
  return { values };
}

interface RuleContext {
  readonly templates: Templates;
  readonly t: TemplateInput;
  readonly direction: 'ingress' | 'egress';
  readonly at: string;
  readonly location: AuditLocation;
  /** Why every rule of the resource is unresolved (a condition), if so. */
  readonly condition?: string;
}

/** The peer of a rule: the one peer field it has. */
function peerOf(c: RuleContext, rule: Record<string, unknown>): { peer: AwsPeer; unresolved?: string; cidrText?: string } {
  const given = PEERS[c.direction].filter(([f]) => rule[f] !== undefined);
  if (given.length !== 1) {
    throw new SeguraValidationError(c.at, `expected exactly one of ${PEERS[c.direction].map(([f]) => f).join(', ')}, got ${given.length === 0 ? 'none' : given.map(([f]) => f).join(', ')}`);
  }
  const [field, kind] = given[0];
  const r = c.templates.resolve(c.t, rule[field]);
  if (r.kind === 'unknown') return { peer: { kind: 'unknown', text: r.text.replace(/ \(.*$/, '') }, unresolved: `${field} is ${r.text}` };
  if (r.kind === 'group') return { peer: { kind: 'group', groupId: r.key } };
  const text = stringAt(`${c.at}.${field}`, r.value);
  if (kind === 'cidr') return { peer: { kind: 'cidr', cidr: text, set: prefixAt(`${c.at}.${field}`, text) }, cidrText: text };
  if (kind === 'prefixList') return { peer: { kind: 'prefixList', prefixListId: text } };
  return { peer: { kind: 'group', groupId: text } };
}

/** One rule (inline, or a separate resource's properties) into the model; undefined for aws-cdk-lib's placeholder. */
function ruleOf(c: RuleContext, value: unknown): AwsRule | undefined {
  const rule = objectAt(c.at, value);
  const { peer, unresolved: peerUnknown, cidrText } = peerOf(c, rule);
  const { values, unknown } = literalsOf(c.templates, c.t, rule, ['IpProtocol', 'FromPort', 'ToPort']);
  const unresolved = c.condition ?? unknown ?? peerUnknown;
  let traffic: Traffic = { protocols: 'all', traffic: 'all traffic' };
  if (!unknown) {
    traffic = trafficAt({ protocol: `${c.at}.IpProtocol`, from: `${c.at}.FromPort`, to: `${c.at}.ToPort` }, values.IpProtocol, values.FromPort, values.ToPort);
    if (cidrText && isCdkPlaceholder(c.direction, traffic, values.FromPort, values.ToPort, cidrText)) return undefined;
  }
  return { direction: c.direction, ...traffic, peer, where: c.at, location: c.location, ...(unresolved ? { unresolved } : {}) };
}

/** The rules a list property holds (a list of rules, or one expression known at deploy time). */
function listRules(c: RuleContext, value: unknown): AwsRule[] {
  const r = value !== null && typeof value === 'object' && !Array.isArray(value) ? c.templates.resolve(c.t, value) : undefined;
  if (r?.kind === 'unknown') {
    return [{
      direction: c.direction,
      protocols: 'all',
      traffic: 'all traffic',
      peer: { kind: 'unknown', text: expressionText(value) },
      where: c.at,
      location: c.location,
      unresolved: `the rules are ${r.text}`,
    }];
  }
  return listAt(c.at, value).flatMap((v, i) => ruleOf({ ...c, at: `${c.at}[${i}]` }, v) ?? []);
}

const conditionOf = (r: Record<string, unknown>) =>
  (typeof r.Condition === 'string' ? `the resource exists only when condition ${r.Condition} holds, decided at deploy time` : undefined);

const locationOf = (t: TemplateInput, id: string): AuditLocation => {
  const place = t.places.get(id);
  return { file: t.name, resource: id, ...(place ? { line: place.line, column: place.column } : {}) };
};

/** EC2's default egress rules, when a group lists none. */
function defaultEgress(at: string, location: AuditLocation): AwsRule[] {
  return ['0.0.0.0/0', '::/0'].map(cidr => ({
    direction: 'egress' as const,
    protocols: 'all' as const,
    traffic: 'all traffic',
    peer: { kind: 'cidr' as const, cidr, set: prefixAt(at, cidr) },
    where: `${at} (EC2's default egress rule: the group lists no egress rule)`,
    location,
  }));
}

/** A group being read: its rules so far, and whether EC2's default egress stays (no egress rule of its own yet). */
interface GroupBuild {
  readonly group: AwsSecurityGroup;
  readonly rules: AwsRule[];
  defaultEgress: boolean;
}

/** The groups of the templates with their inline rules, by key. */
function groupsOf(templates: Templates): Map<string, GroupBuild> {
  const groups = new Map<string, GroupBuild>();
  for (const t of templates.inputs) {
    for (const [id, r] of templates.resourcesOf(t, GROUP)) {
      const at = `${t.name}: Resources.${id}`;
      const props = objectAt(`${at}.Properties`, r.Properties ?? {});
      const location = locationOf(t, id);
      const base = { templates, t, location, condition: conditionOf(r) };
      const egress = props.SecurityGroupEgress;
      const rules = [
        ...listRules({ ...base, direction: 'ingress', at: `${at}.Properties.SecurityGroupIngress` }, props.SecurityGroupIngress),
        ...listRules({ ...base, direction: 'egress', at: `${at}.Properties.SecurityGroupEgress` }, egress),
      ];
      const key = templates.keyOf(t, id)!;
      const name = typeof props.GroupName === 'string' ? props.GroupName : undefined;
      const defaults = egress === undefined || egress === null || (Array.isArray(egress) && egress.length === 0);
      groups.set(key, { group: { groupId: key, groupName: name, rules: [], where: at, location }, rules, defaultEgress: defaults });
    }
  }
  return groups;
}

/** How the model names the groups of some templates: by template name and logical ID (undefined: not a group). */
export function templateGroupKeys(inputs: readonly TemplateInput[]): (name: string, logicalId: string) => string | undefined {
  const templates = new Templates(inputs);
  return (name, logicalId) => {
    const t = inputs.find(i => i.name === name);
    return t && templates.keyOf(t, logicalId);
  };
}

/** Read templates into the model: every group they create or add rules to, with its rules. */
export function readTemplates(inputs: readonly TemplateInput[]): AwsSecurityGroup[] {
  if (inputs.length === 0) throw new SeguraValidationError('--template', 'is required: give the templates (cdk.out/*.template.json, or yours)');
  const templates = new Templates(inputs);
  const groups = groupsOf(templates);
  for (const t of inputs) {
    for (const [id, r] of templates.resourcesOf(t)) {
      const direction = RULE_TYPES[String(r.Type)];
      if (!direction) continue;
      const at = `${t.name}: Resources.${id}.Properties`;
      const props = objectAt(at, r.Properties);
      const target = templates.resolve(t, props.GroupId ?? props.GroupName);
      // A rule added to an existing group (a literal ID) or to one known at deploy time: a group of its own key.
      const key = target.kind === 'group' ? target.key : target.kind === 'literal' ? String(target.value) : target.text.replace(/ \(.*$/, '');
      if (!groups.has(key)) {
        groups.set(key, { group: { groupId: key, rules: [], where: at, location: locationOf(t, id) }, rules: [], defaultEgress: false });
      }
      const build = groups.get(key)!;
      const rule = ruleOf({ templates, t, direction, at, location: locationOf(t, id), condition: conditionOf(r) }, props);
      if (rule) build.rules.push(rule);
      if (direction === 'egress') build.defaultEgress = false;
    }
  }
  const all = [...groups.values()].map(({ group, rules, defaultEgress: d }) =>
    ({ ...group, rules: d ? [...rules, ...defaultEgress(group.where, group.location!)] : rules }));
  if (all.length === 0) {
    throw new SeguraValidationError(inputs.map(i => i.name).join(', '), `${inputs.length === 1 ? 'holds' : 'hold'} no ${GROUP} and no rule resource: give the templates that create the groups`);
  }
  return all;
}
