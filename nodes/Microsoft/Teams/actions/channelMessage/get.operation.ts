import { getOperation } from '../messageOps';
import { CHANNEL } from './place';

export const { option, description, execute } = getOperation(CHANNEL);
