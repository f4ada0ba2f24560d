import { CALENDAR } from '../calendarCommon';
import { getOperation } from '../mailboxItem';

export const { option, description, execute } = getOperation(CALENDAR);
