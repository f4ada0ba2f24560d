import { replyOperation } from '../messageOps';
import { CHANNEL } from './place';

export const { option, description, execute } = replyOperation(CHANNEL);
