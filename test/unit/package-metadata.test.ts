/**
 * What the published package says about itself: the metadata a community package needs, a licence and a dated
 * changelog entry for the version, the nodes' Docs links pointing at existing sections of this README, and a
 * description and keywords that name only what ships.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces → hyphens. */
function githubSlug(heading: string): string {
	return heading
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}\s_-]/gu, '')
		.replace(/\s/g, '-');
}

const anchors = new Set(
	readme
		.split('\n')
		.filter((line) => /^#{1,6} /.test(line))
		.map((line) => githubSlug(line.replace(/^#+ /, ''))),
);

/** Source and codex of each node n8n loads (package.json lists the built files). */
const nodes = (pkg.n8n.nodes as string[]).map((built) => {
	const source = path.join(ROOT, built.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const exported = require(source) as Record<string, new () => { description: { name: string; documentationUrl?: string } }>;
	const NodeClass = exported[path.basename(source, '.node.ts')];
	return {
		built,
		description: new NodeClass().description,
		codex: JSON.parse(fs.readFileSync(source.replace(/\.ts$/, '.json'), 'utf8')),
	};
});

describe('package.json', () => {
	it('has the metadata of a published community package', () => {
		const repository = 'https://github.com/n8n-nodes-microsoft-365/n8n-nodes-microsoft-365';
		expect(pkg.repository).toEqual({ type: 'git', url: `git+${repository}.git` });
		expect(pkg.homepage).toBe(`${repository}#readme`);
		expect(pkg.bugs).toEqual({ url: `${repository}/issues` });
		expect(pkg.author?.name).toBeTruthy();
		expect(pkg.license).toBe('MIT');
		expect(fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
		expect(pkg.keywords).toContain('n8n-community-node-package');
	});

	it('has a dated changelog entry for its version', () => {
		const changelog = fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
		expect(changelog).toMatch(new RegExp(`^## \\[${pkg.version.replace(/\./g, '\\.')}\\] - \\d{4}-\\d{2}-\\d{2}$`, 'm'));
	});

	it('names in its description and keywords only products it has a node for', () => {
		const products: Array<[string, RegExp]> = [
			['Outlook', /outlook/i],
			['Teams', /\bteams\b/i],
			['Dynamics', /dynamics/i],
			['Planner', /planner/i],
		];
		const said = `${pkg.description} ${pkg.keywords.join(' ')}`;
		for (const [product, pattern] of products) {
			const shipped = nodes.some((node) => node.built.toLowerCase().includes(product.toLowerCase()));
			if (!shipped) expect([product, pattern.test(said)]).toEqual([product, false]);
		}
	});

	it('ships JavaScript, icons and codex files, not source maps or declarations', () => {
		const files: string[] = pkg.files;
		expect(files.filter((pattern) => /\.map|\.d\.ts|^dist\/?$/.test(pattern))).toEqual([]);
		const build = fs.readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8');
		expect(build).toMatch(/"declaration": false/);
		expect(build).toMatch(/"sourceMap": false/);
	});
});

describe.each(nodes)('$built', (node) => {
	const base = `${pkg.homepage.replace(/#readme$/, '')}#`;

	it("links its Docs to this package's README section", () => {
		const links = [node.description.documentationUrl, ...node.codex.resources.primaryDocumentation.map((doc: { url: string }) => doc.url)];
		for (const link of links) {
			expect(link?.startsWith(base)).toBe(true);
			expect([link, anchors.has(link!.slice(base.length))]).toEqual([link, true]);
		}
	});
});

describe.each((pkg.n8n.credentials as string[]).map((built) => ({ built })))('$built', ({ built }) => {
	it("links its Docs to this package's README section", () => {
		const source = path.join(ROOT, built.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const exported = require(source) as Record<string, new () => { documentationUrl?: string }>;
		const link = new exported[path.basename(source, '.credentials.ts')]().documentationUrl ?? '';
		const base = `${pkg.homepage.replace(/#readme$/, '')}#`;
		expect(link.startsWith(base)).toBe(true);
		expect([link, anchors.has(link.slice(base.length))]).toEqual([link, true]);
	});
});
