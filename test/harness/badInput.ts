/**
 * Bad values every node must refuse before sending anything, and a runner that tries each of them on one
 * field. A node's tests call `expectEveryBadInputRefused` once per ID / name / path field; new nodes reuse it.
 */

/** Values that must never become a URL path segment: empty, dot segments in every spelling, broken Unicode. */
export const BAD_PATH_SEGMENTS: ReadonlyArray<{ label: string; value: string }> = [
	{ label: 'empty', value: '' },
	{ label: 'blank', value: '   ' },
	{ label: 'dot', value: '.' },
	{ label: 'dot-dot', value: '..' },
	{ label: 'dot-dot with spaces', value: ' .. ' },
	{ label: 'percent-encoded dot', value: '%2e' },
	{ label: 'percent-encoded dot-dot', value: '%2E%2e' },
	{ label: 'half-encoded dot-dot', value: '.%2E' },
	{ label: 'double-encoded dot-dot', value: '%252e%252e' },
	{ label: 'full-width dot-dot', value: '\uFF0E\uFF0E' },
	{ label: 'two-dot leader', value: '\u2025' },
	{ label: 'dot-dot between encoded slashes', value: 'a%2F..%2Fb' },
	{ label: 'dot-dot after a backslash', value: 'a\\..' },
	{ label: 'lone high surrogate', value: 'a\uD800b' },
	{ label: 'lone low surrogate', value: '\uDC00' },
];

/** Values with a dot-segment that must not climb out of a folder when given as a path ("a/../b"). */
export const BAD_PATHS: ReadonlyArray<{ label: string; value: string }> = [
	{ label: 'parent segment', value: '/Documents/../notes.txt' },
	{ label: 'only parent', value: '..' },
	{ label: 'encoded parent segment', value: '/Documents/%2e%2e/notes.txt' },
	{ label: 'full-width parent segment', value: '/Documents/\uFF0E\uFF0E/notes.txt' },
	{ label: 'current segment', value: '/./notes.txt' },
	{ label: 'lone surrogate', value: '/Documents/\uD83D.txt' },
];

export interface BadInputCase {
	/** The field as the error must name it, e.g. `Site` (matched as `"Site"`). */
	field: string;
	values: ReadonlyArray<{ label: string; value: string }>;
	/** Runs the node with the bad value in the field; must reject. */
	run: (value: string) => Promise<unknown>;
	/** Requests the sandbox saw since the last `clear()`. */
	requests: () => unknown[];
	clear: () => void;
}

/**
 * For each value: the run fails with an error that names the field, and the sandbox saw no request at all
 * (not even a sign-in). Returns how many bad inputs were tried.
 */
export async function expectEveryBadInputRefused(check: BadInputCase): Promise<number> {
	const failures: string[] = [];
	for (const { label, value } of check.values) {
		check.clear();
		let error: unknown;
		try {
			await check.run(value);
		} catch (caught) {
			error = caught;
		}
		const message = error instanceof Error ? error.message : '';
		const sent = check.requests().length;
		if (!error) failures.push(`${label} (${JSON.stringify(value)}): accepted`);
		else if (!message.includes(`"${check.field}"`)) failures.push(`${label}: error does not name "${check.field}": ${message}`);
		else if ((error as { name?: string }).name !== 'NodeOperationError') failures.push(`${label}: ${String((error as Error).name)}, not NodeOperationError`);
		if (sent > 0) failures.push(`${label}: ${sent} request(s) sent before refusing`);
	}
	if (failures.length) throw new Error(`"${check.field}" let bad input through:\n${failures.join('\n')}`);
	return check.values.length;
}
