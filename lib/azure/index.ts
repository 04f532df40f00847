export * from './peer';
export * from './cluster';
export * from './domum';
