import { sendAndWaitOperation } from '../messageOps';
import { CHAT } from './place';

export const { option, description, execute } = sendAndWaitOperation(CHAT);
