// @ts-check
'use strict';

/**
 * The rows of the sandbox's Dataverse environment: one Map per table (id → row, a plain object column → value;
 * a lookup holds the target's id, a customer lookup also `<column>@table`), one environment-wide row version
 * (`versionnumber`, the ETag `W/"<version>"` and the change-tracking clock), the deletions change tracking reports,
 * many-to-many links, file contents, and a journal that undoes every change of a `$batch` change set that fails.
 */

const crypto = require('node:crypto');
const { AsyncLocalStorage } = require('node:async_hooks');
const { httpError } = require('./router');
const { TABLES, ONE_TO_MANY, MANY_TO_MANY, tableByLogicalName, columnOf } = require('./dataverse-schema');

/** @typedef {import('./dataverse-schema').Table} Table */
/** @typedef {Record<string, any>} Row */

const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

class DataverseStore {
	constructor() {
		/** @type {Map<string, Map<string, Row>>} */
		this.tables = new Map(TABLES.map((table) => [table.logicalName, new Map()]));
		this.version = 1000;
		/** @type {Array<{ table: string, id: string, version: number }>} */
		this.deletions = [];
		/** many-to-many links per relationship: "id1|id2" (entity1's id first) */
		/** @type {Map<string, Set<string>>} */
		this.links = new Map(MANY_TO_MANY.map((relationship) => [relationship.schemaName, new Set()]));
		/** file and image contents by file id */
		/** @type {Map<string, { name: string, type: string, bytes: Buffer }>} */
		this.files = new Map();
		/** delta tokens below this version are expired (per table) */
		/** @type {Map<string, number>} */
		this.trackingExpiredBefore = new Map();
		/** change tracking switched on or off by tests (overrides the schema) */
		/** @type {Map<string, boolean>} */
		this.trackingOverride = new Map();
		/** the journal of the change set whose requests are running in this async context (others run beside it) */
		/** @type {AsyncLocalStorage<Array<() => void>>} */
		this.journals = new AsyncLocalStorage();
	}

	/** @param {string} logicalName */
	rows(logicalName) {
		return /** @type {Map<string, Row>} */ (this.tables.get(logicalName));
	}

	/** @param {Table} table */
	changeTracking(table) {
		return this.trackingOverride.get(table.logicalName) ?? table.changeTracking;
	}

	/** Records how to undo a change (inside a change set). @param {() => void} undo */
	record(undo) {
		this.journals.getStore()?.push(undo);
	}

	/**
	 * Runs a change set's requests with a journal of their own (concurrent requests are not recorded in it).
	 * @template T @param {Array<() => void>} journal @param {() => Promise<T>} run
	 */
	withJournal(journal, run) {
		return this.journals.run(journal, run);
	}

	/** Undoes what a journal recorded, newest first. @param {Array<() => void>} journal */
	rollback(journal) {
		for (const step of [...journal].reverse()) step();
		journal.length = 0;
	}

	/** @param {Table} table @param {string} id */
	get(table, id) {
		return this.rows(table.logicalName).get(id.toLowerCase());
	}

	/** The row with these alternate-key values (text compared without case). @param {Table} table @param {Record<string, unknown>} values */
	findByKey(table, values) {
		const names = Object.keys(values);
		for (const row of this.rows(table.logicalName).values()) {
			if (names.every((name) => sameValue(row[name], values[name]))) return row;
		}
		return undefined;
	}

	nextVersion() {
		this.version += 1;
		return this.version;
	}

	/**
	 * Adds a row from validated values (the id may be given).
	 * @param {Table} table @param {Row} values
	 */
	insert(table, values) {
		const rows = this.rows(table.logicalName);
		const id = typeof values[table.primaryId] === 'string' ? values[table.primaryId].toLowerCase() : crypto.randomUUID();
		if (rows.has(id)) throw httpError(412, '0x80040237', 'A record with matching key values already exists.');
		const time = now();
		/** @type {Row} */
		const row = {};
		for (const column of table.columns) row[column.name] = null;
		const state = columnOf(table, 'statecode')?.options?.[0];
		Object.assign(row, { statecode: state?.[0] ?? 0, statuscode: state?.[2] ?? 1 }, values, { [table.primaryId]: id, createdon: time, modifiedon: time });
		deriveColumns(table, row);
		this.checkKeys(table, row);
		row.versionnumber = this.nextVersion();
		rows.set(id, row);
		this.record(() => rows.delete(id));
		return row;
	}

