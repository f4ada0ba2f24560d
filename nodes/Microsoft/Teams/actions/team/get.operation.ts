import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { showFor, teamLocator, teamPath, type TeamsOperation } from '../common';

export const option: INodePropertyOptions = { name: 'Get', value: 'get', action: 'Get a team' };

export const description: INodeProperties[] = [teamLocator(showFor('team', 'get'))];

export const execute: TeamsOperation['execute'] = async function (itemIndex, run) {
	return (await graphRequest(this, run.conn, { url: teamPath.call(this, itemIndex), itemIndex, operation: 'read the team' })).body as IDataObject;
};
