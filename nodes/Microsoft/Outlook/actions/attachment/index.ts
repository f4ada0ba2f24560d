/** The Attachment resource: one line per operation (its dropdown entry, fields and code live in the file). */
export * as add from './add.operation';
export * as download from './download.operation';
export * as get from './get.operation';
export * as getAll from './getAll.operation';
