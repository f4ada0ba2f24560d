// Copies what tsc does not emit next to the compiled files: icons and the codex (*.node.json), which n8n
// reads from dist/ beside each node.
const { src, dest, task } = require('gulp');

task('build:icons', () =>
	src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	),
);
