import { sendAndWaitOperation } from '../messageOps';
import { CHANNEL } from './place';

export const { option, description, execute } = sendAndWaitOperation(CHANNEL);
