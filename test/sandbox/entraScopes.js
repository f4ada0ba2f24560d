// @ts-check
'use strict';

/**
 * Scope parsing as Entra's v2 endpoint does it: OIDC scopes apart, a scope without a resource prefix
 * means Microsoft Graph, one request may name one resource only, `.default` stands alone.
 */

const { OIDC_SCOPES } = require('./permissions');
const { entraErrors } = require('./entraErrors');

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** @typedef {import('./permissions').Resource} Resource */

/** Splits "https://host/Files.Read" into resource id and scope name; bare names belong to Graph. */
function splitScope(/** @type {string} */ scope) {
	const slash = scope.lastIndexOf('/');
	if (slash > 0) {
		const prefix = scope.slice(0, slash).replace(/\/+$/, '');
		if (prefix.includes('://') || GUID.test(prefix) || prefix.startsWith('api://')) {
			return { resourceId: prefix, name: scope.slice(slash + 1) };
		}
	}
	return { resourceId: null, name: scope };
}

/** @param {Resource[]} resources @param {string | null} resourceId */
function findResource(resources, resourceId) {
	if (resourceId === null) return resources.find((resource) => resource.key === 'graph');
	const wanted = resourceId.toLowerCase().replace(/\/+$/, '');
	return resources.find((resource) => resource.identifiers.some((id) => id.toLowerCase().replace(/\/+$/, '') === wanted));
}

/**
 * Groups resource scopes by the resource they name and refuses more than one resource.
 * @param {string[]} scopes
 * @param {string} raw the scope parameter as sent (for messages)
 * @param {Resource[]} resources
 */
function singleResourceScopes(scopes, raw, resources) {
	/** @type {Map<string, { resourceId: string | null, names: string[] }>} */
	const groups = new Map();
	for (const scope of scopes) {
		const { resourceId, name } = splitScope(scope);
		const key = resourceId === null ? '(graph)' : resourceId.toLowerCase();
		const group = groups.get(key) ?? { resourceId, names: [] };
		group.names.push(name);
		groups.set(key, group);
	}
	if (groups.size > 1) {
		// A bare name and any of Graph's identifiers name the same resource; anything else is a second one.
		const ids = new Set([...groups.values()].map((group) => findResource(resources, group.resourceId)?.key ?? String(group.resourceId).toLowerCase()));
		if (ids.size > 1) throw entraErrors.multipleResources(raw);
	}
	return [...groups.values()];
}

/**
 * Delegated request (authorize, auth-code and refresh grants).
 * @param {string} raw scope parameter
 * @param {Resource[]} resources
 * @param {string} tenantLabel for messages
 * @returns {{ oidc: string[], resource: Resource, names: string[], isDefault: boolean }}
 */
function parseDelegatedScopes(raw, resources, tenantLabel) {
	const all = String(raw ?? '').split(/\s+/).filter(Boolean);
	if (all.length === 0) throw entraErrors.missingScope();
	const oidc = all.filter((scope) => OIDC_SCOPES.has(scope.toLowerCase()));
	const rest = all.filter((scope) => !OIDC_SCOPES.has(scope.toLowerCase()));
	const groups = singleResourceScopes(rest, raw, resources);
	const graph = /** @type {Resource} */ (findResource(resources, null));
	if (groups.length === 0) return { oidc, resource: graph, names: [], isDefault: false };

	/** @type {Resource | undefined} */
	let resource;
	/** @type {string[]} */
	const names = [];
	for (const group of groups) {
		const found = findResource(resources, group.resourceId);
		if (!found) throw entraErrors.resourceNotFound(String(group.resourceId), tenantLabel);
		resource = found;
		names.push(...group.names);
	}
	const isDefault = names.includes('.default');
	if (isDefault && names.length > 1) throw entraErrors.invalidScope(rest.join(' '));
	if (!isDefault) {
		for (const name of names) {
			if (!Object.prototype.hasOwnProperty.call(/** @type {Resource} */ (resource).delegated, name)) {
				throw entraErrors.invalidScope(name);
			}
		}
	}
	return { oidc, resource: /** @type {Resource} */ (resource), names: [...new Set(names)], isDefault };
}

/**
 * Client-credentials request: exactly one `{resource}/.default`.
 * @param {string} raw @param {Resource[]} resources @param {string} tenantLabel
 * @returns {Resource}
 */
function parseApplicationScope(raw, resources, tenantLabel) {
	const all = String(raw ?? '').split(/\s+/).filter(Boolean);
	if (all.length === 0) throw entraErrors.missingScope();
	const groups = singleResourceScopes(all, raw, resources);
	for (const scope of all) {
		const { resourceId, name } = splitScope(scope);
		if (resourceId === null || name !== '.default') throw entraErrors.clientCredentialsNeedDefault(scope);
	}
	const resource = findResource(resources, groups[0].resourceId);
	if (!resource) throw entraErrors.resourceNotFound(String(groups[0].resourceId), tenantLabel);
	return resource;
}

module.exports = { parseDelegatedScopes, parseApplicationScope, splitScope, findResource };
