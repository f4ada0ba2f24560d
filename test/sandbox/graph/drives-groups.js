// @ts-check
'use strict';

/**
 * `GET /v1.0/groups` and `/v1.0/groups/{id}` for the groups the drive seed creates (a group drive picker
 * lists them). Needs Group.Read.All / Directory.Read.All like Graph; `$filter` startswith(displayName,'…') /
 * `displayName eq '…'` / `mailNickname eq '…'` with `''` quoting, `$select`, `$top` (1–999) and paging.
 */

const { httpError } = require('../router');
const { nextLinkFor } = require('./drives-paging');

const GROUP_READ = {
	scopes: ['Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'GroupMember.Read.All'],
	roles: ['Group.Read.All', 'Group.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All', 'GroupMember.Read.All'],
};
const GROUP_PROPERTIES = ['id', 'displayName', 'description', 'mail', 'mailNickname', 'mailEnabled', 'securityEnabled', 'groupTypes', 'visibility', 'createdDateTime'];

/** @param {import('./drives-state').Group} group @param {string} domain */
function groupJson(group, domain) {
	const unified = group.driveId !== '';
	return {
		id: group.id, displayName: group.displayName, description: `${group.displayName} team`,
		mail: unified ? `${group.mailNickname}@${domain}` : null, mailNickname: group.mailNickname, mailEnabled: unified,
		securityEnabled: !unified, groupTypes: unified ? ['Unified'] : [], visibility: unified ? 'Private' : null,
		createdDateTime: '2024-01-15T09:00:00Z',
	};
}

/** @param {string | undefined} filter @returns {(json: Record<string, any>) => boolean} */
function compileGroupFilter(filter) {
	if (!filter) return () => true;
	const literal = "'((?:[^']|'')*)'";
	let m;
	if ((m = new RegExp(`^startswith\\(\\s*(displayName|mailNickname|mail)\\s*,\\s*${literal}\\s*\\)$`, 'i').exec(filter.trim()))) {
		const [key, value] = [m[1], m[2].replace(/''/g, "'").toLowerCase()];
		return (json) => String(json[key] ?? '').toLowerCase().startsWith(value);
	}
	if ((m = new RegExp(`^(displayName|mailNickname|mail|id)\\s+eq\\s+${literal}$`, 'i').exec(filter.trim()))) {
		const [key, value] = [m[1], m[2].replace(/''/g, "'").toLowerCase()];
		return (json) => String(json[key] ?? '').toLowerCase() === value;
	}
	throw httpError(400, 'Request_UnsupportedQuery', `Unsupported query: $filter "${filter}".`);
}

/** @param {Record<string, any>} json @param {string | undefined} select */
function selectGroup(json, select) {
	if (!select) return json;
	/** @type {Record<string, unknown>} */
	const out = {};
	for (const name of select.split(',').map((s) => s.trim()).filter(Boolean)) {
		if (!GROUP_PROPERTIES.includes(name)) throw httpError(400, 'Request_BadRequest', `Could not find a property named '${name}' on type 'microsoft.graph.group'.`);
		out[name] = json[name];
	}
	return out;
}

/**
 * @param {import('../router').Router} router
 * @param {{ store: import('./drives-state').DriveStore, state: any }} env
 */
function registerGroupRoutes(router, env) {
	/** @param {string} tenantId */
	const domainOf = (tenantId) => {
		const tenant = env.state.tenants.get(tenantId);
		return tenant?.domains.find((/** @type {string} */ d) => d.endsWith('.onmicrosoft.com')) ?? tenant?.domains[0] ?? 'example.com';
	};

	router.add('GET', '/v1.0/groups', (ctx) => {
		const auth = ctx.requireAuth(GROUP_READ);
		const top = ctx.query.$top === undefined ? 100 : Number(ctx.query.$top);
		if (!Number.isInteger(top) || top < 1 || top > 999) throw httpError(400, 'Request_BadRequest', 'Invalid page size: $top must be from 1 to 999.');
		const matches = compileGroupFilter(ctx.query.$filter);
		const all = [...env.store.groups.values()]
			.filter((g) => g.tenantId === auth.tenantId)
			.map((g) => groupJson(g, domainOf(g.tenantId)))
			.filter(matches)
			.sort((a, b) => a.displayName.localeCompare(b.displayName));
		let offset = 0;
		if (ctx.query.$skiptoken) {
			offset = Number(Buffer.from(ctx.query.$skiptoken, 'base64url').toString('utf8').replace(/^groups:/, ''));
			if (!Number.isInteger(offset) || offset < 0) throw httpError(400, 'Request_BadRequest', 'Invalid $skiptoken.');
		}
		/** @type {Record<string, unknown>} */
		const body = {
			'@odata.context': `${ctx.sandbox.graphUrl}/v1.0/$metadata#groups`,
			value: all.slice(offset, offset + top).map((g) => selectGroup(g, ctx.query.$select)),
		};
		if (offset + top < all.length) body['@odata.nextLink'] = nextLinkFor(ctx, Buffer.from(`groups:${offset + top}`).toString('base64url'));
		return ctx.json(200, body);
	});

	router.add('GET', '/v1.0/groups/:groupId', (ctx) => {
		const auth = ctx.requireAuth(GROUP_READ);
		const group = env.store.groups.get(ctx.params.groupId);
		if (!group || group.tenantId !== auth.tenantId) {
			throw httpError(404, 'Request_ResourceNotFound', `Resource '${ctx.params.groupId}' does not exist or one of its queried reference-property objects are not present.`);
		}
		return ctx.json(200, selectGroup(groupJson(group, domainOf(group.tenantId)), ctx.query.$select));
	});
}

module.exports = { registerGroupRoutes, GROUP_READ };
