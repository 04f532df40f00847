/**
 * Checks of where the Azure resources go: resource group, location and name
 * prefix. Tokens (deploy-time values) are not checked early.
 */
import type { AzurePlacementOptions } from './cluster';
import { isUnresolved } from './render';
import { SeguraValidationError } from '../core/errors';

/** A name for Azure resources: letters, digits, '-', '_', '.', at most 80. */
function checkNamePrefix(property: string, prefix: string): void {
  if (isUnresolved(prefix)) return;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,59}$/.test(prefix)) {
    throw new SeguraValidationError(property, `"${prefix}" is not a usable name prefix; expected 1-60 letters, digits, '-', '_' or '.', starting with a letter or digit`);
  }
}

/** Check resource group and location. */
export function checkPlacement(props: AzurePlacementOptions): void {
  for (const key of ['resourceGroupName', 'location'] as const) {
    const v = props[key];
    if (typeof v !== 'string' || (!isUnresolved(v) && v.trim() === '')) {
      throw new SeguraValidationError(key, `is required (a non-empty string), got ${JSON.stringify(v)}`);
    }
  }
  if (props.namePrefix !== undefined) checkNamePrefix('namePrefix', props.namePrefix);
}
