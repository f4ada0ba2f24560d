import { updateOperation } from '../messageOps';
import { CHAT } from './place';

export const { option, description, execute } = updateOperation(CHAT);
