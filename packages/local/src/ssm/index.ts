export { LocalSsm } from './local-ssm.js';
export type { InitialParameter, LocalSsmOptions, ParameterChange, ParameterType } from './local-ssm.js';
