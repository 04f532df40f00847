// The root entry: the cloud-neutral core, and each backend as a namespace (for jsii
// languages; it loads both backends). TypeScript users import 'segura-constructs/aws'
// or 'segura-constructs/azure' instead, so that one backend never loads the other.
export * from './core';
export * as aws from './aws';
export * as azure from './azure';
export * as audit from './audit';
