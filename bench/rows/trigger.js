'use strict';
module.exports = { triggerRow: async () => { throw new Error('not written yet'); } };
