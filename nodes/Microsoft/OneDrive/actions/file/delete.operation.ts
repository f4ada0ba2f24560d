import { deleteOperation } from '../driveItem/delete';

export const { option, description, execute } = deleteOperation('file');
