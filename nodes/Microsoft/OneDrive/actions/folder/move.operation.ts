import { moveOperation } from '../file/move.operation';

export const { description, execute } = moveOperation('folder');
