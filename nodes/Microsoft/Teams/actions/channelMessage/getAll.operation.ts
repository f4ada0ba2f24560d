import { getAllOperation } from '../messageOps';
import { CHANNEL } from './place';

export const { option, description, execute } = getAllOperation(CHANNEL);
