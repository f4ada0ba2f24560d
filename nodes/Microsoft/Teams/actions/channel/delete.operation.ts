import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { channelId, channelLocator, channelPath, showFor, teamLocator, type TeamsOperation } from '../common';

export const option: INodePropertyOptions = { name: 'Delete', value: 'delete', action: 'Delete a channel' };

export const description: INodeProperties[] = [teamLocator(showFor('channel', 'delete')), channelLocator(showFor('channel', 'delete'))];

export const execute: TeamsOperation['execute'] = async function (itemIndex, run) {
	await graphRequest(this, run.conn, { method: 'DELETE', url: channelPath.call(this, itemIndex), itemIndex, operation: 'delete the channel' });
	return { deleted: true, id: channelId.call(this, itemIndex) };
};
