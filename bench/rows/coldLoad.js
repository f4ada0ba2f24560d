'use strict';
module.exports = { coldLoadRow: async () => { throw new Error('not written yet'); } };
