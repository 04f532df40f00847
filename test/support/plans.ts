/**
 * Synthesized output in the shape of a Terraform plan (`terraform show -json PLANFILE`,
 * format_version 1.2, Terraform's "JSON Output Format"), for the audit's round trips:
 * `planned_values` (values known at plan time; an interpolation is known only after
 * apply, so it is left out and marked in `resource_changes[].change.after_unknown`),
 * `resource_changes` (every resource created), and `configuration` (each attribute's
 * expression: `constant_value`, or `references` as Terraform lists them: `type.name.attr`
 * then `type.name`), optionally inside one module (`module.NAME.` addresses,
 * `child_modules`, `module_calls`).
 */

/** The references of an interpolated string: `${a.b.c}` -> `a.b.c`, `a.b`. */
function referencesOf(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\$\{([a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)((?:\.[A-Za-z0-9_]+)*)\}/g)) {
    if (m[2]) out.push(`${m[1]}${m[2]}`);
    out.push(m[1]);
  }
  return [...new Set(out)];
}

const isInterpolated = (v: unknown): boolean => (typeof v === 'string' ? v.includes('${')
  : Array.isArray(v) ? v.some(isInterpolated) : typeof v === 'object' && v !== null ? Object.values(v).some(isInterpolated) : false);

/** A resource's planned values, what is unknown, and its expressions. */
function split(attributes: Record<string, unknown>) {
  const values: Record<string, unknown> = {};
  const unknown: Record<string, unknown> = { id: true };
  const expressions: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(attributes)) {
    if (key.startsWith('//') || ['lifecycle', 'depends_on', 'provider', 'count', 'for_each'].includes(key)) continue;
    if (isInterpolated(v)) {
      unknown[key] = true;
      expressions[key] = { references: referencesOf(JSON.stringify(v)) };
    } else {
      values[key] = v;
      expressions[key] = { constant_value: v };
    }
  }
  return { values, unknown, expressions };
}

/** Resources by type and name (Terraform JSON's `resource` block) as a plan, all at the root or in `module.<module>`. */
export function planOf(resources: Record<string, Record<string, Record<string, unknown>>>, module?: string): any {
  const prefix = module ? `module.${module}.` : '';
  const planned: any[] = [];
  const changes: any[] = [];
  const configured: any[] = [];
  for (const [type, byName] of Object.entries(resources)) {
    for (const [name, attributes] of Object.entries(byName)) {
      const { values, unknown, expressions } = split(attributes);
      const base = { mode: 'managed', type, name, provider_name: `registry.terraform.io/hashicorp/${type.split('_')[0]}` };
      planned.push({ address: `${prefix}${type}.${name}`, ...base, schema_version: 0, values, sensitive_values: {} });
      changes.push({
        address: `${prefix}${type}.${name}`,
        ...(module ? { module_address: `module.${module}` } : {}),
        ...base,
        change: { actions: ['create'], before: null, after: values, after_unknown: unknown, before_sensitive: false, after_sensitive: {} },
      });
      configured.push({ address: `${type}.${name}`, mode: 'managed', type, name, provider_config_key: type.split('_')[0], expressions, schema_version: 0 });
    }
  }
  const rootModule = module
    ? { child_modules: [{ address: `module.${module}`, resources: planned }] }
    : { resources: planned };
  const configModule = module ? { module_calls: { [module]: { source: `./modules/${module}`, module: { resources: configured } } } } : { resources: configured };
  return {
    format_version: '1.2',
    terraform_version: '1.9.8',
    planned_values: { root_module: rootModule },
    resource_changes: changes,
    configuration: { provider_config: {}, root_module: configModule },
    timestamp: '2026-01-01T00:00:00Z',
    applyable: true,
    complete: true,
    errored: false,
  };
}

/** A cdktf app's Terraform JSON (`Testing.synth`, cdk.tf.json) as the plan of its first apply. */
export function planOfTerraformJson(tf: any, module?: string): any {
  return planOf(tf.resource ?? {}, module);
}

