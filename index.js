// n8n loads nodes and credentials from the files listed in package.json's "n8n" block;
// this entry point exists only so the package resolves as a normal npm module.
module.exports = {};
