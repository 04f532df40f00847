/**
 * Where the synthesized instances sit, read from the output as the clouds read it:
 * on AWS each instance's subnet (followed across stacks through exports) and that
 * subnet's `AvailabilityZone`; on Azure each virtual machine's `zone`. Used by the
 * examples' and the README's tests (in npm test and in the scratch apps).
 */

/** `stack/logicalId` → the resource, for every stack. */
type Templates = Record<string, any>;

/** An AWS zone as written: `az[i]` for `Fn::Select [i, Fn::GetAZs]` (an environment-agnostic stack), or the zone's name. */
function zoneName(az: any): string {
  if (typeof az === 'string') return az;
  const select = az?.['Fn::Select'];
  if (Array.isArray(select) && typeof select[0] === 'number' && select[1]?.['Fn::GetAZs'] !== undefined) return `az[${select[0]}]`;
  throw new Error(`an AvailabilityZone this reader does not know: ${JSON.stringify(az)}`);
}

/**
 * The `stack/logicalId` a reference points at: `Ref`, `Fn::ImportValue` of another
 * stack's export (a "strong" reference), or `Fn::GetStackOutput` (a "weak" one).
 */
function target(stack: string, ref: any, templates: Templates): string {
  if (ref?.Ref) return `${stack}/${ref.Ref}`;
  const output = ref?.['Fn::GetStackOutput'];
  if (output && templates[output.StackName]?.Outputs?.[output.OutputName]) {
    return target(output.StackName, templates[output.StackName].Outputs[output.OutputName].Value, templates);
  }
  if (ref?.['Fn::ImportValue']) {
    for (const [other, template] of Object.entries(templates)) {
      for (const exported of Object.values<any>(template.Outputs ?? {})) {
        if (exported.Export?.Name === ref['Fn::ImportValue']) return target(other, exported.Value, templates);
      }
    }
  }
  throw new Error(`a subnet reference this reader does not follow: ${JSON.stringify(ref)}`);
}

/**
 * Every `AWS::EC2::Instance` of the templates (keyed by its construct path, without
 * `/Resource`: the `aws:cdk:path` metadata the CDK CLI asks for), and the Availability
 * Zone of its subnet.
 */
export function awsInstanceZones(templates: Templates): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [stack, template] of Object.entries(templates)) {
    for (const [logicalId, r] of Object.entries<any>(template.Resources ?? {})) {
      if (r.Type !== 'AWS::EC2::Instance') continue;
      const subnet = target(stack, r.Properties.SubnetId, templates);
      const [subnetStack, subnetId] = subnet.split('/');
      const resource = templates[subnetStack].Resources[subnetId];
      if (resource?.Type !== 'AWS::EC2::Subnet') throw new Error(`${stack}/${logicalId}: ${subnet} is not a subnet`);
      const where = r.Metadata?.['aws:cdk:path'];
      if (typeof where !== 'string') throw new Error(`${stack}/${logicalId}: no aws:cdk:path metadata (synthesize with the context aws:cdk:enable-path-metadata, as the CDK CLI does)`);
      out[where.replace(/\/Resource$/, '')] = zoneName(resource.Properties.AvailabilityZone);
    }
  }
  return out;
}

/** Every Azure virtual machine of a Terraform JSON stack (Linux or Windows), by its `name`, and its `zone` (`none` when regional). */
export function azureVmZones(tf: any): Record<string, string> {
  const out: Record<string, string> = {};
  for (const type of ['azurerm_linux_virtual_machine', 'azurerm_windows_virtual_machine', 'azurerm_virtual_machine']) {
    for (const vm of Object.values<any>(tf.resource?.[type] ?? {})) out[vm.name] = vm.zone ?? vm.zones?.join(',') ?? 'none';
  }
  return out;
}
