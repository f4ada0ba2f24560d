// @ts-check
'use strict';
const assert = require('node:assert/strict');
const { NODE_TYPE } = require('./support');

/**
 * n8n reports the run as failed, with the node and the field to fix (NodeOperationError). "File Name" is a
 * required field for text uploads, so n8n itself refuses it when left empty; the workflow maps a value that
 * turns out empty at run time (`{{ $json.name ?? '' }}`), which only the operation can refuse.
 */
module.exports = {
	requires: [NODE_TYPE],
	expectFailure: true,
	async check(_ctx, result) {
		assert.ok(result.error, 'n8n reported no error for the run');
		assert.equal(result.error.node, 'Upload Without Name');
		assert.match(result.error.message, /"File Name"/);
		assert.match(result.error.description || '', /file name such as/i);
		assert.match(result.stdout + result.stderr, /Execution was NOT successful/);
	},
};
