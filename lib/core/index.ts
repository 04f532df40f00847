export { Role, Protocol, Section, MatrixRow, FirewallMatrix } from './matrix';
export { PlanOptions, Flow, FirewallPlan } from './plan';
export { PortRange } from './ports';
export { RuleOptions } from './config';
