import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { resourceProperty } from '../shared/node/descriptions';
import { operationDropdown, operationFields, route, type RouterSpec } from '../shared/node/router';
import type { RequestRun } from './actions/common';
import * as request from './actions/request';
import { requestAuthentication, requestCredentials } from './descriptions/authentication';

const ROUTES: RouterSpec<RequestRun> = {
	resources: { request },
	prepare(_itemIndex, conn) {
		return { conn };
	},
};

export class Microsoft365Request implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Microsoft 365 API Request',
		name: 'microsoft365Request',
		icon: { light: 'file:microsoft365Request.svg', dark: 'file:microsoft365Request.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "batch" ? "batch: " + $parameter["url"] : $parameter["method"] + " " + $parameter["url"] }}',
		description:
			'Call any Microsoft Graph, Dataverse, Dynamics 365 or other Microsoft API endpoint with the Microsoft 365 sign-in, paging, $batch, retry and host allow-list',
		// This package's README section (n8n's "Docs" link).
		documentationUrl: 'https://github.com/n8n-nodes-microsoft-365/n8n-nodes-microsoft-365#microsoft-365-api-request',
		defaults: { name: 'Microsoft 365 API Request' },
		inputs: ['main'],
		outputs: ['main'],
		usableAsTool: true,
		credentials: requestCredentials,
		properties: [
			requestAuthentication,
			resourceProperty([{ name: 'Request', value: 'request' }], 'request'),
			operationDropdown('request', request, 'send'),
			...operationFields(request),
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this, ROUTES);
	}
}
