/** The Meeting resource: one line per operation (its dropdown entry, fields and code live in the file). */
export * as create from './create.operation';
export * as delete from './delete.operation';
export * as get from './get.operation';
export * as update from './update.operation';
