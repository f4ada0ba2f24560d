import { CONTACT } from '../contactCommon';
import { getOperation } from '../mailboxItem';

export const { option, description, execute } = getOperation(CONTACT);
