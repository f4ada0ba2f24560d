import { EVENT } from '../eventCommon';
import { deleteOperation } from '../mailboxItem';

export const { option, description, execute } = deleteOperation(EVENT, 'Delete an event (when you organise it, attendees get a cancellation)');
