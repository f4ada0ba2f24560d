import { shareOperation } from '../file/share.operation';

export const { description, execute } = shareOperation('folder');
