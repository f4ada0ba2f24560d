/** Associate / disassociate: the relationship picker's value, its kind from the table's metadata, and the `$ref` URLs. */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { encodePathSegment, InputValueError } from '../../../shared/input';
import { locatorValue } from '../../../shared/node/parameters';
import { resourceLocator } from '../../../shared/node/rlc';
import { rowUrl, schemaName } from '../../helpers/dataverse';
import { tableDetails, type RelationshipInfo } from '../../helpers/metadata';
import { readTable, tableLocator } from '../../descriptions/fields';
import { showFor, type DynamicsRun } from '../common';
import { RESOURCE } from './write';

export function relationshipFields(operation: string): INodeProperties[] {
	const show = showFor(RESOURCE, operation);
	return [
		tableLocator(show),
		{ displayName: 'Row ID', name: 'rowId', type: 'string', default: '', required: true, placeholder: 'e.g. 00000000-0000-0000-0000-000000000000', description: 'The ID of the row in the table', displayOptions: show },
		resourceLocator({
			name: 'relationship',
			displayName: 'Relationship',
			description: "The relationship to follow: pick it from the table's relationships, or enter its navigation property name",
			displayOptions: show,
			list: { searchListMethod: 'searchRelationships', placeholder: 'Select a relationship...' },
			id: { displayName: 'By Name', placeholder: 'e.g. contact_customer_accounts', regex: '^[A-Za-z_][A-Za-z0-9_]*$', errorMessage: 'A navigation property name has letters, digits and underscores only' },
			dependsOn: ['table.value'],
		}),
		tableLocator(show, 'relatedTable'),
		{ displayName: 'Related Row ID', name: 'relatedRowId', type: 'string', default: '', required: true, placeholder: 'e.g. 00000000-0000-0000-0000-000000000000', description: 'The ID of the row on the other side of the relationship', displayOptions: show },
	];
}

// The related table's field is named "Table" in its locator; it is told apart in errors as "Related Table".
export interface RelationshipTarget {
	rowUrl: string;
	relatedUrl: string;
	relatedId: string;
	navigation: string;
	relationship?: RelationshipInfo;
	table: string;
}

export async function readRelationship(this: IExecuteFunctions, itemIndex: number, run: DynamicsRun): Promise<RelationshipTarget> {
	const table = readTable.call(this, itemIndex);
	const relatedTable = schemaName(locatorValue(this, 'relatedTable', itemIndex), 'Related Table');
	const row = rowUrl(run.base, table, String(this.getNodeParameter('rowId', itemIndex, '')), 'Row ID');
	const relatedUrl = rowUrl(run.base, relatedTable, String(this.getNodeParameter('relatedRowId', itemIndex, '')), 'Related Row ID');
	const navigation = schemaName(locatorValue(this, 'relationship', itemIndex), 'Relationship');
	const details = await tableDetails(this, run.conn, table, itemIndex);
	const relationship = details.relationships.find((entry) => entry.navigationProperty.toLowerCase() === navigation.toLowerCase());
	if (!relationship) {
		throw new InputValueError('Relationship', `"${navigation}" is not a relationship of table ${details.logicalName}`, 'Pick the relationship from the list (it shows the navigation properties of the table); nothing was sent.');
	}
	return { rowUrl: row, relatedUrl, relatedId: relatedUrl.slice(relatedUrl.lastIndexOf('(') + 1, -1), navigation: encodePathSegment(relationship.navigationProperty, 'Relationship'), relationship, table };
}
