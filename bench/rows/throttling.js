'use strict';
module.exports = { throttlingRow: async () => { throw new Error('not written yet'); } };
