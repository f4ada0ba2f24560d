import { archiveOperation } from './archive';

export const { option, description, execute } = archiveOperation('archive');
