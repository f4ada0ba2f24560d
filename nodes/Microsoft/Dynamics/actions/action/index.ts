export * as execute from './execute.operation';
