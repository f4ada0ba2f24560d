export * as get from './get.operation';
export * as getAll from './getAll.operation';
