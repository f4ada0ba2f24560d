import { getAllOperation } from '../messageOps';
import { CHAT } from './place';

export const { option, description, execute } = getAllOperation(CHAT);
