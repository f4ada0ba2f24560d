import { respondOperation } from '../respond';

export const { option, description, execute } = respondOperation('replyAll');
