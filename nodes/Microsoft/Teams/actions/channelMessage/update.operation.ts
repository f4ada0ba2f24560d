import { updateOperation } from '../messageOps';
import { CHANNEL } from './place';

export const { option, description, execute } = updateOperation(CHANNEL);
