/** Planner tasks: plan / bucket pickers, task fields, and writes with the task's ETag (`If-Match`). */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { toNodeApiError } from '../../../shared/errors';
import { assertWellFormedText, encodePathSegment } from '../../../shared/input';
import { locatorValue } from '../../../shared/node/parameters';
import { resourceLocator } from '../../../shared/node/rlc';
import { graphRequest, sendAuthenticated, type MicrosoftRequest } from '../../../shared/transport';
import { showFor, teamLocator, type TeamsRun } from '../common';

export function planLocator(operation: string, required = true): INodeProperties[] {
	return [
		teamLocator(showFor('task', operation)),
		resourceLocator({
			name: 'planId',
			displayName: 'Plan',
			required,
			description: "A plan of the team's group: pick it, or enter its ID",
			displayOptions: showFor('task', operation),
			list: { searchListMethod: 'searchPlans', placeholder: 'Select a plan...' },
			id: { placeholder: 'e.g. xqQg5FS2LkCp935s-FIFm2QAFkHM' },
			dependsOn: ['teamId.value'],
		}),
	];
}

export function bucketLocator(operation: string, required: boolean, description: string): INodeProperties {
	return resourceLocator({
		name: 'bucketId',
		displayName: 'Bucket',
		required,
		description,
		displayOptions: showFor('task', operation),
		list: { searchListMethod: 'searchBuckets', placeholder: 'Select a bucket...' },
		id: { placeholder: 'e.g. hsOf2dhOJkqyYYZEtdzDe2QAIUCR' },
		dependsOn: ['planId.value'],
	});
}

export function taskIdProperty(operation: string): INodeProperties {
	return { displayName: 'Task ID', name: 'taskId', type: 'string', required: true, default: '', description: 'ID of the task', displayOptions: showFor('task', operation) };
}

export function taskPath(this: IExecuteFunctions, itemIndex: number): string {
	return `/planner/tasks/${encodePathSegment(locatorValue(this, 'taskId', itemIndex), 'Task ID')}`;
}

/** Task fields shared by create and update, turned into Planner's shape (assignments keyed by user ID). */
export function taskFields(this: IExecuteFunctions, fields: IDataObject, itemIndex: number): IDataObject {
	const body: IDataObject = {};
	if (fields.title !== undefined) body.title = assertWellFormedText(String(fields.title), 'Title');
	if (fields.percentComplete !== undefined) {
		const percent = Number(fields.percentComplete);
		if (!Number.isInteger(percent) || percent < 0 || percent > 100) throw new NodeOperationError(this.getNode(), '"Percent Complete" must be a whole number from 0 to 100', { itemIndex });
		body.percentComplete = percent;
	}
	if (fields.priority !== undefined) body.priority = Number(fields.priority);
	for (const name of ['dueDateTime', 'startDateTime'] as const) {
		if (!fields[name]) continue;
		const time = Date.parse(String(fields[name]));
		if (!Number.isFinite(time)) throw new NodeOperationError(this.getNode(), `"${name === 'dueDateTime' ? 'Due' : 'Start'}" is not a date`, { itemIndex, description: 'Use a date such as 2026-03-01T17:00:00Z.' });
		body[name] = new Date(time).toISOString();
	}
	const assignees = String(fields.assignees ?? '').split(',').map((a) => a.trim()).filter(Boolean);
	if (assignees.length) {
		body.assignments = Object.fromEntries(
			assignees.map((id) => {
				if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NodeOperationError(this.getNode(), `"Assigned To": "${id}" is not a user ID`, { itemIndex, description: 'Planner assigns by user ID (a GUID).' });
				return [id, { '@odata.type': '#microsoft.graph.plannerAssignment', orderHint: ' !' }];
			}),
		);
	}
	return body;
}

/**
 * A write that Planner guards with the task's ETag: read the current ETag, send with `If-Match`; if someone changed
 * the task in between (412), read it again and try once more, then give up with a clear error.
 */
export async function writeWithEtag(this: IExecuteFunctions, run: TeamsRun, path: string, request: Omit<MicrosoftRequest, 'url'>, itemIndex: number, operation: string) {
	for (let attempt = 1; attempt <= 2; attempt++) {
		const current = await graphRequest<IDataObject>(this, run.conn, { url: path, itemIndex, operation: 'read the task' });
		const etag = String(current.body['@odata.etag'] ?? current.headers.etag ?? '');
		const response = await sendAuthenticated(this, run.conn, { ...request, url: path, headers: { ...request.headers, 'If-Match': etag }, idempotent: true }, {}, { itemIndex, operation });
		if (response.status === 412 && attempt === 1) continue;
		if (response.status === 412) {
			throw new NodeOperationError(this.getNode(), 'The task kept changing while it was being updated', { itemIndex, description: 'Someone else is editing it: run the workflow again in a moment.' });
		}
		if (response.status >= 400) throw toNodeApiError(this.getNode(), response, { itemIndex, operation });
		return response;
	}
	throw new NodeOperationError(this.getNode(), 'The task could not be written', { itemIndex });
}
