import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { channelLocator, channelPath, showFor, teamLocator, type TeamsOperation } from '../common';

export const option: INodePropertyOptions = { name: 'Get', value: 'get', action: 'Get a channel' };

export const description: INodeProperties[] = [teamLocator(showFor('channel', 'get')), channelLocator(showFor('channel', 'get'))];

export const execute: TeamsOperation['execute'] = async function (itemIndex, run) {
	return (await graphRequest(this, run.conn, { url: channelPath.call(this, itemIndex), itemIndex, operation: 'read the channel' })).body as IDataObject;
};
