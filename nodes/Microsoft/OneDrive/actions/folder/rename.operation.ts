import { renameOperation } from '../file/rename.operation';

export const { description, execute } = renameOperation('folder');
