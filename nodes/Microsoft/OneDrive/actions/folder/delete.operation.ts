import { deleteOperation } from '../file/delete.operation';

export const { description, execute } = deleteOperation('folder');
