import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { encodeUriText, InputValueError } from '../../../shared/input';
import { locatorValue } from '../../../shared/node/parameters';
import { resourceLocator } from '../../../shared/node/rlc';
import { odataRequest } from '../../../shared/transport';
import { parseColumnsJson } from '../../helpers/columns';
import { cleanRow, rowUrl, schemaName } from '../../helpers/dataverse';
import { tableLocator } from '../../descriptions/fields';
import { DATAVERSE_ADVICE, showFor, type DynamicsOperation } from '../common';

const RESOURCE = 'action';
const OPERATION = 'execute';

export const option: INodePropertyOptions = {
	name: 'Execute',
	value: OPERATION,
	action: 'Execute an action or function',
	description: 'Run a Dataverse action (POST) or function (GET), unbound or bound to a row, e.g. WhoAmI, QualifyLead, WinOpportunity',
};

const show = showFor(RESOURCE, OPERATION);

export const description: INodeProperties[] = [
	resourceLocator({
		name: 'actionName',
		displayName: 'Action or Function',
		description: 'Pick it from the environment\'s $metadata, or enter its name',
		displayOptions: show,
		list: { searchListMethod: 'searchActions', placeholder: 'Select an action or function...' },
		id: { displayName: 'By Name', placeholder: 'e.g. WhoAmI', regex: '^[A-Za-z_][A-Za-z0-9_.]*$', errorMessage: 'An action name has letters, digits, dots and underscores only' },
	}),
	{
		displayName: 'Kind',
		name: 'actionKind',
		type: 'options',
		options: [
			{ name: 'Action (POST, Parameters in the Body)', value: 'action' },
			{ name: 'Function (GET, Parameters in the URL)', value: 'function' },
		],
		default: 'action',
		description: 'Dataverse actions change data and are POSTed; functions (WhoAmI, RetrieveVersion) only read. The list names the kind.',
		displayOptions: show,
	},
	{
		displayName: 'Bound To',
		name: 'boundTo',
		type: 'options',
		options: [
			{ name: 'Nothing (Unbound)', value: 'none' },
			{ name: 'A Row', value: 'row' },
			{ name: 'A Table', value: 'table' },
		],
		default: 'none',
		displayOptions: show,
	},
	tableLocator({ show: { ...show.show, boundTo: ['row', 'table'] } }),
	{ displayName: 'Row ID', name: 'rowId', type: 'string', default: '', required: true, displayOptions: { show: { ...show.show, boundTo: ['row'] } } },
	{
		displayName: 'Parameters (JSON)',
		name: 'parameters',
		type: 'json',
		default: '{}',
		description: 'Parameter names and values, e.g. {"Status": 3, "OpportunityClose": {"subject": "Won", "opportunityid@odata.bind": "/opportunities(&lt;ID&gt;)"}}',
		displayOptions: show,
	},
];

/** A function parameter value as an OData literal in its `@p` alias. */
function functionLiteral(value: unknown): string {
	if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
	if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
	return JSON.stringify(value);
}

export const execute: DynamicsOperation['execute'] = async function (itemIndex, run) {
	const rawName = locatorValue(this, 'actionName', itemIndex);
	const name = rawName.replace(/^Microsoft\.Dynamics\.CRM\./, '');
	schemaName(name, 'Action or Function');
	const kind = this.getNodeParameter('actionKind', itemIndex, 'action') as string;
	const boundTo = this.getNodeParameter('boundTo', itemIndex, 'none') as string;
	let parameters: IDataObject;
	try {
		parameters = parseColumnsJson(this.getNodeParameter('parameters', itemIndex, '{}'), 'Parameters (JSON)');
	} catch (error) {
		throw error instanceof InputValueError ? error : new InputValueError('Parameters (JSON)', 'is not valid', 'Enter a JSON object.');
	}
	let url = run.base;
	if (boundTo !== 'none') {
		const table = schemaName(locatorValue(this, 'table', itemIndex), 'Table');
		url = boundTo === 'row' ? rowUrl(run.base, table, String(this.getNodeParameter('rowId', itemIndex, ''))) : `${run.base}/${encodeUriText(table)}`;
		url += `/Microsoft.Dynamics.CRM.${name}`;
	} else url += `/${name}`;
	if (kind === 'function') {
		const names = Object.keys(parameters);
		const aliases = names.map((key, n) => `${key}=@p${n}`).join(',');
		const qs = Object.fromEntries(names.map((key, n) => [`@p${n}`, functionLiteral(parameters[key])]));
		const response = await odataRequest<IDataObject>(this, run.conn, { url: `${url}(${aliases})`, qs, itemIndex, operation: `call function ${name}`, advice: DATAVERSE_ADVICE });
		return cleanRow(response.body ?? {});
	}
	const response = await odataRequest<IDataObject>(this, run.conn, { method: 'POST', url, body: parameters, itemIndex, operation: `execute action ${name}`, advice: DATAVERSE_ADVICE });
	const body = response.body;
	return body && typeof body === 'object' ? cleanRow(body) : { success: true };
};
