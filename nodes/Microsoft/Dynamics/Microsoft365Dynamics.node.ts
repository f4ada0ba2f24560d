import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { resourceProperty } from '../shared/node/descriptions';
import { operationDropdown, operationFields, route, type RouterSpec } from '../shared/node/router';
import * as action from './actions/action';
import * as businessCentralEntity from './actions/businessCentralEntity';
import { searchBusinessCentralActions, searchBusinessCentralCompanies, searchBusinessCentralEntitySets, searchBusinessCentralEnvironments } from './actions/businessCentralEntity/search';
import * as financeOperationsEntity from './actions/financeOperationsEntity';
import { searchFinanceOperationsEntities } from './actions/financeOperationsEntity/search';
import { getFinanceOperationsFields } from './actions/financeOperationsEntity/mapper';
import { prepareRun, type DynamicsRun } from './actions/common';
import * as row from './actions/row';
import * as table from './actions/table';
import { dynamicsAuthentication, dynamicsCredentials } from './descriptions/authentication';
import { apiProperty } from './descriptions/fields';
import { getColumns } from './methods/resourceMapping';
import { searchActions, searchRelationships, searchTables } from './methods/listSearch';

/** Resources by API: Finance & Operations and Business Central add their own resource folders here. */
const ROUTES: RouterSpec<DynamicsRun> = {
	resources: { row, table, action, financeOperationsEntity, businessCentralEntity },
	prepare: prepareRun,
};

export class Microsoft365Dynamics implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Microsoft 365 Dynamics 365',
		name: 'microsoft365Dynamics',
		icon: { light: 'file:microsoft365Dynamics.svg', dark: 'file:microsoft365Dynamics.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Rows of any Dataverse table (Dynamics 365 Sales, Customer Service, Power Apps): create, get, list with FetchXML, update, upsert by key, delete, relationships, actions, bulk writes through $batch; Finance & Operations data entities and Business Central API entities',
		// This package's README section (n8n's "Docs" link).
		documentationUrl: 'https://github.com/n8n-nodes-microsoft-365/n8n-nodes-microsoft-365#microsoft-365-dynamics-365',
		defaults: { name: 'Dynamics 365' },
		inputs: ['main'],
		outputs: ['main'],
		usableAsTool: true,
		credentials: dynamicsCredentials,
		properties: [
			dynamicsAuthentication,
			apiProperty,
			{
				...resourceProperty(
					[
						{ name: 'Row', value: 'row', description: 'Rows of a table' },
						{ name: 'Table', value: 'table', description: 'Tables and their columns, keys and relationships' },
						{ name: 'Action', value: 'action', description: 'Dataverse actions and functions' },
					],
					'row',
				),
				displayOptions: { show: { api: ['dataverse'] } },
			},
			operationDropdown('row', row, 'create'),
			...operationFields(row),
			operationDropdown('table', table, 'getAll'),
			...operationFields(table),
			operationDropdown('action', action, 'execute'),
			...operationFields(action),
			{
				...resourceProperty([{ name: 'Entity', value: 'financeOperationsEntity', description: 'Records of a data entity' }], 'financeOperationsEntity'),
				displayOptions: { show: { api: ['financeOperations'] } },
			},
			operationDropdown('financeOperationsEntity', financeOperationsEntity, 'getAll'),
			...operationFields(financeOperationsEntity),
			{
				...resourceProperty([{ name: 'Entity', value: 'businessCentralEntity', description: 'Records of an entity set of a company' }], 'businessCentralEntity'),
				displayOptions: { show: { api: ['businessCentral'] } },
			},
			operationDropdown('businessCentralEntity', businessCentralEntity, 'getAll'),
			...operationFields(businessCentralEntity),
		],
	};

	methods = {
		listSearch: { searchTables, searchRelationships, searchActions, searchFinanceOperationsEntities, searchBusinessCentralEnvironments, searchBusinessCentralCompanies, searchBusinessCentralEntitySets, searchBusinessCentralActions },
		resourceMapping: { getColumns, getFinanceOperationsFields },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this, ROUTES);
	}
}
