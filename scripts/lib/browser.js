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

/**
 * A session in one node's editor: logs in, opens a workflow, opens the node `nodeName` (double-click on the canvas)
 * and hands `work` an editor with `pick` (a resource locator in "From list" mode), `shot` (a screenshot),
 * `page` and `save` (Ctrl+S). A failure leaves `<prefix>-picker-failure.png`. Selectors are the editor's
 * `data-test-id`s (the same on n8n 1.x and 2.x for these parts).
 * @template T
 * @param {{ baseUrl: string, workflowId: string, nodeName: string, outDir: string, prefix: string, owner?: typeof OWNER }} options
 * @param {(editor: NodeEditor) => Promise<T>} work
 * @returns {Promise<T>}
 */
async function inNodeEditor({ baseUrl, workflowId, nodeName, outDir, prefix, owner = OWNER }, work) {
	const { context, close } = await launchChromium();
	fs.mkdirSync(outDir, { recursive: true });
	const file = (/** @type {string} */ name) => path.join(outDir, `${prefix}-${name}.png`);
	const page = context.pages()[0] ?? (await context.newPage());
	try {
		await signIn(page, baseUrl, owner);
		await page.goto(`${baseUrl}/workflow/${encodeURIComponent(workflowId)}`, { waitUntil: 'domcontentloaded' });
		const node = page.locator('[data-test-id="canvas-node"]').filter({ hasText: nodeName }).first();
		await node.waitFor({ timeout: 60000 });
		await node.dblclick();
		/** @type {NodeEditor} */
		const editor = {
			page,
			/** Opens the node again (after Escape closed more than a dropdown). */
			async openNode() {
				await node.dblclick();
			},
			async shot(name) {
				await page.screenshot({ path: file(name) });
				return file(name);
			},
			pick: (pickOptions) => pickInLocator(page, pickOptions),
			async save() {
				// The stored workflow then holds the picked item's ID (what a user's click really changes).
				await page.keyboard.press('Escape');
				await page.keyboard.press('Control+s');
				await page.waitForLoadState('networkidle', { timeout: 15000 }).catch(() => undefined);
			},
		};
		return await work(editor);
	} catch (error) {
		await page.screenshot({ path: file('picker-failure') }).catch(() => undefined);
		throw error;
	} finally {
		await close();
	}
}

/**
 * @typedef {{ parameter: string, search?: string, pick: string, onList?: () => Promise<unknown> }} PickOptions
 * @typedef {{ page: import('playwright-core').Page, openNode: () => Promise<void>, shot: (name: string) => Promise<string>, pick: (options: PickOptions) => Promise<{ listed: string[], shown: string }>, save: () => Promise<void> }} NodeEditor
 */

/**
 * Opens the resource locator `parameter` ("From list" mode), optionally types `search` (e.g. a folder path ending
 * in "/"), waits for the entry `pick`, calls `onList` while the list is open (a screenshot), picks the entry.
 * Returns the entries the list showed and the text the picker shows afterwards.
 * @param {import('playwright-core').Page} page @param {PickOptions} options
 */
async function pickInLocator(page, { parameter, search, pick, onList }) {
	const locator = page.locator(`[data-test-id="resource-locator-${parameter}"]`);
	await locator.waitFor({ timeout: 30000 });
	const input = locator.locator('[data-test-id="rlc-input"]').first();
	await input.click();
	// Visible entries only: n8n 1.x keeps an earlier picker's list in the page, hidden.
	const items = page.locator('[data-test-id="rlc-item"]:visible');
	const entry = items.filter({ hasText: pick }).first();
	if (search === undefined) await entry.waitFor({ timeout: 30000 });
	else {
		const searchBox = page.locator('[data-test-id="rlc-search"] input, input[data-test-id="rlc-search"]').first();
		await searchBox.waitFor({ timeout: 30000 });
		// Typed key by key as a person does. Under load the editor may show the root listing that was still on
		// its way when the search went out (seen on n8n 1.x); a person then retypes, and so do we (3 tries).
		for (let attempt = 1; ; attempt++) {
			await searchBox.fill('');
			await searchBox.pressSequentially(search, { delay: 40 });
			const shown = await entry.waitFor({ timeout: 15000 }).then(() => true, () => false);
			if (shown) break;
			if (attempt === 3) throw new Error(`the picker did not list "${pick}" after typing "${search}" (3 tries)`);
		}
	}
	const listed = (await items.allInnerTexts()).map((text) => text.trim());
	if (onList) await onList();
	await entry.click();
	await page.locator('[data-test-id="rlc-item"]').first().waitFor({ state: 'hidden', timeout: 15000 }).catch(() => undefined);
	const shown = await input.evaluate((element) =>
		element instanceof HTMLInputElement ? element.value : (element.querySelector('input')?.value ?? element.textContent ?? '').trim(),
	);
	return { listed, shown };
}

/**
 * The file-picker check: in the node `nodeName`, picks `pick` in the resource locator `parameter` (after typing
 * `search`), screenshots the open list and the node after the pick, saves the workflow. Returns the entries the list
 * showed, the text the picker shows afterwards and the screenshots (`<prefix>-picker-list.png`, `-picker-picked.png`).
 * @param {{ baseUrl: string, workflowId: string, nodeName: string, parameter: string, search?: string, pick: string, outDir: string, prefix: string, owner?: typeof OWNER }} options
 */
async function pickFromResourceLocator({ parameter, search, pick, ...session }) {
	return inNodeEditor(session, async (editor) => {
		/** @type {string[]} */
		const screenshots = [];
		const picked = await editor.pick({ parameter, search, pick, onList: async () => screenshots.push(await editor.shot('picker-list')) });
		screenshots.push(await editor.shot('picker-picked'));
		await editor.save();
		return { ...picked, screenshots };
	});
}

module.exports = { chromiumPath, launchChromium, signIn, screenshotEditor, pickFromResourceLocator, inNodeEditor };
