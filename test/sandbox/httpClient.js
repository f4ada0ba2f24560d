// @ts-check
'use strict';

/**
 * A raw HTTPS client for sandbox tests: no redirects followed, no retries, the sandbox CA trusted
 * explicitly (so raw tests work even without NODE_EXTRA_CA_CERTS).
 */

const https = require('node:https');

/**
 * @param {string} url
 * @param {{ method?: string, headers?: Record<string, string>, body?: string | Buffer, ca?: string }} [options]
 * @returns {Promise<{ status: number, headers: import('node:http').IncomingHttpHeaders, text: string, json: any }>}
 */
function sandboxRequest(url, options = {}) {
	return new Promise((resolve, reject) => {
		const req = https.request(url, { method: options.method ?? 'GET', headers: options.headers ?? {}, ca: options.ca, agent: false }, (res) => {
			/** @type {Buffer[]} */
			const chunks = [];
			res.on('data', (chunk) => chunks.push(chunk));
			res.on('error', reject);
			res.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				let json;
				try {
					json = text ? JSON.parse(text) : undefined;
				} catch {
					json = undefined;
				}
				resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
			});
		});
		req.on('error', reject);
		if (options.body !== undefined) req.write(options.body);
		req.end();
	});
}

/** application/x-www-form-urlencoded body. @param {Record<string, string>} fields */
function form(fields) {
	return new URLSearchParams(fields).toString();
}

module.exports = { sandboxRequest, form };
