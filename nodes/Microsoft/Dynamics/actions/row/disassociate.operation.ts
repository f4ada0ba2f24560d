import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { odataRequest } from '../../../shared/transport';
import { DATAVERSE_ADVICE, type DynamicsOperation } from '../common';
import { readRelationship, relationshipFields } from './relationship';

const OPERATION = 'disassociate';

export const option: INodePropertyOptions = { name: 'Disassociate', value: OPERATION, action: 'Disassociate two rows', description: 'Remove the link between two rows' };

export const description: INodeProperties[] = relationshipFields(OPERATION);

export const execute: DynamicsOperation['execute'] = async function (itemIndex, run) {
	const target = await readRelationship.call(this, itemIndex, run);
	const single = target.relationship?.kind === 'ManyToOne';
	await odataRequest(this, run.conn, {
		method: 'DELETE',
		url: single ? `${target.rowUrl}/${target.navigation}/$ref` : `${target.rowUrl}/${target.navigation}(${target.relatedId})/$ref`,
		itemIndex,
		operation: `disassociate a row of ${target.table} through ${target.navigation}`,
		advice: DATAVERSE_ADVICE,
	});
	return { disassociated: true, relationship: target.navigation, id: target.rowUrl.slice(target.rowUrl.lastIndexOf('(') + 1, -1), relatedId: target.relatedId };
};
