import { searchOperation } from '../file/search.operation';

export const { description, execute } = searchOperation('folder');
