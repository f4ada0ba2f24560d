import { deleteOperation } from '../messageOps';
import { CHAT } from './place';

export const { option, description, execute } = deleteOperation(CHAT);
