import { NodeOperationError, type INode } from 'n8n-workflow';

import { isWellFormedText, pathSegmentProblem } from '../../shared/input';

/** Characters OneDrive / SharePoint refuse in names (`#` and `%` by older OneDrive for Business rules too). */
const FORBIDDEN_CHARACTERS = ['"', '*', ':', '<', '>', '?', '/', '\\', '|', '#', '%'];

/** Windows device names (also with an extension) and SharePoint's reserved names. */
const RESERVED_NAME = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\.[^.]*)?$/i;
const RESERVED_EXACT = new Set(['.lock', 'desktop.ini']);

/** Why `name` cannot be a OneDrive item name, or undefined when it can. Pure, for reuse in tests. */
export function itemNameProblem(name: string): string | undefined {
	if (name.length === 0) return 'is empty';
	if (!isWellFormedText(name)) return 'contains a broken character (an unpaired UTF-16 surrogate)';
	if (name !== name.trim()) return 'starts or ends with a space';
	// `.` / `..` in any spelling (full-width, %2e) would address another item once it is in a path.
	if (pathSegmentProblem(name)) return `is "${name}", which is not a file or folder name`;
	const bad = FORBIDDEN_CHARACTERS.filter((c) => name.includes(c));
	if (bad.length) return `contains ${bad.map((c) => `"${c}"`).join(', ')}, which OneDrive does not allow in names`;
	// eslint-disable-next-line no-control-regex
	if (/[\u0000-\u001f]/.test(name)) return 'contains control characters';
	if (RESERVED_NAME.test(name) || RESERVED_EXACT.has(name.toLowerCase())) return `"${name}" is a reserved name`;
	if (name.startsWith('~$')) return 'starts with "~$", which OneDrive reserves for lock files';
	if (name.includes('_vti_')) return 'contains "_vti_", which SharePoint reserves';
	if (name.length > 255) return 'is longer than 255 characters';
	return undefined;
}

export function validateItemName(node: INode, name: string, field: string, itemIndex: number): string {
	const problem = itemNameProblem(name);
	if (problem) {
		throw new NodeOperationError(node, `"${field}" ${problem}`, {
			itemIndex,
			description:
				'Use a name without " * : < > ? / \\ | # % and without leading or trailing spaces; reserved names such as CON, NUL or desktop.ini are refused.',
		});
	}
	return name;
}

/**
 * Splits a folder path relative to a drive or folder (`Reports/2026`, leading/trailing `/` allowed) into names,
 * validating every segment before anything is written. An empty path gives []. `..` and `.` are refused so a
 * path can never climb out of the folder the user chose.
 */
export function validateRelativePath(node: INode, path: string, field: string, itemIndex: number): string[] {
	const trimmed = path.replace(/^\/+|\/+$/g, '');
	if (trimmed === '') return [];
	const segments = trimmed.split('/');
	segments.forEach((segment, index) => {
		if (pathSegmentProblem(segment) && segment !== '') {
			throw new NodeOperationError(node, `"${field}" contains a "${segment}" segment`, {
				itemIndex,
				description: 'Paths are relative to the chosen folder and cannot contain "." or ".." segments. Write the full path instead.',
			});
		}
		if (segment === '') {
			throw new NodeOperationError(node, `"${field}" contains an empty segment ("//")`, {
				itemIndex,
				description: 'Separate folder names with a single "/".',
			});
		}
		const problem = itemNameProblem(segment);
		if (problem) {
			throw new NodeOperationError(node, `"${field}": segment ${index + 1} ("${segment}") ${problem}`, {
				itemIndex,
				description: 'Every folder name in the path must be a valid OneDrive name: no " * : < > ? \\ | # %, no leading or trailing spaces.',
			});
		}
	});
	return segments;
}
