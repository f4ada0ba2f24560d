// @ts-check
'use strict';

/**
 * `GET /v1.0/groups/{id}/members` for the groups of the drive seed (Marketing: every user of its tenant; Marketing
 * Approvers: the first): the members as `#microsoft.graph.user` objects, `$select` of user properties, `$top` (1–999,
 * default 100) and paging by `@odata.nextLink` with an opaque `$skiptoken`. Permissions as Graph documents them:
 * GroupMember.Read.All, Group.Read.All, Directory.Read.All (delegated or application; also their ReadWrite forms).
 * Unknown groups and groups of another tenant are 404. Members of other kinds (devices, groups, service principals),
 * `$filter`, `$count` and `/members/microsoft.graph.user` casts are not modelled.
 */

const { httpError } = require('../router');
const { USER_DEFAULT_PROPERTIES } = require('./core');

const MEMBER_READ = ['GroupMember.Read.All', 'Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const SELECTABLE = [...USER_DEFAULT_PROPERTIES, 'accountEnabled', 'userType'];

/** @param {import('../router').Router} router @param {any} sandbox */
function register(router, sandbox) {
	router.add('GET', '/v1.0/groups/:groupId/members', (ctx) => {
		const auth = ctx.requireAuth({ scopes: MEMBER_READ, roles: MEMBER_READ });
		/** @type {{ tenantId: string, memberIds: Set<string> } | undefined} */
		const group = /** @type {any} */ (sandbox.drives?.store)?.groups?.get(ctx.params.groupId);
		if (!group || group.tenantId !== auth.tenantId) {
			throw httpError(404, 'Request_ResourceNotFound', `Resource '${ctx.params.groupId}' does not exist or one of its queried reference-property objects are not present.`);
		}
		const top = ctx.query.$top === undefined ? 100 : Number(ctx.query.$top);
		if (!Number.isInteger(top) || top < 1 || top > 999) throw httpError(400, 'Request_BadRequest', 'Invalid page size specified: the $top value must be between 1 and 999.');
		const select = ctx.query.$select ? ctx.query.$select.split(',').map((name) => name.trim()).filter(Boolean) : null;
		for (const name of select ?? []) if (!SELECTABLE.includes(name)) throw httpError(400, 'Request_BadRequest', `Could not find a property named '${name}' on type 'microsoft.graph.directoryObject'.`);
		let offset = 0;
		if (ctx.query.$skiptoken) {
			offset = Number(Buffer.from(ctx.query.$skiptoken, 'base64url').toString('utf8').replace(/^members:/, ''));
			if (!Number.isInteger(offset) || offset < 0) throw httpError(400, 'Request_BadRequest', 'Invalid $skiptoken.');
		}
		const members = [...group.memberIds].map((id) => sandbox.state.users.get(id)).filter(Boolean).sort((a, b) => a.userPrincipalName.localeCompare(b.userPrincipalName));
		const view = (/** @type {Record<string, any>} */ user) => {
			/** @type {Record<string, unknown>} */
			const json = { '@odata.type': '#microsoft.graph.user' };
			for (const name of select ?? USER_DEFAULT_PROPERTIES) json[name] = name === 'businessPhones' ? (user.businessPhones ?? []) : name === 'accountEnabled' ? true : name === 'userType' ? 'Member' : (user[name] ?? null);
			return json;
		};
		/** @type {Record<string, unknown>} */
		const body = { '@odata.context': `${ctx.sandbox.graphUrl}/v1.0/$metadata#directoryObjects`, value: members.slice(offset, offset + top).map(view) };
		if (offset + top < members.length) {
			const params = new URLSearchParams();
			for (const [key, value] of Object.entries(ctx.query)) if (key !== '$skiptoken') params.set(key, value);
			params.set('$skiptoken', Buffer.from(`members:${offset + top}`).toString('base64url'));
			body['@odata.nextLink'] = `${ctx.sandbox.graphUrl}${ctx.path}?${params.toString().replace(/%24/g, '$')}`;
		}
		return ctx.json(200, body);
	});
}

module.exports = { register };
