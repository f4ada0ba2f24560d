import { CALENDAR } from '../calendarCommon';
import { deleteOperation } from '../mailboxItem';

export const { option, description, execute } = deleteOperation(CALENDAR, 'Delete a calendar and its events (the default calendar cannot be deleted)', {
	errordeletedistinguishedfolder: 'This is the mailbox\'s default calendar, which Outlook never deletes: delete its events instead.',
});
