// @ts-check
'use strict';
/**
 * Browser checks with Debian's Chromium driven by playwright-core (never a downloaded browser).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { OWNER } = require('./n8nApi');

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

function chromiumPath() {
	return CHROMIUM_CANDIDATES.find((file) => fs.existsSync(file));
}

/** Launches headless Chromium with a fresh profile; returns `{ context, close }` (one persistent context). */
async function launchChromium({ viewport = { width: 1440, height: 900 } } = {}) {
	const executablePath = chromiumPath();
	if (!executablePath) throw new Error('Chromium not found: apt-get install -y chromium');
	const { chromium } = require('playwright-core');
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'chromium-profile-'));
	// A fresh --user-data-dir: playwright takes it as the persistent context's directory.
	const context = await chromium.launchPersistentContext(profile, {
		executablePath,
		headless: true,
		viewport,
		args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
	});
	return {
		context,
		async close() {
			await context.close().catch(() => undefined);
			fs.rmSync(profile, { recursive: true, force: true });
		},
	};
}

/** Signs into the n8n editor through its login form; returns the page, on the workflows overview. */
async function signIn(page, baseUrl, owner = OWNER) {
	await page.goto(`${baseUrl}/signin`, { waitUntil: 'domcontentloaded' });
	const email = page.locator('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]').first();
	await email.waitFor({ timeout: 60000 });
	await email.fill(owner.email);
	await page.locator('input[type="password"]').first().fill(owner.password);
	await page.keyboard.press('Enter');
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 60000 });
}

/**
 * Logs in and saves a screenshot of `pathAfterLogin` (default: the workflows overview) to `outFile`.
 * The file-picker check builds on this: open a workflow with a OneDrive node, open the picker, pick a file.
 */
async function screenshotEditor({ baseUrl, outFile, pathAfterLogin = '/home/workflows', owner = OWNER }) {
	const { context, close } = await launchChromium();
	try {
		const page = context.pages()[0] ?? (await context.newPage());
		await signIn(page, baseUrl, owner);
		await page.goto(`${baseUrl}${pathAfterLogin}`, { waitUntil: 'domcontentloaded' });
		await page.waitForLoadState('networkidle', { timeout: 30000 }).catch(() => undefined);
		fs.mkdirSync(path.dirname(outFile), { recursive: true });
		await page.screenshot({ path: outFile, fullPage: false });
		return outFile;
	} finally {
		await close();
	}
}

module.exports = { chromiumPath, launchChromium, signIn, screenshotEditor };
