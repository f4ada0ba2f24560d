// @ts-check
'use strict';
/**
 * The multipart/mixed reading and writing that OData `$batch` shares on every sandbox host (Dataverse, Finance &
 * Operations, Business Central): boundaries, parts, a part's header block, and a response body as text. Each host
 * keeps its own rules (limits, error codes, change-set semantics) in its own `*-batch.js`.
 */

/** The boundary parameter of a multipart Content-Type, quoted or not. @param {string} contentType */
function boundaryOf(contentType) {
	const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
	return match ? (match[1] ?? match[2]) : undefined;
}

/**
 * Parts between `--boundary` lines (preamble and epilogue dropped); null when the closing boundary is missing.
 * @param {string} text @param {string} boundary
 */
function splitParts(text, boundary) {
	const escaped = boundary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	const delimiter = new RegExp(`(?:^|\\r?\\n)--${escaped}(--)?[ \\t]*(?:\\r?\\n|$)`, 'g');
	/** @type {string[]} */
	const parts = [];
	/** @type {number | undefined} */
	let start;
	for (let match = delimiter.exec(text); match; match = delimiter.exec(text)) {
		if (start !== undefined) parts.push(text.slice(start, match.index));
		if (match[1]) return parts;
		start = match.index + match[0].length;
	}
	return null;
}

/** Header block (lower-case names) up to the first blank line, and the rest. @param {string} text */
function splitHead(text) {
	const match = /(?:^|\r?\n)\r?\n/.exec(text);
	const head = match ? text.slice(0, match.index) : text;
	/** @type {Record<string, string>} */
	const headers = {};
	const lines = head ? head.split(/\r?\n/) : [];
	for (const line of lines) {
		const colon = line.indexOf(':');
		if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
	}
	return { lines, headers, rest: match ? text.slice(match.index + match[0].length) : '' };
}

/** A whole response body as text (buffer or stream). @param {import('./router').SandboxResponse} response */
async function bodyText(response) {
	if (!response.body) return '';
	if (Buffer.isBuffer(response.body)) return response.body.toString('utf8');
	/** @type {Buffer[]} */
	const chunks = [];
	for await (const chunk of response.body) chunks.push(Buffer.from(chunk));
	return Buffer.concat(chunks).toString('utf8');
}

module.exports = { boundaryOf, splitParts, splitHead, bodyText };
