/**
 * Audits of what is reviewed before deploying: CloudFormation templates and Terraform
 * plans, read into the model and judged by the same matchers and comparison as the
 * clouds' exports (run.ts).
 */
import { readTemplates, TemplateInput } from './cloudformation';
import { AuditNames, auditAwsModel, auditAzureModel, AwsPlacementInput, AzurePlacementInput } from './run';
import { ParsedText } from './template-text';
import { readPlanAws } from './terraform-aws';
import { readPlanAzure } from './terraform-azure';
import { PlanConfiguration, plannedResources, planRoot } from './terraform-plan';
import { AuditReport } from './types';

/** A plan as given: the file (as messages and locations name it) and its parsed text. */
export interface PlanInput extends ParsedText {
  readonly file: string;
}

/** Audit the groups of CloudFormation templates. */
export function auditTemplates(input: AwsPlacementInput, names: AuditNames, templates: readonly TemplateInput[]): AuditReport {
  return auditAwsModel(input, names, () => readTemplates(templates));
}

/** The plan's resources and configuration. */
function planOf(plan: PlanInput, names: AuditNames) {
  const root = planRoot(names.export, plan.value);
  const resources = plannedResources(names.export, root, plan);
  return { resources, config: new PlanConfiguration(root, resources) };
}

/** Audit the AWS security groups of a Terraform plan; a placement may name a planned group by its address or its known `sg-` ID. */
export function auditPlanAws(input: AwsPlacementInput, names: AuditNames, plan: PlanInput): AuditReport {
  const { resources, config } = planOf(plan, names);
  const read = readPlanAws(config, resources);
  const groups = typeof input.groups === 'object' && input.groups !== null
    ? Object.fromEntries(Object.entries(input.groups)
      .map(([role, ids]) => [role, Array.isArray(ids) ? ids.map(id => read.addressOfId.get(id) ?? id) : ids]))
    : input.groups;
  return auditAwsModel({ ...input, groups }, names, () => read.groups);
}

/** Audit the Azure NSGs of a Terraform plan. */
export function auditPlanAzure(input: AzurePlacementInput, names: AuditNames, plan: PlanInput): AuditReport {
  const { resources, config } = planOf(plan, names);
  return auditAzureModel(input, names, () => readPlanAzure(config, resources));
}
