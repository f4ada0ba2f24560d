import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { draftLocator, messageOutput, messagePath, readMessageOutput, showFor, type OutlookOperation } from '../common';

export const option: INodePropertyOptions = { name: 'Get', value: 'get', action: 'Get a draft' };

export const description: INodeProperties[] = [draftLocator(showFor('draft', 'get')), ...messageOutput('draft', 'get')];

export const execute: OutlookOperation['execute'] = async function (itemIndex, run) {
	const url = messagePath.call(this, run, itemIndex, 'draftId', 'Draft');
	const output = readMessageOutput.call(this, itemIndex);
	const response = await graphRequest(this, run.conn, { url, qs: { $select: output.select }, itemIndex, operation: 'read the draft' });
	return output.shape(response.body as IDataObject);
};
