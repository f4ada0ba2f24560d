/** The Channel Message resource: one line per operation (its dropdown entry, fields and code live in the file). */
export * as delete from './delete.operation';
export * as get from './get.operation';
export * as getAll from './getAll.operation';
export * as reply from './reply.operation';
export * as send from './send.operation';
export * as sendAndWait from './sendAndWait.operation';
export * as update from './update.operation';
