// @ts-check
'use strict';

/**
 * Mail folders: `GET|POST /mailFolders`, `GET|PATCH|DELETE /mailFolders/{id|well-known name}`,
 * `GET|POST /mailFolders/{id}/childFolders`. Lists hold the direct children (top level: children of
 * msgfolderroot) sorted by name, 10 a page by default ($top up to 1000, $skip), hidden folders only with
 * `includeHiddenFolders=true`. Duplicate names among siblings → 409 ErrorFolderExists; deleting a
 * well-known folder → 400 ErrorDeleteDistinguishedFolder.
 */

const { httpError } = require('../router');
const { readObject } = require('./outlook-access');
const { compileFilter, applySelect, pageBySkip } = require('./outlook-odata');
const { FOLDER_ENTITY, folderJson } = require('./mail-json');
const { isWellFormedId } = require('./outlook-store');

const FOLDER = '(?:mailFolders)/(?<folderId>[^/]+)';

/**
 * A folder by id or well-known name; 400 ErrorInvalidIdMalformed / 404 ErrorItemNotFound like Exchange.
 * @param {import('./outlook-store').OutlookStore} store @param {import('./outlook-store').Mailbox} mailbox @param {string} idOrName
 */
function findFolder(store, mailbox, idOrName) {
	const folder = store.folder(mailbox, idOrName);
	if (folder) return folder;
	if (!isWellFormedId(idOrName) && !/^[a-z]+$/i.test(idOrName)) throw httpError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
	throw httpError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
}

/**
 * @param {import('../router').Router} router
 * @param {{ store: import('./outlook-store').OutlookStore, access: ReturnType<typeof import('./outlook-access').createAccess> }} env
 */
function registerFolderRoutes(router, env) {
	const { store, access } = env;

	/** @param {import('./outlook-access').Call} call @param {string} parentId */
	const list = (call, parentId) => {
		const { ctx, mailbox } = call;
		const hidden = Object.entries(ctx.query).some(([key, value]) => key.toLowerCase() === 'includehiddenfolders' && value.toLowerCase() === 'true');
		let folders = store.childFolders(mailbox, parentId).filter((f) => hidden || !f.isHidden).map((f) => folderJson(f, store, mailbox));
		if (ctx.query.$filter) {
			const filter = compileFilter(ctx.query.$filter, FOLDER_ENTITY);
			folders = folders.filter((f) => filter.test(f));
		}
		const { slice, nextLink } = pageBySkip(ctx, folders);
		/** @type {Record<string, any>} */
		const body = { '@odata.context': `${ctx.sandbox.graphUrl}/v1.0/$metadata#users('${mailbox.id}')/mailFolders` };
		body.value = slice.map((f) => applySelect(f, ctx.query.$select, FOLDER_ENTITY));
		if (nextLink) body['@odata.nextLink'] = nextLink;
		return ctx.json(200, body);
	};

	/** @param {import('./outlook-access').Call} call @param {string} parentId */
	const create = async (call, parentId) => {
		const { ctx, mailbox } = call;
		const body = await readObject(ctx);
		const name = body.displayName;
		if (typeof name !== 'string' || name.trim() === '') throw httpError(400, 'ErrorInvalidRequest', 'The displayName property is required to create a folder.');
		assertFreeName(mailbox, parentId, name, null);
		const folder = store.addFolder(mailbox, parentId, name, { hidden: body.isHidden === true });
		return ctx.json(201, { '@odata.context': `${ctx.sandbox.graphUrl}/v1.0/$metadata#users('${mailbox.id}')/mailFolders/$entity`, ...folderJson(folder, store, mailbox) });
	};

	/** @param {import('./outlook-store').Mailbox} mailbox @param {string} parentId @param {string} name @param {string | null} self */
	const assertFreeName = (mailbox, parentId, name, self) => {
		if (store.childFolders(mailbox, parentId).some((f) => f.id !== self && f.displayName.toLowerCase() === name.toLowerCase())) {
			throw httpError(409, 'ErrorFolderExists', `A folder with the specified name already exists., Could not create folder '${name}'.`);
		}
	};

	access.route(router, 'GET', 'mailFolders', 'mail.read', (call) => list(call, call.mailbox.rootId));
	access.route(router, 'POST', 'mailFolders', 'mail.write', (call) => create(call, call.mailbox.rootId));
	access.route(router, 'GET', `${FOLDER}/childFolders`, 'mail.read', (call) => list(call, findFolder(store, call.mailbox, call.params.folderId).id));
	access.route(router, 'POST', `${FOLDER}/childFolders`, 'mail.write', (call) => create(call, findFolder(store, call.mailbox, call.params.folderId).id));

	access.route(router, 'GET', FOLDER, 'mail.read', ({ ctx, mailbox, params }) => {
		const folder = findFolder(store, mailbox, params.folderId);
		const json = folderJson(folder, store, mailbox);
		return ctx.json(200, { '@odata.context': `${ctx.sandbox.graphUrl}/v1.0/$metadata#users('${mailbox.id}')/mailFolders/$entity`, ...applySelect(json, ctx.query.$select, FOLDER_ENTITY) });
	});

	access.route(router, 'PATCH', FOLDER, 'mail.write', async ({ ctx, mailbox, params }) => {
		const folder = findFolder(store, mailbox, params.folderId);
		const body = await readObject(ctx);
		if (body.displayName !== undefined) {
			if (typeof body.displayName !== 'string' || body.displayName.trim() === '') throw httpError(400, 'ErrorInvalidRequest', 'displayName cannot be empty.');
			if (folder.wellKnownName) throw httpError(400, 'ErrorCannotRenameDistinguishedFolder', 'Distinguished folders cannot be renamed.');
			assertFreeName(mailbox, folder.parentFolderId, body.displayName, folder.id);
			folder.displayName = body.displayName;
		}
		return ctx.json(200, { '@odata.context': `${ctx.sandbox.graphUrl}/v1.0/$metadata#users('${mailbox.id}')/mailFolders/$entity`, ...folderJson(folder, store, mailbox) });
	});

	access.route(router, 'DELETE', FOLDER, 'mail.write', ({ ctx, mailbox, params }) => {
		const folder = findFolder(store, mailbox, params.folderId);
		if (folder.wellKnownName) throw httpError(400, 'ErrorDeleteDistinguishedFolder', 'Distinguished folders cannot be deleted.');
		store.deleteFolder(mailbox, folder);
		return ctx.send(204, null);
	});
}

module.exports = { registerFolderRoutes, findFolder };
