import { sendOperation } from '../messageOps';
import { CHAT } from './place';

export const { option, description, execute } = sendOperation(CHAT);
