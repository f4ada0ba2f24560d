import { sendOperation } from '../messageOps';
import { CHANNEL } from './place';

export const { option, description, execute } = sendOperation(CHANNEL);
