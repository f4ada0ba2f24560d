import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { odataRequest } from '../../../shared/transport';
import { DATAVERSE_ADVICE, type DynamicsOperation } from '../common';
import { readRelationship, relationshipFields } from './relationship';

const OPERATION = 'associate';

export const option: INodePropertyOptions = { name: 'Associate', value: OPERATION, action: 'Associate two rows', description: 'Link a row to another through a relationship' };

export const description: INodeProperties[] = relationshipFields(OPERATION);

export const execute: DynamicsOperation['execute'] = async function (itemIndex, run) {
	const target = await readRelationship.call(this, itemIndex, run);
	// A single-valued navigation (many-to-one: this row's lookup) is set with PUT; a collection gets a POST.
	const single = target.relationship?.kind === 'ManyToOne';
	await odataRequest(this, run.conn, {
		method: single ? 'PUT' : 'POST',
		url: `${target.rowUrl}/${target.navigation}/$ref`,
		body: { '@odata.id': target.relatedUrl },
		// Linking the same two rows again changes nothing.
		idempotent: true,
		itemIndex,
		operation: `associate a row of ${target.table} through ${target.navigation}`,
		advice: DATAVERSE_ADVICE,
	});
	return { associated: true, relationship: target.navigation, id: target.rowUrl.slice(target.rowUrl.lastIndexOf('(') + 1, -1), relatedId: target.relatedId };
};
