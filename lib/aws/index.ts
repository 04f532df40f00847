export * from './cluster';
export * from './domum';
