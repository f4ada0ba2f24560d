// `gulp clean` empties dist/ before a build (so files of removed sources are not packed); `gulp build:icons`
// copies what tsc does not emit next to the compiled files: icons and the codex (*.node.json), which n8n
// reads from dist/ beside each node.
const fs = require('node:fs');
const { src, dest, task } = require('gulp');

task('clean', async () => fs.rmSync('dist', { recursive: true, force: true }));

task('build:icons', () =>
	src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	),
);
