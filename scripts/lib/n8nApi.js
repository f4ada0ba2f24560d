// @ts-check
'use strict';
/**
 * n8n's internal REST API as the editor uses it: owner setup, login (cookie + browser-id), credentials,
 * credential test, OAuth2 connect, workflows, resource-locator search, node and credential type lists.
 * Differences between n8n 1.x and 2.x are handled here, next to the call they affect.
 */
const crypto = require('node:crypto');

const OWNER = {
	email: 'owner@example.com',
	firstName: 'Dev',
	lastName: 'Owner',
	// n8n requires 8+ characters with a number and an upper-case letter.
	password: 'Sandbox-Owner-2026',
};

class N8nApiError extends Error {
	constructor(method, path, status, body) {
		super(`${method} ${path} → ${status}: ${typeof body === 'string' ? body.slice(0, 500) : JSON.stringify(body).slice(0, 500)}`);
		this.status = status;
		this.body = body;
	}
}

class N8nApi {
	/** @param {string} baseUrl e.g. http://127.0.0.1:5678 */
	constructor(baseUrl) {
		this.baseUrl = baseUrl;
		// n8n binds the session to this header: every call of one session must send the same value.
		this.browserId = crypto.randomUUID();
		/** @type {string | undefined} */
		this.cookie = undefined;
		/** @type {string | undefined} */
		this.projectId = undefined;
	}

	headers(extra = {}) {
		/** @type {Record<string, string>} */
		const headers = { 'browser-id': this.browserId, ...extra };
		if (this.cookie) headers.cookie = this.cookie;
		return headers;
	}

