// @ts-check
'use strict';

/**
 * The Planner model: plans (contained by a team's group), buckets, tasks and task details. Every object has a
 * version; its `@odata.etag` (`W/"…"`, opaque base64 naming the object and the version) changes with each change.
 * Each property remembers the version it last changed at, so a PATCH with an older etag is accepted when none of the
 * properties it sets changed since (Planner's documented rule) and refused with 412 otherwise.
 */

const crypto = require('node:crypto');

/**
 * @typedef {{ id: string, kind: 'Plan' | 'Bucket' | 'Task' | 'TaskDetails', version: number, fieldVersions: Record<string, number> }} Versioned
 * @typedef {Versioned & { groupId: string, tenantId: string, title: string, createdDateTime: string, createdBy: { userId: string | null, appId: string } }} Plan
 * @typedef {Versioned & { planId: string, name: string, orderHint: string }} Bucket
 * @typedef {{ assignedBy: string, assignedDateTime: string, orderHint: string }} Assignment
 * @typedef {Versioned & { planId: string, bucketId: string | null, title: string, orderHint: string, assigneePriority: string,
 *   percentComplete: number, priority: number, startDateTime: string | null, dueDateTime: string | null, createdDateTime: string,
 *   createdBy: { userId: string | null, appId: string }, completedDateTime: string | null, completedBy: string | null,
 *   assignments: Record<string, Assignment>, appliedCategories: Record<string, boolean>, conversationThreadId: string | null,
 *   previewType: string }} Task
 * @typedef {{ isChecked: boolean, title: string, orderHint: string, lastModifiedDateTime: string, lastModifiedBy: string }} ChecklistItem
 * @typedef {{ alias: string | null, type: string | null, previewPriority: string, lastModifiedDateTime: string, lastModifiedBy: string }} ExternalReference
 * @typedef {Versioned & { description: string, previewType: string, checklist: Record<string, ChecklistItem>, references: Record<string, ExternalReference> }} TaskDetails
 */

/** A Planner-like id: 28 url-safe base64 characters. */
function plannerId() {
	return crypto.randomBytes(21).toString('base64url');
}

/** An order hint between nothing and nothing (Planner computes real ones from neighbours; these only need to be strings). */
let hintCounter = 0;
function orderHint() {
	hintCounter += 1;
	return `8585${String(999999999999999 - Date.now() * 10 - hintCounter).padStart(15, '0')}`;
}

class PlannerStore {
	constructor() {
		/** @type {Map<string, Plan>} */
		this.plans = new Map();
		/** @type {Map<string, Bucket>} */
		this.buckets = new Map();
		/** @type {Map<string, Task>} */
		this.tasks = new Map();
		/** @type {Map<string, TaskDetails>} */
		this.details = new Map();
		this.version = 0;
	}

	/** @returns {number} */
	nextVersion() {
		this.version += 1;
		return this.version;
	}

	/** @param {Versioned} object */
	etag(object) {
		return `W/"${Buffer.from(`'${object.version}-${object.kind}-${object.id}'`).toString('base64')}"`;
	}

	/**
	 * Reads an If-Match value: `*` (any version), or an etag of this object → its version; null when it names
	 * nothing of this object (another object's etag, garbage).
	 * @param {Versioned} object @param {string} value @returns {number | null}
	 */
	versionOf(object, value) {
		const text = value.trim();
		if (text === '*') return object.version;
		const m = /^(?:W\/)?"([^"]*)"$/.exec(text);
		if (!m) return null;
		const decoded = Buffer.from(m[1], 'base64').toString('utf8');
		const parts = /^'(\d+)-(\w+)-(.+)'$/.exec(decoded);
		if (!parts || parts[2] !== object.kind || parts[3] !== object.id) return null;
		const version = Number(parts[1]);
		return version <= object.version ? version : null;
	}

	/**
	 * Marks properties changed (a new version for the object).
	 * @param {Versioned} object @param {string[]} fields
	 */
	touch(object, fields) {
		object.version = this.nextVersion();
		for (const field of fields) object.fieldVersions[field] = object.version;
	}

	/** @param {{ id?: string, groupId: string, tenantId: string, title: string, createdDateTime?: string, createdBy: { userId: string | null, appId: string } }} spec */
	addPlan(spec) {
		/** @type {Plan} */
		const plan = { ...spec, id: spec.id ?? plannerId(), kind: 'Plan', createdDateTime: spec.createdDateTime ?? new Date().toISOString(), version: this.nextVersion(), fieldVersions: {} };
		this.plans.set(plan.id, plan);
		return plan;
	}

	/** @param {{ id?: string, planId: string, name: string, orderHint?: string }} spec */
	addBucket(spec) {
		/** @type {Bucket} */
		const bucket = { id: spec.id ?? plannerId(), kind: 'Bucket', planId: spec.planId, name: spec.name, orderHint: spec.orderHint ?? orderHint(), version: this.nextVersion(), fieldVersions: {} };
		this.buckets.set(bucket.id, bucket);
		return bucket;
	}

	/**
	 * @param {Partial<Task> & { planId: string, title: string, createdBy: { userId: string | null, appId: string } }} spec
	 * @returns {Task}
	 */
	addTask(spec) {
		const id = spec.id ?? plannerId();
		/** @type {Task} */
		const task = {
			bucketId: null, orderHint: orderHint(), assigneePriority: '', percentComplete: 0, priority: 5, startDateTime: null, dueDateTime: null,
			createdDateTime: new Date().toISOString(), completedDateTime: null, completedBy: null, assignments: {}, appliedCategories: {},
			conversationThreadId: null, previewType: 'automatic', ...spec, id, kind: 'Task', version: this.nextVersion(), fieldVersions: {},
		};
		this.tasks.set(id, task);
		this.details.set(id, { id, kind: 'TaskDetails', description: '', previewType: 'automatic', checklist: {}, references: {}, version: this.nextVersion(), fieldVersions: {} });
		return task;
	}

	/** @param {Task} task */
	removeTask(task) {
		this.tasks.delete(task.id);
		this.details.delete(task.id);
	}
}

module.exports = { PlannerStore, plannerId, orderHint };