	/** @param {Table} table @param {Row} row @param {Row} values */
	change(table, row, values) {
		const before = { ...row };
		Object.assign(row, values);
		deriveColumns(table, row);
		try {
			this.checkKeys(table, row);
		} catch (error) {
			restore(row, before);
			throw error;
		}
		row.modifiedon = now();
		row.versionnumber = this.nextVersion();
		this.record(() => restore(row, before));
		return row;
	}

	/** Deletes a row; lookups to it are cleared (Dataverse's RemoveLink) and its many-to-many links go. @param {Table} table @param {Row} row */
	remove(table, row) {
		const id = row[table.primaryId];
		const rows = this.rows(table.logicalName);
		rows.delete(id);
		this.record(() => rows.set(id, row));
		const deletion = { table: table.logicalName, id, version: this.nextVersion() };
		this.deletions.push(deletion);
		this.record(() => this.deletions.splice(this.deletions.indexOf(deletion), 1));
		for (const relationship of ONE_TO_MANY.filter((item) => item.referenced === table.logicalName)) {
			const referencing = /** @type {Table} */ (tableByLogicalName(relationship.referencing));
			for (const other of this.rows(referencing.logicalName).values()) {
				const typed = other[`${relationship.attribute}@table`];
				if (other[relationship.attribute] === id && (!typed || typed === table.logicalName)) this.change(referencing, other, { [relationship.attribute]: null, [`${relationship.attribute}@table`]: null });
			}
		}
		for (const relationship of MANY_TO_MANY.filter((item) => item.entity1 === table.logicalName || item.entity2 === table.logicalName)) {
			const set = /** @type {Set<string>} */ (this.links.get(relationship.schemaName));
			for (const pair of [...set]) {
				const [one, two] = pair.split('|');
				if ((relationship.entity1 === table.logicalName && one === id) || (relationship.entity2 === table.logicalName && two === id)) this.unlink(relationship, one, two);
			}
		}
	}

	/** @param {import('./dataverse-schema').ManyToMany} relationship @param {string} id1 @param {string} id2 */
	link(relationship, id1, id2) {
		const set = /** @type {Set<string>} */ (this.links.get(relationship.schemaName));
		const pair = `${id1}|${id2}`;
		if (set.has(pair)) throw httpError(400, '0x80040237', 'Cannot insert duplicate key.');
		set.add(pair);
		this.record(() => set.delete(pair));
	}

	/** @param {import('./dataverse-schema').ManyToMany} relationship @param {string} id1 @param {string} id2 */
	unlink(relationship, id1, id2) {
		const set = /** @type {Set<string>} */ (this.links.get(relationship.schemaName));
		const pair = `${id1}|${id2}`;
		if (!set.delete(pair)) return false;
		this.record(() => set.add(pair));
		return true;
	}

	/** Ids linked to `id` through a many-to-many relationship, seen from `table`. @param {import('./dataverse-schema').ManyToMany} relationship @param {Table} table @param {string} id */
	linked(relationship, table, id) {
		const set = /** @type {Set<string>} */ (this.links.get(relationship.schemaName));
		const first = relationship.entity1 === table.logicalName;
		return [...set].map((pair) => pair.split('|')).filter(([one, two]) => (first ? one : two) === id).map(([one, two]) => (first ? two : one));
	}

	/** Alternate keys must stay unique (Dataverse answers 412 0x80040237). @param {Table} table @param {Row} row */
	checkKeys(table, row) {
		for (const key of table.keys) {
			if (key.columns.some((name) => row[name] === null || row[name] === undefined)) continue;
			for (const other of this.rows(table.logicalName).values()) {
				if (other === row || other[table.primaryId] === row[table.primaryId]) continue;
				if (key.columns.every((name) => sameValue(other[name], row[name]))) {
					const labels = key.columns.map((name) => columnOf(table, name)?.label ?? name).join(', ');
					throw httpError(412, '0x80040237', `A record that has the attribute values ${labels} already exists. The entity key ${key.label} requires that this set of attributes contains unique values. Select unique values and try again.`);
				}
			}
		}
	}
}

/** @param {unknown} a @param {unknown} b */
function sameValue(a, b) {
	if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
	return a === b;
}

/** @param {Row} row @param {Row} before */
function restore(row, before) {
	for (const key of Object.keys(row)) delete row[key];
	Object.assign(row, before);
}

/** Computed columns (full names) and the status/state pair. @param {Table} table @param {Row} row */
function deriveColumns(table, row) {
	if (columnOf(table, 'fullname')?.computed) row.fullname = [row.firstname, row.lastname].filter((part) => typeof part === 'string' && part).join(' ') || null;
	const status = columnOf(table, 'statuscode')?.options?.find(([value]) => value === row.statuscode);
	if (status && status[2] !== undefined) row.statecode = status[2];
}

module.exports = { DataverseStore, now };
