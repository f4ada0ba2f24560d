import { searchOperation } from '../driveItem/search';

export const { option, description, execute } = searchOperation('folder');
