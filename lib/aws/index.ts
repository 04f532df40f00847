// First: a clear error when aws-cdk-lib is not installed.
import './require-peers';
export * from './peer-options';
export * from './cluster';
export * from './gateway';
export * from './domum';
export * from './arbitrator';
export * from './validation';
