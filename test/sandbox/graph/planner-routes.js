// @ts-check
'use strict';

/**
 * Planner (plans of a team's group):
 *   GET  /groups/{teamId}/planner/plans, /planner/plans/{id}, /planner/plans/{id}/buckets, /planner/plans/{id}/tasks,
 *        /planner/buckets/{id}, /planner/buckets/{id}/tasks, /me/planner/tasks (tasks assigned to the signed-in user)
 *   POST /planner/tasks                           201 (planId and title required; bucketId of the plan; assignments)
 *   GET|PATCH|DELETE /planner/tasks/{id}          PATCH → 204 (200 + the task with Prefer: return=representation); DELETE → 204
 *   GET|PATCH /planner/tasks/{id}/details         description, previewType, checklist, references
 * Every object carries `@odata.etag`. PATCH and DELETE need `If-Match`: missing → 412 "The If-Match header must be
 * specified for this kind of request."; not an etag of that object → 412 "The If-Match header contains an invalid
 * value."; an older etag → accepted unless a property it sets changed since (else 412). Errors have Planner's empty
 * `code`. Delegated callers must be members of the plan's group (403); app tokens need Tasks.Read(Write).All.
 */

const { httpError } = require('../router');
const { PERMISSIONS, authorize, readObject } = require('./teams-access');
const { orderHint } = require('./planner-store');

/**
 * @typedef {import('./planner-store').PlannerStore} PlannerStore
 * @typedef {import('./planner-store').Plan} Plan
 * @typedef {import('./planner-store').Task} Task
 * @typedef {import('./planner-store').Versioned} Versioned
 * @typedef {import('../router').Context} Context
 * @typedef {import('../router').AuthInfo} AuthInfo
 */

const NOT_FOUND = () => httpError(404, '', 'The requested item is not found.');
const DENIED = () => httpError(403, '', 'You do not have the required permissions to access this item.');
/** @param {string} message */
const invalid = (message) => httpError(400, '', `Invalid request: ${message}`);

const TASK_PATCHABLE = ['title', 'bucketId', 'percentComplete', 'priority', 'startDateTime', 'dueDateTime', 'assignments', 'appliedCategories', 'orderHint', 'assigneePriority', 'previewType', 'conversationThreadId'];
const PREVIEW_TYPES = ['automatic', 'noPreview', 'checklist', 'description', 'reference'];

/** @param {string | null} userId @param {string} [appId] */
function identitySet(userId, appId) {
	/** @type {Record<string, unknown>} */
	const set = {};
	if (appId) set.application = { displayName: null, id: appId };
	set.user = userId ? { displayName: null, id: userId } : null;
	return set;
}

/** @param {PlannerStore} store @param {Plan} plan */
function planJson(store, plan) {
	return {
		'@odata.etag': store.etag(plan),
		id: plan.id, title: plan.title, owner: plan.groupId, createdDateTime: plan.createdDateTime,
		createdBy: identitySet(plan.createdBy.userId, plan.createdBy.appId),
		container: { containerId: plan.groupId, type: 'group', url: `https://graph.microsoft.com/v1.0/groups/${plan.groupId}` },
	};
}

/** @param {PlannerStore} store @param {import('./planner-store').Bucket} bucket */
function bucketJson(store, bucket) {
	return { '@odata.etag': store.etag(bucket), id: bucket.id, name: bucket.name, planId: bucket.planId, orderHint: bucket.orderHint };
}

/** @param {PlannerStore} store @param {Task} task */
function taskJson(store, task) {
	const details = /** @type {import('./planner-store').TaskDetails} */ (store.details.get(task.id));
	const checklist = Object.values(details.checklist);
	return {
		'@odata.etag': store.etag(task),
		id: task.id, planId: task.planId, bucketId: task.bucketId, title: task.title, orderHint: task.orderHint, assigneePriority: task.assigneePriority,
		percentComplete: task.percentComplete, priority: task.priority, startDateTime: task.startDateTime, createdDateTime: task.createdDateTime,
		dueDateTime: task.dueDateTime, hasDescription: details.description !== '', previewType: task.previewType,
		completedDateTime: task.completedDateTime, completedBy: task.completedBy ? identitySet(task.completedBy) : null,
		referenceCount: Object.keys(details.references).length, checklistItemCount: checklist.length,
		activeChecklistItemCount: checklist.filter((item) => !item.isChecked).length, conversationThreadId: task.conversationThreadId,
		createdBy: identitySet(task.createdBy.userId, task.createdBy.appId),
		appliedCategories: { ...task.appliedCategories },
		assignments: Object.fromEntries(Object.entries(task.assignments).map(([userId, a]) => [userId, {
			'@odata.type': '#microsoft.graph.plannerAssignment', assignedDateTime: a.assignedDateTime, orderHint: a.orderHint, assignedBy: identitySet(a.assignedBy),
		}])),
	};
}

