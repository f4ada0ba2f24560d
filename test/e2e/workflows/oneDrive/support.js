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
 * Byte count of n8n binary metadata: `bytes` where n8n records it, else the pretty `fileSize` ("5.2 MB") is
 * useless for an exact check, so the caller must have another source.
 */
function binaryBytes(binary) {
	assert.ok(binary, 'the node output has no binary data');
	if (typeof binary.bytes === 'number') return binary.bytes;
	if (typeof binary.data === 'string' && binary.data !== 'filesystem-v2' && binary.data !== 'filesystem') {
		return Buffer.from(binary.data, 'base64').length;
	}
	return undefined;
}

module.exports = { NODE_TYPE, TRIGGER_TYPE, ALICE, BOB, SEEDED_ROOT, binaryBytes };
