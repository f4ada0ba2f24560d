// @ts-check
'use strict';

/**
 * Contacts (the default Contacts folder): `GET|POST /contacts`, `GET|PATCH|DELETE /contacts/{id}`. Lists are
 * paged (10 by default, `$top` up to 1000, `$skip`), sorted by displayName unless `$orderby`, with `$filter`
 * (e.g. `startswith(displayName,'a')`, `emailAddresses/any(a:a/address eq '…')`) and `$select`. A contact
 * without displayName gets "givenName surname", as Outlook composes it.
 */

const { httpError } = require('../router');
const { readObject } = require('./outlook-access');
const { compileFilter, compileOrderBy, applySelect, pageBySkip } = require('./outlook-odata');
const { isWellFormedId } = require('./outlook-store');

/** contact + outlookItem + entity properties (CSDL). */
const CONTACT_SELECT = [
	'id', 'categories', 'changeKey', 'createdDateTime', 'lastModifiedDateTime', 'assistantName', 'birthday', 'businessAddress', 'businessHomePage',
	'businessPhones', 'children', 'companyName', 'department', 'displayName', 'emailAddresses', 'fileAs', 'generation', 'givenName', 'homeAddress',
	'homePhones', 'imAddresses', 'initials', 'jobTitle', 'manager', 'middleName', 'mobilePhone', 'nickName', 'officeLocation', 'otherAddress',
	'parentFolderId', 'personalNotes', 'profession', 'spouseName', 'surname', 'title', 'yomiCompanyName', 'yomiGivenName', 'yomiSurname',
];
const READ_ONLY = ['id', 'changeKey', 'createdDateTime', 'lastModifiedDateTime', 'parentFolderId'];
const STRING_LISTS = ['businessPhones', 'children', 'homePhones', 'imAddresses', 'categories'];
const ADDRESSES = ['businessAddress', 'homeAddress', 'otherAddress'];

/** @param {string} type @param {(json: any) => any} get */
const prop = (type, get) => ({ type: /** @type {import('./outlook-odata').ValueType} */ (type), get });
const text = (/** @type {string} */ name) => prop('string', (c) => c[name]);

/** @type {import('./outlook-odata').EntitySpec} */
const CONTACT_ENTITY = {
	serviceType: 'Microsoft.OutlookServices.Contact',
	select: CONTACT_SELECT,
	properties: {
		id: text('id'), displayname: text('displayName'), givenname: text('givenName'), surname: text('surname'), companyname: text('companyName'),
		jobtitle: text('jobTitle'), department: text('department'), fileas: text('fileAs'), mobilephone: text('mobilePhone'), nickname: text('nickName'),
		middlename: text('middleName'), initials: text('initials'), parentfolderid: text('parentFolderId'),
		createddatetime: prop('datetime', (c) => c.createdDateTime), lastmodifieddatetime: prop('datetime', (c) => c.lastModifiedDateTime),
	},
	lambdas: {
		emailaddresses: { items: (c) => c.emailAddresses, element: { address: prop('string', (e) => e.address), name: prop('string', (e) => e.name) } },
		categories: { items: (c) => c.categories, element: { '': prop('string', (x) => x) } },
	},
};

/** @param {import('./outlook-store').Contact} contact */
function contactJson(contact) {
	const f = contact.fields;
	const str = (/** @type {string} */ name, /** @type {string | null} */ fallback = null) => f[name] ?? fallback;
	return {
		'@odata.etag': `W/"${contact.changeKey}"`,
		id: contact.id,
		createdDateTime: contact.createdDateTime,
		lastModifiedDateTime: contact.lastModifiedDateTime,
		changeKey: contact.changeKey,
		categories: f.categories ?? [],
		parentFolderId: contact.parentFolderId,
		birthday: str('birthday'),
		fileAs: str('fileAs', ''),
		displayName: f.displayName ?? [f.givenName, f.surname].filter(Boolean).join(' '),
		givenName: str('givenName'),
		initials: str('initials'),
		middleName: str('middleName'),
		nickName: str('nickName'),
		surname: str('surname'),
		title: str('title'),
		yomiGivenName: str('yomiGivenName'),
		yomiSurname: str('yomiSurname'),
		yomiCompanyName: str('yomiCompanyName'),
		generation: str('generation'),
		imAddresses: f.imAddresses ?? [],
		jobTitle: str('jobTitle'),
		companyName: str('companyName'),
		department: str('department'),
		officeLocation: str('officeLocation'),
		profession: str('profession'),
		businessHomePage: str('businessHomePage'),
		assistantName: str('assistantName'),
		manager: str('manager'),
		homePhones: f.homePhones ?? [],
		mobilePhone: str('mobilePhone'),
		businessPhones: f.businessPhones ?? [],
		spouseName: str('spouseName'),
		personalNotes: str('personalNotes', ''),
		children: f.children ?? [],
		emailAddresses: f.emailAddresses ?? [],
		homeAddress: f.homeAddress ?? {},
		businessAddress: f.businessAddress ?? {},
		otherAddress: f.otherAddress ?? {},
	};
}

