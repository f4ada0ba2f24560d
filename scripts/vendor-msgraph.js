#!/usr/bin/env node
// @ts-check
'use strict';
/**
 * Regenerates the Microsoft Graph reference data the sandbox tests read, `test/fixtures/msgraph/`, from the
 * two published sources (both MIT; their licences are kept beside the output):
 *
 *   --csdl <file>     Microsoft Graph v1.0 metadata, `schemas/v1.0-Prod.csdl` of
 *                     https://github.com/microsoftgraph/msgraph-metadata
 *   --samples <file>  Graph v1.0 documentation request/response samples (`{ mocks: [{ request, response }] }`),
 *                     as collected by https://github.com/waldekmastykarz/graph-mocks
 *
 *   node scripts/vendor-msgraph.js --csdl v1.0-Prod.csdl --samples doc-samples.v1.0.json
 *
 * What is kept is listed in `test/fixtures/msgraph/manifest.json`: the entity/complex types the tests check
 * (each with its base types and, recursively, the complex types of its structural properties; navigation
 * properties keep their name and type, their target types only when listed themselves) and the documentation
 * samples by method + URL. Annotations and enum types are dropped. Tests never read anything outside the
 * repository; only this script reads the full sources.
 */
const fs = require('node:fs');
const path = require('node:path');

const FIXTURES = path.join(__dirname, '..', 'test', 'fixtures', 'msgraph');

function option(name) {
	const index = process.argv.indexOf(`--${name}`);
	const inline = process.argv.find((arg) => arg.startsWith(`--${name}=`));
	if (inline) return inline.slice(name.length + 3);
	return index > 0 ? process.argv[index + 1] : undefined;
}

/** @typedef {{ fullName: string, kind: string, baseType: string | null, structural: string[], text: string }} TypeEntry */

/** Schemas (namespace, alias) and every entity/complex type with its source text. */
function parseCsdl(xml) {
	/** @type {Map<string, string>} */
	const aliases = new Map();
	/** @type {Array<{ namespace: string, alias: string | undefined, body: string }>} */
	const schemas = [];
	for (const match of xml.matchAll(/<Schema\b([^>]*)>([\s\S]*?)<\/Schema>/g)) {
		const namespace = /Namespace="([^"]+)"/.exec(match[1])?.[1] ?? '';
		const alias = /Alias="([^"]+)"/.exec(match[1])?.[1];
		if (alias) aliases.set(alias, namespace);
		schemas.push({ namespace, alias, body: match[2] });
	}
	const qualify = (/** @type {string} */ name) => {
		const collection = /^Collection\((.+)\)$/.exec(name);
		if (collection) return qualify(collection[1]);
		const dot = name.lastIndexOf('.');
		const prefix = name.slice(0, dot);
		return aliases.has(prefix) ? `${aliases.get(prefix)}.${name.slice(dot + 1)}` : name;
	};
	/** @type {Map<string, TypeEntry>} */
	const types = new Map();
	for (const schema of schemas) {
		for (const match of schema.body.matchAll(/<(EntityType|ComplexType)\b([^>]*?)(\/>|>([\s\S]*?)<\/\1>)/g)) {
			const name = /\bName="([^"]+)"/.exec(match[2])?.[1];
			if (!name) continue;
			const base = /\bBaseType="([^"]+)"/.exec(match[2])?.[1];
			const structural = [...(match[4] ?? '').matchAll(/<Property\b[^>]*?\bType="([^"]+)"/g)].map((m) => qualify(m[1]));
			types.set(`${schema.namespace}.${name}`, {
				fullName: `${schema.namespace}.${name}`,
				kind: match[1],
				baseType: base ? qualify(base) : null,
				structural,
				text: stripAnnotations(match[0]),
			});
		}
	}
	return { schemas, types };
}

