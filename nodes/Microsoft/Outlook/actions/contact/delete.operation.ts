import { CONTACT } from '../contactCommon';
import { deleteOperation } from '../mailboxItem';

export const { option, description, execute } = deleteOperation(CONTACT);
