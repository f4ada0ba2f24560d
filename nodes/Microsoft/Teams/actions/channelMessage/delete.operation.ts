import { deleteOperation } from '../messageOps';
import { CHANNEL } from './place';

export const { option, description, execute } = deleteOperation(CHANNEL);
