/**
 * Where the Azure resources go and what they are called: resource group, location,
 * name prefix, tags, the deny-all switch. Names are unique per construct by default
 * (derived from its path in its stack) and checked unique per resource group in the
 * App. Tokens (deploy-time values) are not checked early.
 */
import { DefaultTokenResolver, StringConcat, TerraformStack, Tokenization } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import type { AzurePlacementOptions } from './options';
import { isUnresolved } from './peers';
import { checkBoolean, checkString, checkStringMap } from '../core/checks';
import { describeValue, didYouMean, SeguraValidationError } from '../core/errors';

/**
 * Azure's regions (public, US Government and China clouds), by the name
 * `az account list-locations` gives; display names such as "Brazil South" are read
 * as the same (azurerm does too).
 */
const AZURE_LOCATIONS: readonly string[] = Object.freeze([
  'australiacentral', 'australiacentral2', 'australiaeast', 'australiasoutheast', 'austriaeast', 'belgiumcentral', 'brazilsouth',
  'brazilsoutheast', 'canadacentral', 'canadaeast', 'centralindia', 'centralus', 'chilecentral', 'denmarkeast', 'eastasia', 'eastus',
  'eastus2', 'francecentral', 'francesouth', 'germanynorth', 'germanywestcentral', 'indonesiacentral', 'israelcentral', 'italynorth',
  'japaneast', 'japanwest', 'jioindiacentral', 'jioindiawest', 'koreacentral', 'koreasouth', 'malaysiawest', 'mexicocentral',
  'newzealandnorth', 'northcentralus', 'northeurope', 'norwayeast', 'norwaywest', 'polandcentral', 'qatarcentral', 'southafricanorth',
  'southafricawest', 'southcentralus', 'southeastasia', 'southindia', 'spaincentral', 'swedencentral', 'swedensouth', 'switzerlandnorth',
  'switzerlandwest', 'taiwannorth', 'taiwannorthwest', 'uaecentral', 'uaenorth', 'uksouth', 'ukwest', 'westcentralus', 'westeurope',
  'westindia', 'westus', 'westus2', 'westus3', 'centraluseuap', 'eastus2euap',
  'usgovarizona', 'usgovtexas', 'usgovvirginia', 'usdodcentral', 'usdodeast',
  'chinaeast', 'chinaeast2', 'chinaeast3', 'chinanorth', 'chinanorth2', 'chinanorth3',
]);

/** A location as azurerm compares them: lower case, no spaces. */
export const normalizeLocation = (location: string) => location.toLowerCase().replace(/\s+/g, '');

/** Resource group names: 1-90 letters, digits, underscores, hyphens, periods and parentheses, not ending in a period. */
const RESOURCE_GROUP = /^[\p{L}\p{N}_\-.()]{1,90}$/u;
const NAME_PREFIX = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,59}$/;

/** The records among the placement options (for the one copy of the props). */
export const PLACEMENT_RECORDS: Readonly<Record<string, string>> = Object.freeze({ tags: 'an object of strings' });

/** Check where the resources go, and the naming and deny-all options. */
export function checkPlacement(props: AzurePlacementOptions): void {
  for (const key of ['resourceGroupName', 'location'] as const) {
    const v: unknown = props[key];
    if (typeof v !== 'string' || (!isUnresolved(v) && v.trim() === '')) {
      throw new SeguraValidationError(key, `is required (a non-empty string), got ${describeValue(v)}`);
    }
  }
  const { resourceGroupName: group, location } = props;
  if (!isUnresolved(group) && (!RESOURCE_GROUP.test(group) || group.endsWith('.'))) {
    throw new SeguraValidationError('resourceGroupName', `"${group}" is not a resource group name; expected 1-90 letters, digits, `
      + '\'_\', \'-\', \'.\' or parentheses, not ending in \'.\'');
  }
  if (!isUnresolved(location) && !AZURE_LOCATIONS.includes(normalizeLocation(location))) {
    throw new SeguraValidationError('location', `"${location}" is not an Azure region.${didYouMean(normalizeLocation(location), AZURE_LOCATIONS)} `
      + 'Regions: `az account list-locations -o table` (a region newer than this library: pass it as a token)');
  }
  const prefix = checkString('namePrefix', props.namePrefix);
  if (prefix !== undefined && !isUnresolved(prefix) && !NAME_PREFIX.test(prefix)) {
    throw new SeguraValidationError('namePrefix', `"${prefix}" is not a usable name prefix; expected 1-60 letters, digits, '-', '_' or '.', starting with a letter or digit`);
  }
  checkBoolean('keepAzureDefaultRules', props.keepAzureDefaultRules);
  checkStringMap('tags', props.tags);
}

/** A name prefix from a construct's path in its stack: `Segura` -> `segura`, `Prod/Cluster` -> `prod-cluster`. */
export function pathPrefix(construct: Construct): string {
  const stack = TerraformStack.of(construct);
  const relative = construct.node.path.slice(stack.node.path.length).replace(/^\//, '');
  const name = relative.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9_]+$/g, '') || 'segura';
  if (name.length <= 60) return name;
  let hash = 0;
  for (const c of relative) hash = (hash * 31 + c.charCodeAt(0)) >>> 0; // eslint-disable-line no-bitwise
  return `${name.slice(0, 51)}-${hash.toString(16).padStart(8, '0')}`;
}

/** The names each App's constructs use, per resource group, to refuse two of the same. */
const NAMES = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Record the names `construct` gives its resources in `resourceGroupName`; a name
 * another construct of the App uses in the same group is an error naming namePrefix.
 */
export function claimNames(construct: Construct, resourceGroupName: string, names: readonly string[]): void {
  const root = construct.node.root;
  const used = NAMES.get(root) ?? new Map<string, string>();
  NAMES.set(root, used);
  // A deploy-time group (a ResourceGroup's name) compared by what it resolves to: `${azurerm_resource_group.X.name}`.
  const group = isUnresolved(resourceGroupName)
    ? String(Tokenization.resolve(resourceGroupName, {
      scope: TerraformStack.of(construct), preparing: false, resolver: new DefaultTokenResolver(new StringConcat()),
    }))
    : resourceGroupName.toLowerCase();
  for (const name of names) {
    if (isUnresolved(name)) continue;
    const key = `${group}|${name.toLowerCase()}`;
    const other = used.get(key);
    if (other !== undefined) {
      throw new SeguraValidationError('namePrefix', `the name "${name}" is already used in this resource group by ${other}; `
        + `give ${construct.node.path} (or ${other}) a namePrefix of its own`);
    }
    used.set(key, construct.node.path);
  }
}
