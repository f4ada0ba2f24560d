// @ts-check
'use strict';

/**
 * /_sandbox/* control routes on the api host, for tests that drive the sandbox from another process
 * (n8n end-to-end runs): faults, the request log, violations and token revocation. No auth: local only.
 */

const { httpError } = require('./router');

/**
 * @param {import('./router').Router} router
 * @param {{ state: import('./state').SandboxState, faults: import('./faults').Faults }} sandbox
 */
function register(router, sandbox) {
	const { state, faults } = sandbox;
	const plain = { 'content-type': 'application/json; charset=utf-8' };

	router.add('POST', '/_sandbox/faults', async (ctx) => {
		const spec = await ctx.readJson();
		try {
			const fault = faults.add(spec);
			return ctx.json(201, { id: fault.id }, plain);
		} catch (error) {
			throw httpError(400, 'BadRequest', error instanceof Error ? error.message : String(error));
		}
	});
	router.add('GET', '/_sandbox/faults', (ctx) => ctx.json(200, faults.toJSON(), plain));
	router.add('DELETE', '/_sandbox/faults', (ctx) => {
		faults.reset();
		/** @type {any} */ (state).tokenFaults?.reset();
		return ctx.send(204, null);
	});
	router.add('GET', '/_sandbox/requests', (ctx) => ctx.json(200, state.requests, plain));
	router.add('DELETE', '/_sandbox/requests', (ctx) => {
		state.requests.length = 0;
		return ctx.send(204, null);
	});
	router.add('GET', '/_sandbox/violations', (ctx) => ctx.json(200, state.violations, plain));
	router.add('POST', '/_sandbox/revoke-tokens', (ctx) => {
		state.revokeAllTokens();
		return ctx.send(204, null);
	});
}

module.exports = { register };
