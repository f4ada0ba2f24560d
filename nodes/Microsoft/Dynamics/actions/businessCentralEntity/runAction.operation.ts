/**
 * A bound action on one record (`POST {set}({id})/Microsoft.NAV.{action}`, e.g. post a sales invoice, ship and invoice a
 * sales order): the action is checked against the ones `$metadata` binds to the entity set's type before anything is
 * sent, and it is sent once — a failure that leaves it unknown whether Business Central ran it (504, a dropped
 * connection) is reported, never repeated (the transport repeats a POST only on answers that prove nothing was done).
 */
import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { encodePathSegment, InputValueError } from '../../../shared/input';
import { locatorValue } from '../../../shared/node/parameters';
import { resourceLocator } from '../../../shared/node/rlc';
import { odataRequest } from '../../../shared/transport';
import type { DynamicsOperation } from '../common';
import { BC_ADVICE, bcRecordUrl, bcTarget, readRecordId } from './bc';
import { recordIdField, show, targetFields } from './fields';
import { actionsOf } from './metadata';

const OPERATION = 'runAction';
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const option: INodePropertyOptions = { name: 'Run Action', value: OPERATION, action: 'Run a Business Central bound action', description: 'Run an action of a record, e.g. post a sales invoice or ship and invoice a sales order' };

export const description: INodeProperties[] = [
	...targetFields(OPERATION),
	recordIdField(OPERATION),
	resourceLocator({
		name: 'bcAction',
		displayName: 'Action',
		description: 'An action $metadata binds to the entity set, e.g. post (salesInvoices), shipAndInvoice (salesOrders), makeInvoice (salesQuotes). It runs once: it is not repeated when the outcome is unknown.',
		displayOptions: show(OPERATION),
		list: { searchListMethod: 'searchBusinessCentralActions', placeholder: 'Select an action...' },
		id: { displayName: 'By Name', placeholder: 'e.g. post', regex: '^(Microsoft\\.NAV\\.)?[A-Za-z_][A-Za-z0-9_]*$', errorMessage: '"Action" must be an action name, e.g. post' },
		dependsOn: ['bcEnvironment.value', 'bcApi', 'bcEntitySet.value'],
	}),
];

export const execute: DynamicsOperation['execute'] = async function (itemIndex, run) {
	const id = readRecordId(this, itemIndex);
	const given = locatorValue(this, 'bcAction', itemIndex).trim().replace(/^Microsoft\.NAV\./, '');
	if (!NAME.test(given)) throw new InputValueError('Action', given ? `"${given}" is not an action name` : 'is empty', 'Pick it from the list or enter its name, e.g. post; nothing was sent.');
	const target = await bcTarget(this, run.conn, itemIndex);
	const url = bcRecordUrl(target, id);
	const actions = actionsOf(target.metadata, target.entitySet);
	if (!actions.includes(given)) {
		const what = `"${given}" is not an action of ${target.entitySet}`;
		const fix = actions.length ? `Use one of: ${actions.join(', ')}; nothing was sent.` : `${target.entitySet} has no bound actions in this API; nothing was sent.`;
		throw new InputValueError('Action', what, fix);
	}
	const response = await odataRequest<IDataObject | undefined>(this, run.conn, {
		method: 'POST',
		url: `${url}/${encodePathSegment(`${target.metadata.namespace}.${given}`, 'Action')}`,
		idempotent: false,
		operation: `run ${given} on a record of ${target.entitySet}`,
		advice: BC_ADVICE,
		itemIndex,
	});
	const body = response.body && typeof response.body === 'object' && !Buffer.isBuffer(response.body) ? response.body : {};
	return Object.keys(body).length ? body : { action: given, entitySet: target.entitySet, id, done: true };
};
