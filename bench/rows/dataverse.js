'use strict';
module.exports = { dataverseRow: async () => { throw new Error('not written yet'); } };
