/**
 * Guards for user values before they become part of a request: text that is not well-formed Unicode,
 * URL path segments that would move a request to another resource, header values that would split a
 * request. Each throws an `InputValueError` naming the field; `toNodeApiError` turns it into a
 * NodeOperationError for the item, so nothing is sent.
 */

export class InputValueError extends Error {
	constructor(
		/** The field as the user sees it ("Site", "File Name", "MIME Type"). */
		readonly field: string,
		/** What is wrong, completing `"<field>" ...`. */
		readonly problem: string,
		/** What to do instead. */
		readonly hint: string,
	) {
		super(`"${field}" ${problem}`);
		this.name = 'InputValueError';
	}
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Is this text well-formed Unicode (no lone surrogates, which cannot be encoded as UTF-8)? */
export function isWellFormedText(value: string): boolean {
	return !LONE_SURROGATE.test(value);
}

/** Returns the text, or throws naming the field when it holds a lone surrogate (broken emoji, cut text). */
export function assertWellFormedText(value: string, field: string): string {
	if (!isWellFormedText(value)) {
		throw new InputValueError(
			field,
			'contains a broken character (an unpaired UTF-16 surrogate)',
			'The text was probably cut in the middle of an emoji or another character outside the basic range; fix the value or the expression that builds it.',
		);
	}
	return value;
}

/** Percent-decodes until stable (a server may decode more than once); undefined if an escape is broken. */
function fullyDecoded(value: string): string | undefined {
	let current = value;
	for (let round = 0; round < 4; round++) {
		let next: string;
		try {
			next = decodeURIComponent(current);
		} catch {
			return undefined;
		}
		if (next === current) return current;
		current = next;
	}
	return current;
}

/** The forms a server may see: as typed, percent-decoded, compatibility-normalised (full-width `．` → `.`). */
function readings(value: string): string[] {
	const decoded = fullyDecoded(value) ?? value;
	return [value, decoded, value.normalize('NFKC'), decoded.normalize('NFKC')];
}

const DOT_SEGMENT = /^\s*\.{1,2}\s*$/;

/** Why `value` cannot be one URL path segment, or undefined when it can. */
export function pathSegmentProblem(value: unknown): string | undefined {
	if (value === undefined || value === null) return 'is empty';
	const text = String(value);
	if (text.trim() === '') return 'is empty';
	if (!isWellFormedText(text)) return 'contains a broken character (an unpaired UTF-16 surrogate)';
	for (const reading of readings(text)) {
		// A lone `.`/`..`, also when it hides between (encoded) slashes: `a%2F..%2Fb`.
		if (reading.split(/[/\\]/).some((part) => DOT_SEGMENT.test(part))) {
			return `is or contains "${text.trim()}", a "." or ".." path segment that would address another resource`;
		}
	}
	return undefined;
}

/**
 * One URL path segment, encoded. Refuses empty, `.` and `..` (also percent-encoded, full-width or between
 * encoded slashes) and broken Unicode, because the URL parser or the server would otherwise collapse the
 * segment and send the request to another resource. Stricter than encodeURIComponent: also encodes
 * `! ' ( ) *`, which delimit OData keys and function parameters inside paths.
 */
export function encodePathSegment(value: string, field: string): string {
	const problem = pathSegmentProblem(value);
	if (problem) {
		throw new InputValueError(
			field,
			problem,
			'Use the ID, name or path of the item itself. Values such as ".", ".." or an empty value (also when they come from an expression) are refused so that a request can never reach another resource.',
		);
	}
	return encodeUriText(value);
}

/** Encodes text for use inside a path (e.g. an OData function parameter), without the segment checks. */
export function encodeUriText(value: string): string {
	return encodeURIComponent(String(value)).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

const HEADER_BREAK = /[\r\n\0]/;

/** Throws when a header value (or name) would split the request: CR, LF or NUL. */
export function assertHeaderValue(name: string, value: string, field = `Header ${name}`): void {
	if (HEADER_BREAK.test(name) || HEADER_BREAK.test(value) || !isWellFormedText(value)) {
		throw new InputValueError(
			field,
			'contains a line break or control character',
			'Header values must be one line of text; remove line breaks (\\r, \\n) from the value or the expression that builds it.',
		);
	}
}
