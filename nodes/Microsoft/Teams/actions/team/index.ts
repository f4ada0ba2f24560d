/** The Team resource: one line per operation (its dropdown entry, fields and code live in the file). */
export * as archive from './archive.operation';
export * as create from './create.operation';
export * as get from './get.operation';
export * as getAll from './getAll.operation';
export * as unarchive from './unarchive.operation';
export * as update from './update.operation';