/** `stack/logicalId` of a group reference in a template (Ref, GetAtt, an import of another template's export). */
function groupOf(stack: string, ref: any, templates: Record<string, any>): string {
  if (ref.Ref) return `${stack}/${ref.Ref}`;
  if (ref['Fn::GetAtt']) return `${stack}/${ref['Fn::GetAtt'][0]}`;
  const name = ref['Fn::ImportValue'];
  for (const [other, t] of Object.entries(templates)) {
    for (const o of Object.values<any>(t.Outputs ?? {})) if (o.Export?.Name === name) return groupOf(other, o.Value, templates);
  }
  throw new Error(`unresolved group reference ${JSON.stringify(ref)}`);
}

/** The Terraform name of a template's group: `S_SeguraPrimarySecurityGroup1234`. */
export const tfGroupName = (key: string) => key.replace('/', '_');

const isPlaceholder = (r: any) => r.IpProtocol === 'icmp' && r.FromPort === 252 && r.ToPort === 86 && r.CidrIp === '255.255.255.255/32';

/**
 * The groups of some templates as a Terraform plan creating the same rules: each group an
 * `aws_security_group` with its CIDR rules inline, each rule naming a group an
 * `aws_vpc_security_group_ingress_rule` (ingress) or an `aws_security_group_rule` (egress)
 * whose group IDs are references (known only after apply).
 */
export function planOfTemplates(templates: Record<string, any>, module?: string): any {
  const groups: Record<string, Record<string, unknown>> = {};
  const ingress: Record<string, Record<string, unknown>> = {};
  const egress: Record<string, Record<string, unknown>> = {};
  const idOf = (key: string) => `\${aws_security_group.${tfGroupName(key)}.id}`;
  const block = (r: any) => ({
    protocol: String(r.IpProtocol),
    from_port: r.FromPort ?? 0,
    to_port: r.ToPort ?? 0,
    description: r.Description ?? '',
    cidr_blocks: r.CidrIp ? [r.CidrIp] : [],
    ipv6_cidr_blocks: r.CidrIpv6 ? [r.CidrIpv6] : [],
    prefix_list_ids: [r.SourcePrefixListId ?? r.DestinationPrefixListId].filter(x => x !== undefined),
    security_groups: [r.SourceSecurityGroupId ?? r.DestinationSecurityGroupId].filter(x => typeof x === 'string'),
    self: false,
  });
  for (const [stack, t] of Object.entries(templates)) {
    for (const [id, r] of Object.entries<any>(t.Resources ?? {})) {
      const p = r.Properties ?? {};
      if (r.Type === 'AWS::EC2::SecurityGroup') {
        groups[tfGroupName(`${stack}/${id}`)] = {
          name: `${stack}-${id}`,
          description: p.GroupDescription,
          ingress: (p.SecurityGroupIngress ?? []).map(block),
          egress: (p.SecurityGroupEgress ?? []).filter((x: any) => !isPlaceholder(x)).map(block),
        };
      } else if (r.Type === 'AWS::EC2::SecurityGroupIngress') {
        ingress[id] = {
          security_group_id: idOf(groupOf(stack, p.GroupId, templates)),
          ip_protocol: String(p.IpProtocol),
          from_port: p.FromPort,
          to_port: p.ToPort,
          referenced_security_group_id: idOf(groupOf(stack, p.SourceSecurityGroupId, templates)),
          description: p.Description,
        };
      } else if (r.Type === 'AWS::EC2::SecurityGroupEgress') {
        egress[id] = {
          type: 'egress',
          security_group_id: idOf(groupOf(stack, p.GroupId, templates)),
          protocol: String(p.IpProtocol),
          from_port: p.FromPort,
          to_port: p.ToPort,
          source_security_group_id: idOf(groupOf(stack, p.DestinationSecurityGroupId, templates)),
          description: p.Description,
        };
      }
    }
  }
  return planOf({ aws_security_group: groups, aws_vpc_security_group_ingress_rule: ingress, aws_security_group_rule: egress }, module);
}