/** @param {PlannerStore} store @param {import('./planner-store').TaskDetails} details */
function detailsJson(store, details) {
	return {
		'@odata.etag': store.etag(details),
		id: details.id, description: details.description, previewType: details.previewType,
		references: Object.fromEntries(Object.entries(details.references).map(([url, r]) => [url, {
			'@odata.type': '#microsoft.graph.plannerExternalReference', alias: r.alias, type: r.type, previewPriority: r.previewPriority,
			lastModifiedDateTime: r.lastModifiedDateTime, lastModifiedBy: identitySet(r.lastModifiedBy),
		}])),
		checklist: Object.fromEntries(Object.entries(details.checklist).map(([key, c]) => [key, {
			'@odata.type': '#microsoft.graph.plannerChecklistItem', isChecked: c.isChecked, title: c.title, orderHint: c.orderHint,
			lastModifiedDateTime: c.lastModifiedDateTime, lastModifiedBy: identitySet(c.lastModifiedBy),
		}])),
	};
}

/** An ISO date-time or null. @param {unknown} value @param {string} name */
function dateOrNull(value, name) {
	if (value === null) return null;
	if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw invalid(`${name} must be an ISO 8601 date-time or null.`);
	return new Date(Date.parse(value)).toISOString();
}

/** @param {unknown} value @param {string} type */
function hasOdataType(value, type) {
	return Boolean(value && typeof value === 'object' && String(/** @type {any} */ (value)['@odata.type'] ?? '').replace(/^#/, '') === `microsoft.graph.${type}`);
}

/**
 * @param {import('../router').Router} router
 * @param {{ planner: PlannerStore, teams: import('./teams-store').TeamsStore, state: any }} env
 */
function registerPlannerRoutes(router, env) {
	const { planner: store, teams, state } = env;
	const meta = (/** @type {Context} */ ctx, /** @type {string} */ tail) => `${ctx.sandbox.graphUrl}/v1.0/$metadata#${tail}`;
	const actor = (/** @type {AuthInfo} */ auth) => auth.userId ?? auth.appId;

	/** The plan (visible to the caller). @param {AuthInfo} auth @param {string} planId */
	const planFor = (auth, planId) => {
		const plan = store.plans.get(planId);
		if (!plan || plan.tenantId !== auth.tenantId) throw NOT_FOUND();
		const team = teams.teams.get(plan.groupId);
		if (!auth.appOnly && !(team && auth.userId && team.members.has(auth.userId))) throw DENIED();
		return plan;
	};
	/** @param {AuthInfo} auth @param {string} taskId */
	const taskFor = (auth, taskId) => {
		const task = store.tasks.get(taskId);
		if (!task) throw NOT_FOUND();
		planFor(auth, task.planId);
		return task;
	};
	/**
	 * The If-Match version of a PATCH/DELETE, and the conflict rule for the fields it sets.
	 * @param {Context} ctx @param {Versioned} object @param {string[] | 'all'} fields 'all': any change since conflicts (DELETE)
	 */
	const precondition = (ctx, object, fields) => {
		const header = ctx.headers['if-match'];
		if (!header) throw httpError(412, '', 'The If-Match header must be specified for this kind of request.');
		const version = store.versionOf(object, header);
		if (version === null) throw httpError(412, '', 'The If-Match header contains an invalid value.');
		const stale = fields === 'all' ? (version < object.version ? ['the item'] : []) : fields.filter((field) => (object.fieldVersions[field] ?? 0) > version);
		if (stale.length > 0) throw httpError(412, '', `The item was changed since the version in If-Match (${stale.join(', ')}); read it again for the current @odata.etag.`);
	};
	/** @param {Context} ctx @param {Record<string, unknown>} json */
	const patched = (ctx, json) => {
		if (/return=representation/i.test(ctx.headers.prefer ?? '')) return ctx.json(200, json, { etag: String(json['@odata.etag']), 'preference-applied': 'return=representation' });
		return ctx.send(204, null, { etag: String(json['@odata.etag']) });
	};

	router.add('GET', '/v1.0/groups/:groupId/planner/plans', (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.plannerRead);
		const team = teams.teams.get(ctx.params.groupId.toLowerCase());
		if (!team || team.tenantId !== auth.tenantId) throw httpError(404, 'Request_ResourceNotFound', `Resource '${ctx.params.groupId}' does not exist or one of its queried reference-property objects are not present.`);
		if (!auth.appOnly && !(auth.userId && team.members.has(auth.userId))) throw DENIED();
		const plans = [...store.plans.values()].filter((p) => p.groupId === team.id);
		return ctx.json(200, { '@odata.context': meta(ctx, 'Collection(microsoft.graph.plannerPlan)'), '@odata.count': plans.length, value: plans.map((p) => planJson(store, p)) });
	});

	router.add('GET', '/v1.0/planner/plans/:planId', (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.plannerRead);
		const plan = planFor(auth, ctx.params.planId);
		return ctx.json(200, { '@odata.context': meta(ctx, 'planner/plans/$entity'), ...planJson(store, plan) }, { etag: store.etag(plan) });
	});
	router.add('GET', '/v1.0/planner/plans/:planId/buckets', (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.plannerRead);
		const plan = planFor(auth, ctx.params.planId);
		const buckets = [...store.buckets.values()].filter((b) => b.planId === plan.id);
		return ctx.json(200, { '@odata.context': meta(ctx, `planner/plans('${plan.id}')/buckets`), '@odata.count': buckets.length, value: buckets.map((b) => bucketJson(store, b)) });
	});
	router.add('GET', '/v1.0/planner/plans/:planId/tasks', (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.plannerRead);
		const plan = planFor(auth, ctx.params.planId);
		const tasks = [...store.tasks.values()].filter((t) => t.planId === plan.id);
		return ctx.json(200, { '@odata.context': meta(ctx, `planner/plans('${plan.id}')/tasks`), '@odata.count': tasks.length, value: tasks.map((t) => taskJson(store, t)) });
	});
	router.add('GET', '/v1.0/planner/buckets/:bucketId', (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.plannerRead);
		const bucket = store.buckets.get(ctx.params.bucketId);
		if (!bucket) throw NOT_FOUND();
		planFor(auth, bucket.planId);
		return ctx.json(200, { '@odata.context': meta(ctx, 'planner/buckets/$entity'), ...bucketJson(store, bucket) }, { etag: store.etag(bucket) });
	});
	router.add('GET', '/v1.0/planner/buckets/:bucketId/tasks', (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.plannerRead);
		const bucket = store.buckets.get(ctx.params.bucketId);
		if (!bucket) throw NOT_FOUND();
		planFor(auth, bucket.planId);
		const tasks = [...store.tasks.values()].filter((t) => t.bucketId === bucket.id);
		return ctx.json(200, { '@odata.context': meta(ctx, `planner/buckets('${bucket.id}')/tasks`), '@odata.count': tasks.length, value: tasks.map((t) => taskJson(store, t)) });
	});
	router.add('GET', '/v1.0/me/planner/tasks', (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.plannerRead);
		const mine = [...store.tasks.values()].filter((t) => auth.userId && t.assignments[auth.userId] && store.plans.get(t.planId)?.tenantId === auth.tenantId);
		return ctx.json(200, { '@odata.context': meta(ctx, `users('${auth.userId}')/planner/tasks`), '@odata.count': mine.length, value: mine.map((t) => taskJson(store, t)) });
	});

	router.add('POST', '/v1.0/planner/tasks', async (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.plannerWrite);
		const input = await readObject(ctx);
		if (typeof input.planId !== 'string') throw invalid('planId is required.');
		const plan = planFor(auth, input.planId);
		if (typeof input.title !== 'string' || input.title.trim() === '') throw invalid('title is required.');
		for (const key of Object.keys(input)) if (key !== 'planId' && !TASK_PATCHABLE.includes(key) && !key.startsWith('@odata')) throw invalid(`property '${key}' cannot be set on a new task.`);
		const task = store.addTask({ planId: plan.id, title: input.title, createdBy: { userId: auth.userId, appId: auth.appId } });
		applyTaskFields(task, { ...input, title: undefined }, auth, plan);
		return ctx.json(201, { '@odata.context': meta(ctx, 'planner/tasks/$entity'), ...taskJson(store, task) }, { etag: store.etag(task) });
	});

	router.add('GET', '/v1.0/planner/tasks/:taskId', (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.plannerRead);
		const task = taskFor(auth, ctx.params.taskId);
		return ctx.json(200, { '@odata.context': meta(ctx, 'planner/tasks/$entity'), ...taskJson(store, task) }, { etag: store.etag(task) });
	});

	router.add('PATCH', '/v1.0/planner/tasks/:taskId', async (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.plannerWrite);
		const task = taskFor(auth, ctx.params.taskId);
		const input = await readObject(ctx);
		for (const key of Object.keys(input)) if (!TASK_PATCHABLE.includes(key) && !key.startsWith('@odata')) throw invalid(`property '${key}' is read-only or unknown on plannerTask.`);
		precondition(ctx, task, Object.keys(input));
		applyTaskFields(task, input, auth, /** @type {Plan} */ (store.plans.get(task.planId)));
		return patched(ctx, { '@odata.context': meta(ctx, 'planner/tasks/$entity'), ...taskJson(store, task) });
	});

	router.add('DELETE', '/v1.0/planner/tasks/:taskId', (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.plannerWrite);
		const task = taskFor(auth, ctx.params.taskId);
		precondition(ctx, task, 'all');
		store.removeTask(task);
		return ctx.send(204, null);
	});

	router.add('GET', '/v1.0/planner/tasks/:taskId/details', (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.plannerRead);
		const task = taskFor(auth, ctx.params.taskId);
		const details = /** @type {import('./planner-store').TaskDetails} */ (store.details.get(task.id));
		return ctx.json(200, { '@odata.context': meta(ctx, `planner/tasks('${task.id}')/details/$entity`), ...detailsJson(store, details) }, { etag: store.etag(details) });
	});

	router.add('PATCH', '/v1.0/planner/tasks/:taskId/details', async (ctx) => {
		const auth = authorize(ctx, PERMISSIONS.plannerWrite);
		const task = taskFor(auth, ctx.params.taskId);
		let details = /** @type {import('./planner-store').TaskDetails} */ (store.details.get(task.id));
		const input = await readObject(ctx);
		for (const key of Object.keys(input)) if (!['description', 'previewType', 'checklist', 'references'].includes(key) && !key.startsWith('@odata')) throw invalid(`property '${key}' is read-only or unknown on plannerTaskDetails.`);
		precondition(ctx, details, Object.keys(input));
		const now = new Date().toISOString();
		const by = actor(auth);
		const original = details;
		details = { ...original, checklist: { ...original.checklist }, references: { ...original.references } };
		if (input.description !== undefined) {
			if (typeof input.description !== 'string') throw invalid('description must be a string.');
			details.description = input.description;
		}
		if (input.previewType !== undefined) {
			if (!PREVIEW_TYPES.includes(input.previewType)) throw invalid(`previewType must be one of ${PREVIEW_TYPES.join(', ')}.`);
			details.previewType = input.previewType;
		}
		for (const [key, value] of Object.entries(input.checklist ?? {})) {
			if (value === null) {
				delete details.checklist[key];
				continue;
			}
			const existing = details.checklist[key];
			if (!existing && !hasOdataType(value, 'plannerChecklistItem')) throw invalid(`checklist item '${key}' needs "@odata.type": "microsoft.graph.plannerChecklistItem".`);
			if (!existing && typeof value.title !== 'string') throw invalid(`checklist item '${key}' needs a title.`);
			details.checklist[key] = {
				isChecked: typeof value.isChecked === 'boolean' ? value.isChecked : existing?.isChecked ?? false, title: value.title ?? existing?.title,
				orderHint: typeof value.orderHint === 'string' && !value.orderHint.endsWith('!') ? value.orderHint : existing?.orderHint ?? orderHint(),
				lastModifiedDateTime: now, lastModifiedBy: by,
			};
		}
		for (const [url, value] of Object.entries(input.references ?? {})) {
			if (value === null) {
				delete details.references[url];
				continue;
			}
			if (!hasOdataType(value, 'plannerExternalReference')) throw invalid(`reference '${url}' needs "@odata.type": "microsoft.graph.plannerExternalReference".`);
			const existing = details.references[url];
			details.references[url] = {
				alias: value.alias ?? existing?.alias ?? null, type: value.type ?? existing?.type ?? 'Other', previewPriority: existing?.previewPriority ?? ' !',
				lastModifiedDateTime: now, lastModifiedBy: by,
			};
		}
		Object.assign(original, details);
		store.touch(original, Object.keys(input));
		store.touch(task, ['details']);
		details = original;
		return patched(ctx, { '@odata.context': meta(ctx, `planner/tasks('${task.id}')/details/$entity`), ...detailsJson(store, details) });
	});

	/**
	 * Applies task properties of a POST or PATCH body (validated) and bumps the version.
	 * @param {Task} task @param {Record<string, any>} input @param {AuthInfo} auth @param {Plan} plan
	 */
	function applyTaskFields(task, input, auth, plan) {
		const changed = commitTaskFields(task, input, auth, plan);
		store.touch(task, changed);
	}

	/**
	 * Validates the fields on a copy of the task and copies them over only when all are valid → the changed names.
	 * @param {Task} original @param {Record<string, any>} input @param {AuthInfo} auth @param {Plan} plan @returns {string[]}
	 */
	function commitTaskFields(original, input, auth, plan) {
		/** @type {Task} */
		const task = { ...original, assignments: { ...original.assignments }, appliedCategories: { ...original.appliedCategories } };
		const changed = [];
		const now = new Date().toISOString();
		if (input.title !== undefined) {
			if (typeof input.title !== 'string' || input.title.trim() === '') throw invalid('title cannot be empty.');
			task.title = input.title;
			changed.push('title');
		}
		if (input.bucketId !== undefined) {
			const bucket = input.bucketId === null ? null : store.buckets.get(input.bucketId);
			if (input.bucketId !== null && (!bucket || bucket.planId !== plan.id)) throw invalid(`bucket '${input.bucketId}' is not a bucket of plan ${plan.id}.`);
			task.bucketId = bucket ? bucket.id : null;
			changed.push('bucketId');
		}
		if (input.percentComplete !== undefined) {
			if (!Number.isInteger(input.percentComplete) || input.percentComplete < 0 || input.percentComplete > 100) throw invalid('percentComplete must be a whole number from 0 to 100.');
			task.percentComplete = input.percentComplete;
			task.completedDateTime = input.percentComplete === 100 ? now : null;
			task.completedBy = input.percentComplete === 100 ? actor(auth) : null;
			changed.push('percentComplete');
		}
		if (input.priority !== undefined) {
			if (!Number.isInteger(input.priority) || input.priority < 0 || input.priority > 10) throw invalid('priority must be a whole number from 0 to 10.');
			task.priority = input.priority;
			changed.push('priority');
		}
		for (const key of /** @type {const} */ (['startDateTime', 'dueDateTime'])) {
			if (input[key] !== undefined) {
				task[key] = dateOrNull(input[key], key);
				changed.push(key);
			}
		}
		if (task.startDateTime && task.dueDateTime && Date.parse(task.startDateTime) > Date.parse(task.dueDateTime)) throw invalid('startDateTime cannot be later than dueDateTime.');
		if (input.assignments !== undefined) {
			if (!input.assignments || typeof input.assignments !== 'object' || Array.isArray(input.assignments)) throw invalid('assignments must be an object keyed by user id.');
			for (const [userId, value] of Object.entries(input.assignments)) {
				if (value === null) {
					delete task.assignments[userId];
					continue;
				}
				if (!hasOdataType(value, 'plannerAssignment')) throw invalid(`the assignment of '${userId}' needs "@odata.type": "microsoft.graph.plannerAssignment".`);
				if (typeof value.orderHint !== 'string') throw invalid(`the assignment of '${userId}' needs an orderHint (e.g. " !").`);
				const user = state.findUser(userId);
				if (!user || user.tenant !== plan.tenantId || user.id !== userId) throw invalid(`'${userId}' is not the id of a user of the tenant.`);
				task.assignments[userId] = { assignedBy: actor(auth), assignedDateTime: now, orderHint: value.orderHint.endsWith('!') ? orderHint() : value.orderHint };
			}
			changed.push('assignments');
		}
		if (input.appliedCategories !== undefined) {
			for (const [name, on] of Object.entries(input.appliedCategories ?? {})) {
				if (!/^category([1-9]|1\d|2[0-5])$/.test(name) || typeof on !== 'boolean') throw invalid(`appliedCategories takes category1…category25: true/false ('${name}').`);
				if (on) task.appliedCategories[name] = true;
				else delete task.appliedCategories[name];
			}
			changed.push('appliedCategories');
		}
		if (input.previewType !== undefined) {
			if (!PREVIEW_TYPES.includes(input.previewType)) throw invalid(`previewType must be one of ${PREVIEW_TYPES.join(', ')}.`);
			task.previewType = input.previewType;
			changed.push('previewType');
		}
		for (const key of /** @type {const} */ (['orderHint', 'assigneePriority', 'conversationThreadId'])) {
			if (input[key] !== undefined) {
				task[key] = key !== 'conversationThreadId' && String(input[key]).endsWith('!') ? orderHint() : input[key];
				changed.push(key);
			}
		}
		Object.assign(original, task);
		return changed;
	}
}

module.exports = { registerPlannerRoutes, taskJson, planJson, bucketJson, detailsJson };
