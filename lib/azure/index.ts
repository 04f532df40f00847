// First: a clear error when cdktf or the Azure provider is not installed.
import './require-peers';
// The core's types that this backend's props and members name (`clusterTraffic:
// ClusterTraffic.ALL_INSTANCES`, `cluster.flows`), exported here too, so that an app
// imports one entry. `import` then `export`, not `export ... from`: jsii keeps one
// definition of each (in the core), and these are aliases of it.
import { ClusterTraffic, Flow, Protocol, Role, RuleOptions, Section } from '../core';
export * from './peer';
export * from './peer-options';
export * from './options';
export * from './cluster';
export * from './gateway';
export * from './domum';
export * from './arbitrator';
export { ClusterTraffic, Protocol, Role, Section };
export type { Flow, RuleOptions };
