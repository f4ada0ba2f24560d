import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { chatLocator, chatPath, showFor, type TeamsOperation } from '../common';

export const option: INodePropertyOptions = { name: 'Get', value: 'get', action: 'Get a chat' };

export const description: INodeProperties[] = [chatLocator(showFor('chat', 'get'))];

export const execute: TeamsOperation['execute'] = async function (itemIndex, run) {
	return (await graphRequest(this, run.conn, { url: chatPath.call(this, itemIndex), qs: { $expand: 'members' }, itemIndex, operation: 'read the chat' })).body as IDataObject;
};
