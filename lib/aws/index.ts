export * from './peer-options';
export * from './cluster';
export * from './gateway';
export * from './domum';
export * from './arbitrator';