/** Contact fields from client JSON (400 for unknown names and wrong shapes). @param {Record<string, any>} body */
function contactFields(body) {
	/** @type {Record<string, any>} */
	const out = {};
	for (const [key, value] of Object.entries(body)) {
		if (key.startsWith('@')) continue;
		if (!CONTACT_SELECT.includes(key)) {
			throw httpError(400, 'BadRequest', `The property '${key}' does not exist on type 'microsoft.graph.contact'. Make sure to only use property names that are defined by the type or mark the type as open type.`);
		}
		if (READ_ONLY.includes(key)) continue;
		if (STRING_LISTS.includes(key)) {
			if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw httpError(400, 'BadRequest', `Cannot convert the literal to the expected type 'Collection(Edm.String)' (property '${key}').`);
		} else if (key === 'emailAddresses') {
			if (!Array.isArray(value) || value.some((v) => !v || typeof v.address !== 'string')) {
				throw httpError(400, 'BadRequest', "Cannot convert the literal to the expected type 'Collection(microsoft.graph.emailAddress)' (property 'emailAddresses').");
			}
			out.emailAddresses = value.map((v) => ({ name: typeof v.name === 'string' ? v.name : v.address, address: v.address }));
			continue;
		} else if (ADDRESSES.includes(key)) {
			if (value !== null && typeof value !== 'object') throw httpError(400, 'BadRequest', `Cannot convert the literal to the expected type 'microsoft.graph.physicalAddress' (property '${key}').`);
		} else if (value !== null && typeof value !== 'string') {
			throw httpError(400, 'BadRequest', `Cannot convert the literal '${JSON.stringify(value)}' to the expected type 'Edm.String' (property '${key}').`);
		}
		out[key] = value;
	}
	return out;
}

/**
 * @param {import('../router').Router} router
 * @param {{ store: import('./outlook-store').OutlookStore, access: ReturnType<typeof import('./outlook-access').createAccess> }} env
 */
function registerContactRoutes(router, env) {
	const { store, access } = env;
	const context = (/** @type {import('./outlook-access').Call} */ call) => `${call.ctx.sandbox.graphUrl}/v1.0/$metadata#users('${call.mailbox.id}')/contacts`;
	/** @param {import('./outlook-store').Mailbox} mailbox @param {string} id */
	const find = (mailbox, id) => {
		const contact = mailbox.contacts.get(id);
		if (contact) return contact;
		if (!isWellFormedId(id)) throw httpError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
		throw httpError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
	};

	access.route(router, 'GET', 'contacts', 'contacts.read', (call) => {
		const { ctx, mailbox } = call;
		let list = [...mailbox.contacts.values()].map(contactJson);
		if (ctx.query.$filter !== undefined) {
			const filter = compileFilter(ctx.query.$filter, CONTACT_ENTITY);
			list = list.filter((c) => filter.test(c));
		}
		list.sort(ctx.query.$orderby !== undefined ? compileOrderBy(ctx.query.$orderby, CONTACT_ENTITY).comparator
			: (a, b) => String(a.displayName).localeCompare(String(b.displayName)) || a.id.localeCompare(b.id));
		const { slice, nextLink } = pageBySkip(ctx, list);
		/** @type {Record<string, any>} */
		const body = { '@odata.context': context(call), value: slice.map((c) => applySelect(c, ctx.query.$select, CONTACT_ENTITY)) };
		if (nextLink) body['@odata.nextLink'] = nextLink;
		return ctx.json(200, body);
	});

	access.route(router, 'POST', 'contacts', 'contacts.write', async (call) => {
		const contact = store.addContact(call.mailbox, contactFields(await readObject(call.ctx)));
		return call.ctx.json(201, { '@odata.context': `${context(call)}/$entity`, ...contactJson(contact) });
	});

	access.route(router, 'GET', 'contacts/(?<contactId>[^/]+)', 'contacts.read', (call) => {
		const contact = find(call.mailbox, call.params.contactId);
		return call.ctx.json(200, { '@odata.context': `${context(call)}/$entity`, ...applySelect(contactJson(contact), call.ctx.query.$select, CONTACT_ENTITY) });
	});

	access.route(router, 'PATCH', 'contacts/(?<contactId>[^/]+)', 'contacts.write', async (call) => {
		const contact = find(call.mailbox, call.params.contactId);
		Object.assign(contact.fields, contactFields(await readObject(call.ctx)));
		contact.changeKey = store.changeKey();
		contact.changeSeq = store.next();
		contact.lastModifiedDateTime = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
		return call.ctx.json(200, { '@odata.context': `${context(call)}/$entity`, ...contactJson(contact) });
	});

	access.route(router, 'DELETE', 'contacts/(?<contactId>[^/]+)', 'contacts.write', (call) => {
		const contact = find(call.mailbox, call.params.contactId);
		call.mailbox.contacts.delete(contact.id);
		return call.ctx.send(204, null);
	});
}

module.exports = { registerContactRoutes, contactJson, contactFields, CONTACT_ENTITY };
