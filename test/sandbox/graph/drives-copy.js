// @ts-check
'use strict';

/**
 * `POST .../copy` → 202 with a `Location` monitor URL on the files host (no authentication, like
 * Microsoft's). The monitor reports `inProgress` for `behavior.pollsInProgress` polls, then performs the copy
 * and reports `completed` with `resourceId` — or `failed` (name conflict, source gone, or the test switch
 * `behavior.fail`).
 */

const crypto = require('node:crypto');
const { httpError, SandboxHttpError } = require('../router');
const access = require('./drives-access');

/**
 * @typedef {{ id: string, sourceId: string, parentId: string, name: string, userId: string | null, behavior: string | undefined,
 *   polls: number, status: 'inProgress' | 'completed' | 'failed', resourceId: string | null, error: { code: string, message: string } | null }} CopyOperation
 */

/** @param {import('./drives-access').Env} env */
function createCopyHandlers(env) {
	const { store } = env;
	/** @type {Map<string, CopyOperation>} */
	const operations = new Map();
	/** redirectWhenDone: a finished job answers 303 to the new item on Graph (which needs a token), as some services do. */
	const behavior = { pollsInProgress: 1, fail: false, redirectWhenDone: false };

	/**
	 * @param {import('../router').Context} ctx @param {import('../router').AuthInfo} auth @param {import('./drives-state').Item} source
	 */
	async function startCopy(ctx, auth, source) {
		const body = (await ctx.readJson()) ?? {};
		if (!source.parentId) throw httpError(400, 'invalidRequest', 'The root of a drive cannot be copied.');
		const ref = body.parentReference ?? {};
		const targetDrive = store.getDrive(ref.driveId ?? source.driveId);
		access.assertDriveAccess(env, auth, targetDrive);
		const parent = ref.id ? store.getItem(ref.id, targetDrive.id)
			: ref.path ? store.resolvePath(store.getItem(targetDrive.rootId), String(ref.path).replace(/^\/drives?(?:\/[^/]+)?\/root:/, ''))
				: ref.driveId ? store.getItem(targetDrive.rootId) : /** @type {import('./drives-state').Item} */ (store.parentOf(source));
		if (!parent.isFolder) throw httpError(400, 'invalidRequest', 'parentReference must name a folder.');
		for (let p = /** @type {import('./drives-state').Item | null} */ (parent); p; p = store.parentOf(p)) {
			if (p.id === source.id) throw httpError(400, 'invalidRequest', 'A folder cannot be copied into itself.');
		}
		const name = body.name ?? source.name;
		store.validateName(name);
		const id = crypto.randomUUID();
		operations.set(id, {
			id, sourceId: source.id, parentId: parent.id, name, userId: auth.appOnly ? null : auth.userId,
			behavior: ctx.query['@microsoft.graph.conflictBehavior'], polls: 0, status: 'inProgress', resourceId: null, error: null,
		});
		return ctx.send(202, null, { location: `${ctx.sandbox.filesUrl}/monitor/${id}` });
	}

	/** @param {CopyOperation} op */
	function finish(op) {
		if (behavior.fail) {
			op.status = 'failed';
			op.error = { code: 'generalException', message: 'The copy failed (sandbox test switch).' };
			return;
		}
		try {
			const source = store.getItem(op.sourceId);
			const parent = store.getItem(op.parentId);
			let name = op.name;
			if (op.behavior === 'rename' || op.behavior === 'replace') {
				const resolved = store.resolveConflict(parent, name, op.behavior, 'fail');
				if (resolved.existing) store.deleteItem(resolved.existing);
				name = resolved.name;
			}
			op.resourceId = store.copyItem(source, parent, name, op.userId).id;
			op.status = 'completed';
		} catch (error) {
			op.status = 'failed';
			op.error = error instanceof SandboxHttpError ? { code: error.code, message: error.message } : { code: 'generalException', message: String(error) };
		}
	}

	/** @param {import('../router').Context} ctx */
	function monitor(ctx) {
		const op = operations.get(ctx.params.operationId);
		if (!op) throw httpError(404, 'itemNotFound', 'The copy operation is unknown.');
		if (op.status === 'inProgress') {
			op.polls += 1;
			if (op.polls > behavior.pollsInProgress) finish(op);
		}
		if (op.status === 'inProgress') {
			const percentageComplete = Math.round((op.polls / (behavior.pollsInProgress + 1)) * 100);
			return ctx.json(202, { '@odata.context': 'https://sandbox/$metadata#asyncJobStatus', operation: 'ItemCopy', status: 'inProgress', percentageComplete, resourceId: null });
		}
		if (op.status === 'failed') {
			return ctx.json(200, { operation: 'ItemCopy', status: 'failed', percentageComplete: 100, error: op.error });
		}
		if (behavior.redirectWhenDone) {
			const item = store.getItem(/** @type {string} */ (op.resourceId));
			return ctx.send(303, null, { location: `${ctx.sandbox.graphUrl}/v1.0/drives/${item.driveId}/items/${item.id}` });
		}
		return ctx.json(200, { operation: 'ItemCopy', status: 'completed', percentageComplete: 100, resourceId: op.resourceId });
	}

	/** @param {import('../router').Router} router */
	function register(router) {
		router.add('GET', '/monitor/:operationId', monitor, { host: 'files' });
	}

	return { startCopy, register, behavior, operations };
}

module.exports = { createCopyHandlers };
