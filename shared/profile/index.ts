export * from './fields';
export * from './schema';
export * from './rules';
export * from './value-policy';
export * from './secrets';
export * from './migrations';
export * from './load-balancer';
