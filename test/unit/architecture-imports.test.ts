/**
 * The import rules of docs/ARCHITECTURE.md as a test. Every `.ts` under nodes/ and credentials/ is parsed
 * (TypeScript's own parser: `import … from`, `export … from`, `import x = require()`, `require()`, `import()`),
 * its relative specifiers are resolved to files, and:
 *   (a) nothing under nodes/Microsoft/shared/ imports anything outside nodes/Microsoft/shared/;
 *   (b) a node folder nodes/Microsoft/<Node>/ imports only itself and nodes/Microsoft/shared/;
 *   (c) a resource folder nodes/Microsoft/<Node>/…/actions/<resource>/ (a folder with an index.ts) never imports
 *       another resource folder of the same node (actions/*.ts files and folders without an index.ts, such as
 *       actions/driveItem/, are fine);
 *   (d) credentials/ imports only nodes/Microsoft/shared/ (and its own files).
 * npm packages and node: builtins are always fine. The rules name no node, so new node folders (Outlook, Teams,
 * Dynamics, …) are covered as they appear. `checkImportRules` is exported for other checks and lists every violation.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import * as ts from 'typescript';

const REPO = join(__dirname, '..', '..');
const MICROSOFT = 'nodes/Microsoft';
const SHARED = `${MICROSOFT}/shared`;

export type ImportRule = 'a' | 'b' | 'c' | 'd' | 'unresolved';

export interface ImportViolation {
	rule: ImportRule;
	/** Repository-relative path of the importing file. */
	file: string;
	/** The specifier as written. */
	specifier: string;
	/** Repository-relative path it resolves to (or would, when it does not resolve). */
	target: string;
	message: string;
}

/** Module specifiers of one source file, as written. */
export function importSpecifiers(fileName: string, source: string): string[] {
	const sourceFile = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
	const found: string[] = [];
	const literal = (node: ts.Node | undefined) => {
		if (node && ts.isStringLiteralLike(node)) found.push(node.text);
	};
	const visit = (node: ts.Node): void => {
		if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) literal(node.moduleSpecifier);
		else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) literal(node.moduleReference.expression);
		else if (ts.isCallExpression(node)) {
			const callee = node.expression;
			if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) literal(node.arguments[0]);
		} else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) literal(node.argument.literal);
		ts.forEachChild(node, visit);
	};
	visit(sourceFile);
	return found;
}

const isUnder = (path: string, folder: string) => path === folder || path.startsWith(`${folder}/`);

/** `nodes/Microsoft/<Node>` of a path (shared included), or undefined. */
function nodeFolderOf(path: string): string | undefined {
	const match = new RegExp(`^(${MICROSOFT}/[^/]+)/`).exec(path);
	return match?.[1];
}

/**
 * Checks the import rules over `sources` (repository-relative posix path → file text). `exists` tells whether a
 * file outside `sources` exists (e.g. a .json file; folders do not count); by default only the given sources exist.
 */
export function checkImportRules(sources: Record<string, string>, exists: (path: string) => boolean = () => false): ImportViolation[] {
	const files = new Set(Object.keys(sources));
	const has = (path: string) => files.has(path) || exists(path);
	// Resource folders: a direct child folder of an `actions` folder inside a node folder, holding an index.ts.
	const resourceFolders = new Set<string>();
	for (const file of files) {
		const match = new RegExp(`^(${MICROSOFT}/[^/]+/(?:.+/)?actions/[^/]+)/index\\.ts$`).exec(file);
		if (match && nodeFolderOf(file) !== SHARED) resourceFolders.add(match[1]);
	}
	const resourceFolderOf = (path: string) => [...resourceFolders].find((folder) => isUnder(path, folder));

	const violations: ImportViolation[] = [];
	for (const file of [...files].sort()) {
		if (!file.endsWith('.ts')) continue;
		for (const specifier of importSpecifiers(file, sources[file])) {
			const relative = specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..';
			if (!relative && !posix.isAbsolute(specifier)) continue; // an npm package or a node: builtin
			const base = posix.isAbsolute(specifier) ? posix.relative(REPO.split(/[\\/]/).join('/'), specifier) : posix.join(posix.dirname(file), specifier);
			const candidates = [base, `${base}.ts`, `${base}.d.ts`, `${base}/index.ts`, base.replace(/\.js$/, '.ts')];
			const resolved = candidates.find(has);
			const target = resolved ?? base;
			const report = (rule: ImportRule, why: string) =>
				violations.push({ rule, file, specifier, target, message: `${file} imports '${specifier}' (${target}): ${why}` });

			if (!resolved) report('unresolved', 'does not resolve to a file');
			const fromNode = nodeFolderOf(file);
			if (isUnder(file, SHARED)) {
				if (!isUnder(target, SHARED)) report('a', `${SHARED}/ may import only ${SHARED}/`);
			} else if (fromNode) {
				if (!isUnder(target, fromNode) && !isUnder(target, SHARED)) report('b', `the node folder ${fromNode}/ may import only itself and ${SHARED}/`);
				const fromResource = resourceFolderOf(file);
				const toResource = resourceFolderOf(target);
				if (fromResource && toResource && toResource !== fromResource && nodeFolderOf(toResource + '/') === fromNode) {
					report('c', `the resource folder ${fromResource}/ may not import another resource folder (${toResource}/)`);
				}
			} else if (isUnder(file, 'credentials')) {
				if (!isUnder(target, 'credentials') && !isUnder(target, SHARED)) report('d', `credentials/ may import only ${SHARED}/ (and credentials/)`);
			}
		}
	}
	return violations;
}

