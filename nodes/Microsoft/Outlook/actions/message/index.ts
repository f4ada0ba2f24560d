/** The Message resource: one line per operation (its dropdown entry, fields and code live in the file). */
export * as copy from './copy.operation';
export * as delete from './delete.operation';
export * as forward from './forward.operation';
export * as get from './get.operation';
export * as getAll from './getAll.operation';
export * as move from './move.operation';
export * as reply from './reply.operation';
export * as replyAll from './replyAll.operation';
export * as send from './send.operation';
export * as sendAndWait from './sendAndWait.operation';
export * as update from './update.operation';
