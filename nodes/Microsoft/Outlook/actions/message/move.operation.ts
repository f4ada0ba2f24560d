import { placeMessageOperation } from '../placeMessage';

export const { option, description, execute } = placeMessageOperation('move');
