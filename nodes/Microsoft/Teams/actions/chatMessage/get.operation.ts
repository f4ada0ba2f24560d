import { getOperation } from '../messageOps';
import { CHAT } from './place';

export const { option, description, execute } = getOperation(CHAT);