/** Every `.ts` file under the given repository folders → its text. */
function readSources(folders: string[]): Record<string, string> {
	const sources: Record<string, string> = {};
	const walk = (relative: string) => {
		for (const name of readdirSync(join(REPO, relative))) {
			const child = `${relative}/${name}`;
			if (statSync(join(REPO, child)).isDirectory()) walk(child);
			else if (name.endsWith('.ts')) sources[child] = readFileSync(join(REPO, child), 'utf8');
		}
	};
	for (const folder of folders) walk(folder);
	return sources;
}

const messages = (violations: ImportViolation[], rule: ImportRule) => violations.filter((v) => v.rule === rule).map((v) => v.message);

describe('import rules of the package (nodes/ and credentials/)', () => {
	const sources = readSources(['nodes', 'credentials']);
	const violations = checkImportRules(sources, (path) => existsSync(join(REPO, path)) && statSync(join(REPO, path)).isFile());

	it('reads the sources and finds their imports', () => {
		expect(Object.keys(sources).filter((file) => isUnder(file, SHARED)).length).toBeGreaterThan(5);
		expect(Object.keys(sources).filter((file) => file.startsWith('credentials/')).length).toBeGreaterThan(0);
		const nodeFiles = Object.keys(sources).filter((file) => nodeFolderOf(file) && !isUnder(file, SHARED));
		expect(nodeFiles.length).toBeGreaterThan(5);
		expect(nodeFiles.some((file) => importSpecifiers(file, sources[file]).some((s) => s.includes('shared/')))).toBe(true);
	});

	it('every relative import resolves to a file', () => {
		expect(messages(violations, 'unresolved')).toEqual([]);
	});

	it('(a) nodes/Microsoft/shared/ imports nothing outside itself', () => {
		expect(messages(violations, 'a')).toEqual([]);
	});

	it('(b) a node folder imports only itself and nodes/Microsoft/shared/', () => {
		expect(messages(violations, 'b')).toEqual([]);
	});

	it('(c) a resource folder never imports another resource folder of its node', () => {
		expect(messages(violations, 'c')).toEqual([]);
	});

	it('(d) credentials/ imports only nodes/Microsoft/shared/', () => {
		expect(messages(violations, 'd')).toEqual([]);
	});
});

