import { renameOperation } from '../driveItem/rename';

export const { option, description, execute } = renameOperation('file');
