/**
 * Calendars, events and contacts are items of the mailbox addressed the same way: `{mailbox}/{collection}/{id}`,
 * picked by a locator, shaped by the Output choice. Get and Delete are the same operation for all three.
 */
import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { NodeOperationError } from 'n8n-workflow';

import { encodePathSegment } from '../../shared/input';
import { outputProperties, readOutputShape, type OutputShape } from '../../shared/node/outputShape';
import { locatorValue } from '../../shared/node/parameters';
import { resourceLocator } from '../../shared/node/rlc';
import { graphPages } from '../../shared/paging';
import { graphRequest } from '../../shared/transport';
import { readLimit, showFor, type OutlookOperation, type OutlookRun } from './common';

export interface MailboxItemKind {
	resource: string;
	/** As in sentences: "event". */
	noun: string;
	/** The locator's field name as the user sees it (errors name it): "Event". */
	field: string;
	locatorName: string;
	/** Graph collection below the mailbox: "events". */
	collection: string;
	searchListMethod: string;
	locatorDescription: string;
	idPlaceholder: string;
	/** Fields offered under Output → Selected Fields. */
	fields: string[];
	simplifiedSelect: string[];
	simplify: (item: IDataObject) => IDataObject;
}

const MAILBOX_DEPENDENCIES = ['mailbox', 'mailboxUser.value'];

/** The kind's picker: a list (reloads when the mailbox changes) or an ID. */
export function itemLocator(kind: MailboxItemKind, displayOptions: IDisplayOptions, options: { name?: string; displayName?: string; required?: boolean; description?: string } = {}): INodeProperties {
	return resourceLocator({
		name: options.name ?? kind.locatorName,
		displayName: options.displayName ?? kind.field,
		required: options.required ?? true,
		description: options.description ?? kind.locatorDescription,
		displayOptions,
		list: { searchListMethod: kind.searchListMethod, placeholder: `Select ${aOrAn(kind.noun)}...` },
		id: { placeholder: kind.idPlaceholder },
		dependsOn: MAILBOX_DEPENDENCIES,
	});
}

/** "an event", "a contact": actions are read by people and, as tool descriptions, by AI models. */
function aOrAn(noun: string): string {
	return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}

/** `{mailbox}/{collection}/{id}` from the kind's locator; a bad ID is refused naming the field. */
export function itemPath(this: IExecuteFunctions, kind: MailboxItemKind, run: OutlookRun, itemIndex: number): string {
	return `${run.mailbox.path}/${kind.collection}/${encodePathSegment(locatorValue(this, kind.locatorName, itemIndex), kind.field)}`;
}

export function itemOutput(kind: MailboxItemKind, operation: string): INodeProperties[] {
	return outputProperties(showFor(kind.resource, operation), kind.noun, kind.fields.map((field) => ({ name: field, value: field })));
}

export function readItemOutput(this: IExecuteFunctions, kind: MailboxItemKind, itemIndex: number): OutputShape {
	return readOutputShape.call(this, itemIndex, { simplifiedSelect: kind.simplifiedSelect, simplify: kind.simplify });
}

export function getOperation(kind: MailboxItemKind): OutlookOperation {
	const option: INodePropertyOptions = { name: 'Get', value: 'get', action: `Get ${aOrAn(kind.noun)}` };
	return {
		option,
		description: [itemLocator(kind, showFor(kind.resource, 'get')), ...itemOutput(kind, 'get')],
		async execute(itemIndex, run) {
			const url = itemPath.call(this, kind, run, itemIndex);
			const output = readItemOutput.call(this, kind, itemIndex);
			const response = await graphRequest(this, run.conn, { url, qs: { $select: output.select }, itemIndex, operation: `read the ${kind.noun}` });
			return output.shape(response.body as IDataObject);
		},
	};
}

/** Delete; `advice` per Graph error code (lower case) or status explains refusals. */
export function deleteOperation(kind: MailboxItemKind, description?: string, advice?: Record<string, string>): OutlookOperation {
	return {
		option: { name: 'Delete', value: 'delete', action: `Delete ${aOrAn(kind.noun)}`, ...(description ? { description } : {}) },
		description: [itemLocator(kind, showFor(kind.resource, 'delete'))],
		async execute(itemIndex, run) {
			const url = itemPath.call(this, kind, run, itemIndex);
			await graphRequest(this, run.conn, { method: 'DELETE', url, itemIndex, operation: `delete the ${kind.noun}`, advice });
			return { deleted: true, id: locatorValue(this, kind.locatorName, itemIndex) };
		},
	};
}

/** PATCH of the item with the changed fields (idempotent: repeating it sets the same values) → the shaped item. */
export async function updateItem(this: IExecuteFunctions, kind: MailboxItemKind, run: OutlookRun, itemIndex: number, body: IDataObject): Promise<IDataObject> {
	if (!Object.keys(body).length) {
		throw new NodeOperationError(this.getNode(), '"Update Fields" is empty', { itemIndex, description: 'Add at least one field to change.' });
	}
	const url = itemPath.call(this, kind, run, itemIndex);
	const output = readItemOutput.call(this, kind, itemIndex);
	const response = await graphRequest(this, run.conn, { method: 'PATCH', url, body, itemIndex, operation: `update the ${kind.noun}`, idempotent: true });
	return output.shape(response.body as IDataObject);
}

/** Every page of a listing at `pageSize` (or up to the Limit), each item shaped by the Output choice. */
export async function listItems(
	this: IExecuteFunctions,
	kind: MailboxItemKind,
	run: OutlookRun,
	itemIndex: number,
	url: string,
	options: { pageSize: number; qs?: IDataObject; headers?: Record<string, string> },
): Promise<IDataObject[]> {
	const output = readItemOutput.call(this, kind, itemIndex);
	const results: IDataObject[] = [];
	for await (const page of graphPages(this, run.conn, url, {
		pageSize: options.pageSize,
		limit: readLimit.call(this, itemIndex),
		qs: { ...options.qs, $select: output.select },
		headers: options.headers,
		itemIndex,
		operation: `list ${kind.collection}`,
	})) {
		for (const item of page) results.push(output.shape(item));
	}
	return results;
}