	/** A REST call; returns the `data` member of n8n's `{ data }` envelope (or the whole body when absent). */
	async request(method, path, body, { raw = false } = {}) {
		const send = () =>
			fetch(`${this.baseUrl}${path}`, {
				method,
				headers: this.headers(body === undefined ? {} : { 'content-type': 'application/json' }),
				body: body === undefined ? undefined : JSON.stringify(body),
				redirect: 'manual',
			});
		// n8n sometimes closes a kept-alive connection right after a large answer (the node-type list): the next
		// request on it fails with "other side closed" before n8n read it, so it is sent once more on a new one.
		const response = await send().catch((error) => {
			if (!['UND_ERR_SOCKET', 'ECONNRESET'].includes(error?.cause?.code)) throw error;
			return send();
		});
		this.keepCookie(response);
		const text = await response.text();
		/** @type {any} */
		let parsed = text;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			// HTML or plain text: keep as is.
		}
		if (raw) return { status: response.status, headers: response.headers, body: parsed };
		if (!response.ok) throw new N8nApiError(method, path, response.status, parsed);
		return parsed !== null && typeof parsed === 'object' && 'data' in parsed ? parsed.data : parsed;
	}

	keepCookie(response) {
		const setCookies = typeof response.headers.getSetCookie === 'function' ? response.headers.getSetCookie() : [];
		for (const entry of setCookies) {
			const [pair] = entry.split(';');
			if (pair.startsWith('n8n-auth=')) this.cookie = pair;
		}
	}

	/** Creates the owner on a fresh instance (idempotent: logs in when one exists). */
	async setupOwnerAndLogin(owner = OWNER) {
		const settings = await this.request('GET', '/rest/settings');
		const needsSetup = settings?.userManagement?.showSetupOnFirstLoad !== false;
		if (needsSetup) {
			await this.request('POST', '/rest/owner/setup', owner);
		}
		await this.login(owner);
		return owner;
	}

	async login(owner = OWNER) {
		// 2.x (and late 1.x) call the field emailOrLdapLoginId; older 1.x called it email. Both are sent.
		await this.request('POST', '/rest/login', { emailOrLdapLoginId: owner.email, email: owner.email, password: owner.password });
		if (!this.cookie) throw new Error('n8n did not set the n8n-auth cookie on login');
	}

	async personalProjectId() {
		if (!this.projectId) this.projectId = (await this.request('GET', '/rest/projects/personal')).id;
		return this.projectId;
	}

	/** @returns {Promise<{ id: string, name: string, type: string }>} */
	async createCredential({ name, type, data }) {
		const projectId = await this.personalProjectId();
		return this.request('POST', '/rest/credentials', { name, type, data, projectId });
	}

	/** Credential with its (redacted) data. */
	async getCredential(id) {
		return this.request('GET', `/rest/credentials/${encodeURIComponent(id)}?includeData=true`);
	}

	/** n8n's "Test" button: `{ status: 'OK' | 'Error', message }`. */
	async testCredential({ id, name, type, data }) {
		return this.request('POST', '/rest/credentials/test', { credentials: { id, name, type, data } });
	}

	/**
	 * Drives n8n's OAuth2 "Connect" button headlessly: n8n builds the authorize URL, the sign-in server (the
	 * sandbox auto-consents) redirects to n8n's callback, n8n exchanges the code and stores the token.
	 * Returns the authorize URL n8n built, the callback URL and whether n8n reported success.
	 */
	async connectOAuth2(credentialId) {
		const authorizeUrl = await this.request('GET', `/rest/oauth2-credential/auth?id=${encodeURIComponent(credentialId)}`);
		if (typeof authorizeUrl !== 'string') throw new Error(`n8n returned no authorize URL: ${JSON.stringify(authorizeUrl)}`);
		const consent = await fetch(authorizeUrl, { redirect: 'manual' });
		const location = consent.headers.get('location');
		if (consent.status < 300 || consent.status >= 400 || !location) {
			throw new Error(`authorize endpoint answered ${consent.status} without a redirect: ${(await consent.text()).slice(0, 500)}`);
		}
		const callbackUrl = new URL(location, authorizeUrl);
		if (callbackUrl.searchParams.has('error')) {
			throw new Error(`sign-in failed: ${callbackUrl.searchParams.get('error')}: ${callbackUrl.searchParams.get('error_description')}`);
		}
		// The callback is answered on n8n's own origin; the editor's session cookie goes with it as in a browser.
		const callback = await fetch(callbackUrl, { headers: this.headers(), redirect: 'manual' });
		const page = await callback.text();
		// n8n answers 200 either way: its error page says "Failed to connect" with the reason in an <h4>.
		const failure = /Failed to connect/.test(page) ? (page.match(/<h4>([\s\S]*?)<\/h4>/)?.[1] ?? 'unknown error').trim() : undefined;
		return { authorizeUrl, callbackUrl: callbackUrl.toString(), status: callback.status, connected: callback.status === 200 && !failure, failure, page };
	}

	/** @returns {Promise<any>} the stored workflow (with id and versionId) */
	async createWorkflow(workflow) {
		const projectId = await this.personalProjectId();
		const { id: _ignoredId, active: _ignoredActive, ...rest } = workflow;
		return this.request('POST', '/rest/workflows', { settings: { executionOrder: 'v1' }, connections: {}, ...rest, active: false, projectId });
	}

	/** Activates a workflow: 2.x has its own endpoint, 1.x sets `active` with the current version id. */
	async activateWorkflow(id) {
		const current = await this.request('GET', `/rest/workflows/${encodeURIComponent(id)}`);
		const attempt = await this.request('POST', `/rest/workflows/${encodeURIComponent(id)}/activate`, { versionId: current.versionId }, { raw: true });
		if (attempt.status >= 200 && attempt.status < 300) return attempt.body?.data ?? attempt.body;
		if (attempt.status !== 404) throw new N8nApiError('POST', `/rest/workflows/${id}/activate`, attempt.status, attempt.body);
		return this.request('PATCH', `/rest/workflows/${encodeURIComponent(id)}`, { active: true, versionId: current.versionId });
	}

	/** Deactivates a workflow (same 2.x / 1.x split as activation). */
	async deactivateWorkflow(id) {
		const current = await this.request('GET', `/rest/workflows/${encodeURIComponent(id)}`);
		const attempt = await this.request('POST', `/rest/workflows/${encodeURIComponent(id)}/deactivate`, { versionId: current.versionId }, { raw: true });
		if (attempt.status >= 200 && attempt.status < 300) return attempt.body?.data ?? attempt.body;
		if (attempt.status !== 404) throw new N8nApiError('POST', `/rest/workflows/${id}/deactivate`, attempt.status, attempt.body);
		return this.request('PATCH', `/rest/workflows/${encodeURIComponent(id)}`, { active: false, versionId: current.versionId });
	}

	/** Executions of one workflow, newest first (`[{ id, status, mode, startedAt, … }]`). */
	async listExecutions(workflowId) {
		const filter = encodeURIComponent(JSON.stringify({ workflowId: String(workflowId) }));
		const page = await this.request('GET', `/rest/executions?filter=${filter}&limit=50`);
		return Array.isArray(page) ? page : page?.results ?? [];
	}

	/** One execution with its run data; n8n sends `data` serialised with `flatted` (kept as sent). */
	async getExecution(id) {
		return this.request('GET', `/rest/executions/${encodeURIComponent(id)}`);
	}

	/** Node types the editor knows (ours appear as `n8n-nodes-microsoft-365.<name>`). */
	async nodeTypeNames() {
		const list = await this.request('GET', '/types/nodes.json');
		return new Set((Array.isArray(list) ? list : []).map((node) => node.name));
	}

	async credentialTypeNames() {
		const list = await this.request('GET', '/types/credentials.json');
		return new Set((Array.isArray(list) ? list : []).map((credential) => credential.name));
	}

	/**
	 * What the editor calls for a resource-locator picker (list mode, search, next page).
	 * @param {{ nodeType: string, nodeVersion: number, parameter: string, methodName: string, credentials: Record<string, { id: string, name: string }>, currentNodeParameters?: object, filter?: string, paginationToken?: unknown }} query
	 */
	async resourceLocatorSearch(query) {
		const projectId = await this.personalProjectId();
		return this.request('POST', '/rest/dynamic-node-parameters/resource-locator-results', {
			path: `parameters.${query.parameter}`,
			nodeTypeAndVersion: { name: query.nodeType, version: query.nodeVersion },
			methodName: query.methodName,
			filter: query.filter,
			paginationToken: query.paginationToken,
			currentNodeParameters: query.currentNodeParameters || {},
			credentials: query.credentials,
			projectId,
		});
	}
}

module.exports = { N8nApi, N8nApiError, OWNER };
