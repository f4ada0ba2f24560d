// @ts-check
'use strict';
const assert = require('node:assert/strict');

/**
 * Delegated Graph: "Return All Pages" over Alice's drive root one item a page (each page a request, each child one
 * output item), then Response Format binary on /content: Graph's 302 is followed to the files host without the token,
 * on both n8n lines (a delegated run sends the token it holds through n8n's plain request helper, which keeps the
 * redirect's Location also on n8n 1.x — 1.x's authenticated helper drops it).
 */
module.exports = {
	requires: ['n8n-nodes-microsoft-365.microsoft365Request'],
	async before(ctx) {
		await ctx.sandboxRequest('DELETE', '/_sandbox/requests');
	},
	async check(ctx, result) {
		const listed = result.items('List Root');
		assert.ok(listed.length >= 2, `expected every root child, got ${JSON.stringify(listed)}`);
		assert.equal(new Set(listed.map((item) => item.id)).size, listed.length, 'each child once');
		assert.ok(listed.some((item) => item.name === 'hello.txt'));
		// Pages of one: a request per child, every one after the first from @odata.nextLink, the last without a next link.
		const requests = await ctx.sandboxRequest('GET', '/_sandbox/requests');
		const pages = requests.filter((r) => r.host === 'api' && /\/root\/children$/.test(r.path));
		assert.equal(pages.length, listed.length, 'one request per page of one');
		assert.ok(pages.slice(1).every((r) => new URLSearchParams(r.query).has('$skiptoken')));

		const hops = requests.filter((r) => /hello\.txt|\/download\//.test(r.path)).map((r) => `${r.host} ${r.hasAuthorization} ${r.status}`);
		assert.deepEqual(await ctx.sandboxRequest('GET', '/_sandbox/violations'), []);
		const [file] = result.binaries('Download', 'file');
		assert.equal(file.fileName, 'hello.txt');
		assert.deepEqual(hops, ['api true 302', 'files false 200']);
	},
};
