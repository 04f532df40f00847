export { Role } from './roles';
export { Protocol, Section, FirewallMatrix } from './matrix';
export type { MatrixRow } from './matrix';
export { ClusterTraffic, FirewallPlan } from './plan';
export type { PlanOptions, Flow } from './plan';
export type { RuleOptions } from './config';
