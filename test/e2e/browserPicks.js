// @ts-check
'use strict';
/**
 * For the workflow cases that drive a node's picker in the editor with Chromium (`*\/picker-browser`): whether the
 * browser check can run, and where its screenshots go. Skipped without Chromium, except under CI=true (where
 * `.ci/run` installs it), like the OneDrive browser check in e2e.test.js. With E2E_DOCS_SCREENSHOTS=1 the open
 * picker's screenshot is also copied to docs/screenshots/ (what the README shows).
 */
const fs = require('node:fs');
const path = require('node:path');
const { chromiumPath } = require('../../scripts/lib/browser');

const ARTIFACTS = path.join(__dirname, 'artifacts');
const DOCS_SCREENSHOTS = path.join(__dirname, '..', '..', 'docs', 'screenshots');

/** @returns {string | false} why the browser check cannot run here, or false */
function browserSkipReason() {
	if (chromiumPath() || process.env.CI) return false;
	return 'Chromium not installed (apt-get install -y chromium)';
}

/** Copies a screenshot to docs/screenshots/<name>.png when E2E_DOCS_SCREENSHOTS=1. @param {string} file @param {string} name */
function keepForDocs(file, name) {
	if (process.env.E2E_DOCS_SCREENSHOTS !== '1') return;
	fs.mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
	fs.copyFileSync(file, path.join(DOCS_SCREENSHOTS, `${name}.png`));
}

module.exports = { ARTIFACTS, browserSkipReason, keepForDocs };