/** The element without `<Annotation>` children and blank lines, re-indented to 6 spaces. */
function stripAnnotations(text) {
	return text
		.replace(/<Annotation\b[^>]*\/>/g, '')
		.replace(/<Annotation\b[^>]*>[\s\S]*?<\/Annotation>/g, '')
		.replace(/<(Property|NavigationProperty)\b([^>]*?)>\s*<\/\1>/g, '<$1$2 />')
		.split('\n')
		.map((line) => line.trim())
		.filter(Boolean)
		.map((line) => (/^<\/?(EntityType|ComplexType)\b/.test(line) ? `      ${line}` : `        ${line}`))
		.join('\n');
}

/** The listed types plus their base types and the complex types of their structural properties. */
function closure(types, roots) {
	const keep = new Set();
	const queue = [...roots];
	while (queue.length > 0) {
		const name = /** @type {string} */ (queue.shift());
		if (keep.has(name)) continue;
		const type = types.get(name);
		if (!type) throw new Error(`type ${name} is not in the CSDL`);
		keep.add(name);
		if (type.baseType) queue.push(type.baseType);
		for (const propertyType of type.structural) if (types.has(propertyType)) queue.push(propertyType);
	}
	return keep;
}

async function main() {
	const csdlFile = option('csdl');
	const samplesFile = option('samples');
	if (!csdlFile || !samplesFile) {
		throw new Error('usage: node scripts/vendor-msgraph.js --csdl <v1.0-Prod.csdl> --samples <doc samples .json> (see the header of this script)');
	}
	const manifest = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'manifest.json'), 'utf8'));
	const { schemas, types } = parseCsdl(fs.readFileSync(csdlFile, 'utf8'));
	const keep = closure(types, manifest.types);

	const out = [
		'<?xml version="1.0" encoding="utf-8"?>',
		'<!-- Generated by scripts/vendor-msgraph.js from Microsoft Graph v1.0-Prod.csdl (microsoftgraph/msgraph-metadata, MIT,',
		'     see LICENSE.msgraph-metadata): the types in manifest.json with their base and complex property types. -->',
		'<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">',
		'  <edmx:DataServices>',
	];
	for (const schema of schemas) {
		const own = [...keep].filter((name) => types.get(name)?.fullName.startsWith(`${schema.namespace}.`) && name.slice(schema.namespace.length + 1).indexOf('.') < 0).sort();
		if (own.length === 0) continue;
		out.push(`    <Schema Namespace="${schema.namespace}"${schema.alias ? ` Alias="${schema.alias}"` : ''} xmlns="http://docs.oasis-open.org/odata/ns/edm">`);
		for (const name of own) out.push(/** @type {TypeEntry} */ (types.get(name)).text);
		out.push('    </Schema>');
	}
	out.push('  </edmx:DataServices>', '</edmx:Edmx>', '');
	fs.writeFileSync(path.join(FIXTURES, 'v1.0-subset.csdl'), out.join('\n'));

	const samples = JSON.parse(fs.readFileSync(samplesFile, 'utf8'));
	const mocks = manifest.samples.map((/** @type {{ method: string, url: string }} */ wanted) => {
		const mock = samples.mocks.find((m) => m.request.method === wanted.method && m.request.url === wanted.url && m.response.statusCode === 200);
		if (!mock) throw new Error(`no 200 sample for ${wanted.method} ${wanted.url}`);
		return mock;
	});
	const source = `${samples.source ?? 'Microsoft Graph v1.0 documentation samples (waldekmastykarz/graph-mocks, MIT)'}; subset by scripts/vendor-msgraph.js`;
	fs.writeFileSync(path.join(FIXTURES, 'doc-samples.subset.json'), `${JSON.stringify({ source, mocks }, null, '\t')}\n`);
	process.stdout.write(`wrote ${keep.size} types and ${mocks.length} samples to ${path.relative(process.cwd(), FIXTURES)}\n`);
}

main().catch((error) => {
	process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
	process.exit(1);
});
