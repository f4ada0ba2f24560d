import { shareOperation } from '../driveItem/share';

export const { option, description, execute } = shareOperation('folder');