describe('checkImportRules (on made-up trees, so every rule is seen failing)', () => {
	const tree = (extra: Record<string, string>): Record<string, string> => ({
		'nodes/Microsoft/shared/transport.ts': "import { x } from './errors';\nimport { get } from 'node:https';\nimport { Client } from 'n8n-workflow';",
		'nodes/Microsoft/shared/errors.ts': 'export const x = 1;',
		'nodes/Microsoft/shared/node/router.ts': "export * from '../transport';",
		'nodes/Microsoft/Outlook/Outlook.node.ts': "import { router } from '../shared/node/router';\nimport * as message from './actions/message';",
		'nodes/Microsoft/Outlook/actions/common.ts': "import { x } from '../../shared/errors';",
		'nodes/Microsoft/Outlook/actions/shared/fields.ts': 'export const f = 1;',
		'nodes/Microsoft/Outlook/actions/message/index.ts': "export * as send from './send.operation';",
		'nodes/Microsoft/Outlook/actions/message/send.operation.ts':
			"import { x } from '../common';\nimport { f } from '../shared/fields';\nimport type { T } from '../../helpers/types';",
		'nodes/Microsoft/Outlook/actions/event/index.ts': "export * as get from './get.operation';",
		'nodes/Microsoft/Outlook/actions/event/get.operation.ts': "import { f } from '../shared/fields';",
		'nodes/Microsoft/Outlook/helpers/types.ts': 'export type T = string;',
		'nodes/Microsoft/Teams/Teams.node.ts': "import { router } from '../shared/node/router';",
		'credentials/Api.credentials.ts': "import { x } from '../nodes/Microsoft/shared/errors';\nimport { c } from './common/fields';",
		'credentials/common/fields.ts': 'export const c = 1;',
		...extra,
	});

	it('a tree that keeps the rules has no violations', () => {
		expect(checkImportRules(tree({}))).toEqual([]);
	});

	it('(a) shared importing a node folder (also via export … from) is reported', () => {
		const violations = checkImportRules(
			tree({
				'nodes/Microsoft/shared/paging.ts': "import { T } from '../Outlook/helpers/types';\nexport { f } from '../Outlook/actions/shared/fields';",
			}),
		);
		expect(violations.map((v) => [v.rule, v.file, v.specifier, v.target])).toEqual([
			['a', 'nodes/Microsoft/shared/paging.ts', '../Outlook/helpers/types', 'nodes/Microsoft/Outlook/helpers/types.ts'],
			['a', 'nodes/Microsoft/shared/paging.ts', '../Outlook/actions/shared/fields', 'nodes/Microsoft/Outlook/actions/shared/fields.ts'],
		]);
		expect(violations[0].message).toBe(
			"nodes/Microsoft/shared/paging.ts imports '../Outlook/helpers/types' (nodes/Microsoft/Outlook/helpers/types.ts): nodes/Microsoft/shared/ may import only nodes/Microsoft/shared/",
		);
	});

	it('(a) shared importing credentials/ or the package root is reported', () => {
		const violations = checkImportRules(
			tree({ 'nodes/Microsoft/shared/meta.ts': "import { c } from '../../../credentials/common/fields';\nconst p = require('../../../package.json');" }),
			(path) => path === 'package.json',
		);
		expect(violations.map((v) => [v.rule, v.target])).toEqual([
			['a', 'credentials/common/fields.ts'],
			['a', 'package.json'],
		]);
	});

	it('(b) a node folder importing another node folder is reported, shared is fine', () => {
		const violations = checkImportRules(
			tree({ 'nodes/Microsoft/Teams/helpers/x.ts': "import { T } from '../../Outlook/helpers/types';\nimport { x } from '../../shared/errors';" }),
		);
		expect(violations.map((v) => [v.rule, v.file, v.specifier])).toEqual([['b', 'nodes/Microsoft/Teams/helpers/x.ts', '../../Outlook/helpers/types']]);
		expect(violations[0].message).toContain('the node folder nodes/Microsoft/Teams/ may import only itself and nodes/Microsoft/shared/');
	});

	it('(b) a dynamic import() or import type of another node folder counts too', () => {
		const violations = checkImportRules(
			tree({
				'nodes/Microsoft/Teams/lazy.ts':
					"export async function load() { return await import('../Outlook/helpers/types'); }\nexport type U = import('../Outlook/helpers/types').T;",
			}),
		);
		expect(violations.map((v) => v.rule)).toEqual(['b', 'b']);
	});

	it('(c) a resource folder importing another resource folder is reported; actions/*.ts and non-resource folders are fine', () => {
		const violations = checkImportRules(
			tree({
				'nodes/Microsoft/Outlook/actions/message/reply.operation.ts':
					"import * as get from '../event/get.operation';\nimport * as event from '../event';\nimport { x } from '../common';\nimport { f } from '../shared/fields';",
			}),
		);
		expect(violations.map((v) => [v.rule, v.file, v.specifier, v.target])).toEqual([
			['c', 'nodes/Microsoft/Outlook/actions/message/reply.operation.ts', '../event/get.operation', 'nodes/Microsoft/Outlook/actions/event/get.operation.ts'],
			['c', 'nodes/Microsoft/Outlook/actions/message/reply.operation.ts', '../event', 'nodes/Microsoft/Outlook/actions/event/index.ts'],
		]);
		expect(violations[0].message).toContain(
			'the resource folder nodes/Microsoft/Outlook/actions/message/ may not import another resource folder (nodes/Microsoft/Outlook/actions/event/)',
		);
	});

	it('(d) credentials importing a node folder is reported', () => {
		const violations = checkImportRules(tree({ 'credentials/Other.credentials.ts': "import { T } from '../nodes/Microsoft/Outlook/helpers/types';" }));
		expect(violations.map((v) => [v.rule, v.file, v.specifier])).toEqual([['d', 'credentials/Other.credentials.ts', '../nodes/Microsoft/Outlook/helpers/types']]);
	});

	it('every violation is listed, and an import that does not resolve is reported', () => {
		const violations = checkImportRules(
			tree({
				'nodes/Microsoft/shared/a.ts': "import '../Teams/Teams.node';\nimport '../Outlook/Outlook.node';",
				'nodes/Microsoft/Teams/b.ts': "import './missing';",
			}),
		);
		expect(violations.map((v) => `${v.rule} ${v.file} ${v.specifier}`)).toEqual([
			'unresolved nodes/Microsoft/Teams/b.ts ./missing',
			'a nodes/Microsoft/shared/a.ts ../Teams/Teams.node',
			'a nodes/Microsoft/shared/a.ts ../Outlook/Outlook.node',
		]);
	});
});
