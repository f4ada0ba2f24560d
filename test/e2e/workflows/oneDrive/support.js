// @ts-check
'use strict';
/** Shared by the OneDrive workflow cases (not a case itself: only `*.json` files are cases). */
const assert = require('node:assert/strict');

const NODE_TYPE = 'n8n-nodes-microsoft-365.microsoft365OneDrive';
const TRIGGER_TYPE = 'n8n-nodes-microsoft-365.microsoft365OneDriveTrigger';
const ALICE = 'alice@contoso.onmicrosoft.com';
const BOB = 'bob@contoso.onmicrosoft.com';
/** What the sandbox seeds into every user's OneDrive root (test/sandbox/graph/drives-seed.js). */
const SEEDED_ROOT = ['Documents', 'Photos', 'Reports', 'Shared stuff & more', 'hello.txt'];

/**
 * Exact byte count of n8n binary metadata: `bytes` (2.x records it) or the length of inline base64 data
 * (1.x keeps binaries in memory by default). `fileSize` is a rounded display string ("5.2 MB").
 */
function binaryBytes(binary) {
	assert.ok(binary, 'the node output has no binary data');
	if (typeof binary.bytes === 'number') return binary.bytes;
	if (typeof binary.data === 'string' && binary.data !== 'filesystem-v2' && binary.data !== 'filesystem') {
		return Buffer.from(binary.data, 'base64').length;
	}
	throw new Error(`binary metadata has neither bytes nor inline data: ${JSON.stringify({ ...binary, data: undefined })}`);
}

module.exports = { NODE_TYPE, TRIGGER_TYPE, ALICE, BOB, SEEDED_ROOT, binaryBytes };
