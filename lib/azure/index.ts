// First: a clear error when cdktf or the Azure provider is not installed.
import './require-peers';
export * from './peer';
export * from './peer-options';
export * from './cluster';
export * from './gateway';
export * from './domum';
export * from './arbitrator';
