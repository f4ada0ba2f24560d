import { moveOperation } from '../driveItem/move';

export const { option, description, execute } = moveOperation('folder');
