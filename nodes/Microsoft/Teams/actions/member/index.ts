/** The Member resource: one line per operation (its dropdown entry, fields and code live in the file). */
export * as add from './add.operation';
export * as getAll from './getAll.operation';
export * as remove from './remove.operation';
