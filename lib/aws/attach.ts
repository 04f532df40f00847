/** Putting all of a role's groups on an instance, a launch template or an auto-scaling group. */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { describeValue, SeguraValidationError } from '../core/errors';

/**
 * Add `groups` to `target` (anything with `connections`: an ec2.Instance, an
 * ec2.LaunchTemplate created with a securityGroup, an autoscaling.AutoScalingGroup),
 * skipping those it already wears.
 */
export function attachGroups(groups: readonly ec2.ISecurityGroup[], target: ec2.IConnectable): void {
  if (!target || typeof target !== 'object' || !('connections' in target)) {
    throw new SeguraValidationError('target', `expected an ec2.IConnectable (an Instance, a LaunchTemplate or an AutoScalingGroup), got ${describeValue(target)}`);
  }
  let worn: ec2.ISecurityGroup[];
  try {
    worn = target.connections.securityGroups;
  } catch {
    throw new SeguraValidationError('target', 'takes no security groups: create the LaunchTemplate with a securityGroup (e.g. the first group of the role), then attach the rest');
  }
  const add = (target as unknown as { addSecurityGroup?: (g: ec2.ISecurityGroup) => void }).addSecurityGroup;
  for (const group of groups) {
    if (worn.includes(group)) continue;
    if (typeof add === 'function') add.call(target, group);
    else target.connections.addSecurityGroup(group);
  }
}
