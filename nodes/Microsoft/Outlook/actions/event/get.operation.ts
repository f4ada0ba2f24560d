import { EVENT } from '../eventCommon';
import { getOperation } from '../mailboxItem';

export const { option, description, execute } = getOperation(EVENT);
