// @ts-check
'use strict';

/**
 * Dataverse functions and actions the sandbox answers (all declared in `$metadata`): `WhoAmI`,
 * `RetrieveTotalRecordCount(EntityNames=@p1)`, `RetrieveCurrentOrganization(AccessType=@p1)`, the unbound
 * actions `WinOpportunity` / `LoseOpportunity` (OpportunityClose + Status) and the bound
 * `leads({id})/Microsoft.Dynamics.CRM.QualifyLead` (creates the account, contact and opportunity asked for).
 * Writes go through the store, so they are change-tracked and can run inside a `$batch` change set.
 */

const { httpError } = require('./router');
const { tableByLogicalName, columnOf } = require('./dataverse-schema');
const { parseKeySegment, findRow, missing, prepareBody } = require('./dataverse-records');

/** @typedef {import('./dataverse-schema').Table} Table */

const INVALID = '0x80040203';
/** @param {string} name */
const table = (name) => /** @type {Table} */ (tableByLogicalName(name));

/**
 * Function parameters: inline (`Name=value`) or aliases (`Name=@p1` with `?@p1=value`), values as OData literals.
 * @param {string} text @param {Record<string, string>} query
 */
function functionParameters(text, query) {
	/** @type {Record<string, string>} */
	const out = {};
	for (const part of text.split(/,(?=\s*\w+\s*=)/)) {
		const eq = part.indexOf('=');
		if (eq <= 0) continue;
		const name = part.slice(0, eq).trim();
		let value = part.slice(eq + 1).trim();
		if (value.startsWith('@')) {
			if (query[value] === undefined) throw httpError(400, '0x80060888', `The parameter alias '${value}' has no value in the query.`);
			value = query[value];
		}
		out[name] = value;
	}
	return out;
}

/**
 * @param {import('./router').Router} router
 * @param {import('./dataverse').DataverseKit} kit
 * @param {{ createPrepared: (table: Table, prepared: ReturnType<typeof prepareBody>) => Record<string, any> }} rows
 */
function registerActions(router, kit, rows) {
	const { host, authorised, reply, empty, base, store, environment } = kit;

	router.add('GET', /^\/api\/data\/v9\.2\/WhoAmI(?:\(\))?$/, authorised((ctx, caller) =>
		reply(ctx, 200, {
			'@odata.context': `${base}/$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
			BusinessUnitId: environment.businessUnitId,
			UserId: caller.systemUserId,
			OrganizationId: environment.organizationId,
		}),
	), { host });

	router.add('GET', /^\/api\/data\/v9\.2\/RetrieveTotalRecordCount\((?<args>.*)\)$/, authorised((ctx) => {
		const raw = functionParameters(ctx.params.args, ctx.query).EntityNames;
		let names;
		try {
			names = JSON.parse(String(raw).replace(/'/g, '"'));
		} catch {
			names = null;
		}
		if (!Array.isArray(names) || names.some((name) => typeof name !== 'string')) throw httpError(400, '0x80060888', "EntityNames must be a collection of logical names, e.g. EntityNames=['account','contact'].");
		const counts = names.map((name) => {
			const found = tableByLogicalName(name);
			if (!found) throw httpError(400, INVALID, `The entity with a name = '${name}' with namemapping = 'Logical' was not found in the MetadataCache.`);
			return store.rows(name).size;
		});
		return reply(ctx, 200, {
			'@odata.context': `${base}/$metadata#Microsoft.Dynamics.CRM.RetrieveTotalRecordCountResponse`,
			EntityRecordCountCollection: { Count: names.length, IsReadOnly: false, Keys: names, Values: counts },
		});
	}), { host });

	router.add('GET', /^\/api\/data\/v9\.2\/RetrieveCurrentOrganization\((?<args>.*)\)$/, authorised((ctx) => {
		const access = functionParameters(ctx.params.args, ctx.query).AccessType ?? '';
		const member = /^(?:Microsoft\.Dynamics\.CRM\.EndpointAccessType)?'(Default|Internet|Intranet)'$/.exec(access)?.[1];
		if (!member) throw httpError(400, '0x80060888', `AccessType must be Microsoft.Dynamics.CRM.EndpointAccessType'Default' (or 'Internet', 'Intranet'), not '${access}'.`);
		return reply(ctx, 200, {
			'@odata.context': `${base}/$metadata#Microsoft.Dynamics.CRM.RetrieveCurrentOrganizationResponse`,
			Detail: {
				OrganizationId: environment.organizationId, FriendlyName: 'Contoso (sandbox)', OrganizationVersion: '9.2.26011.00000',
				EnvironmentId: environment.environmentId, DatacenterId: null, Geo: 'NA', TenantId: environment.tenantId,
				UrlName: 'contoso-sandbox', UniqueName: 'unq0a1contoso', State: 'Enabled',
				Endpoints: { Count: 3, IsReadOnly: false, Keys: ['WebApplication', 'OrganizationService', 'OrganizationDataService'],
					Values: [`${kit.url}/`, `${kit.url}/XRMServices/2011/Organization.svc`, `${kit.url}/XRMServices/2011/OrganizationData.svc`] },
			},
		});
	}), { host });

	/** WinOpportunity / LoseOpportunity: closes the opportunity the OpportunityClose names. @param {boolean} won */
	const closeOpportunity = (won) => authorised(async (ctx) => {
		const body = await ctx.readJson();
		const close = body?.OpportunityClose;
		if (!close || typeof close !== 'object') throw httpError(400, INVALID, 'The OpportunityClose parameter is required.');
		if (typeof body.Status !== 'number') throw httpError(400, INVALID, 'The Status parameter is required.');
		const closes = table('opportunityclose');
		const opportunities = table('opportunity');
		const { '@odata.type': _type, ...closeBody } = close;
		const prepared = prepareBody(store, closes, closeBody, 'create', base);
		const opportunityId = prepared.values.opportunityid;
		if (!opportunityId) throw httpError(400, INVALID, 'OpportunityClose must name its opportunity: "opportunityid@odata.bind": "/opportunities(<id>)".');
		const opportunity = /** @type {Record<string, any>} */ (store.get(opportunities, opportunityId));
		if (opportunity.statecode !== 0) throw httpError(400, INVALID, 'The opportunity is already closed. Reopen it before closing it again.');
		const status = columnOf(opportunities, 'statuscode')?.options?.find(([value]) => value === body.Status);
		const wantedState = won ? 1 : 2;
		if (!status || status[2] !== wantedState) {
			throw httpError(400, INVALID, `${body.Status} is not a valid status code for state code OpportunityState.${won ? 'Won' : 'Lost'} on opportunity.`);
		}
		rows.createPrepared(closes, { ...prepared, values: { ...prepared.values, statuscode: 2 } });
		store.change(opportunities, opportunity, {
			statuscode: body.Status,
			actualvalue: prepared.values.actualrevenue ?? opportunity.actualvalue,
			actualclosedate: prepared.values.actualend ?? new Date().toISOString().slice(0, 10),
		});
		return empty(ctx, 204);
	});
	router.add('POST', /^\/api\/data\/v9\.2\/WinOpportunity$/, closeOpportunity(true), { host });
	router.add('POST', /^\/api\/data\/v9\.2\/LoseOpportunity$/, closeOpportunity(false), { host });

	router.add('POST', /^\/api\/data\/v9\.2\/leads\((?<key>[^/]*)\)\/Microsoft\.Dynamics\.CRM\.QualifyLead$/, authorised(async (ctx) => {
		const leads = table('lead');
		const key = parseKeySegment(leads, ctx.params.key);
		const lead = findRow(store, leads, key);
		if (!lead) throw missing(leads, key);
		const body = (await ctx.readJson()) ?? {};
		for (const name of ['CreateAccount', 'CreateContact', 'CreateOpportunity']) {
			if (typeof body[name] !== 'boolean') throw httpError(400, INVALID, `The ${name} parameter is required (true or false).`);
		}
		if (typeof body.Status !== 'number') throw httpError(400, INVALID, 'The Status parameter is required.');
		if (lead.statecode !== 0) throw httpError(400, INVALID, 'The lead is closed. You cannot convert or qualify a lead that is already closed.');
		const status = columnOf(leads, 'statuscode')?.options?.find(([value]) => value === body.Status);
		if (!status || status[2] !== 1) throw httpError(400, INVALID, `${body.Status} is not a valid status code for state code LeadState.Qualified on lead.`);
		const leadId = lead.leadid;
		/** @type {Array<Record<string, unknown>>} */
		const created = [];
		/** @param {string} name @param {Record<string, unknown>} values */
		const make = (name, values) => {
			const row = store.insert(table(name), values);
			created.push({ '@odata.type': `#Microsoft.Dynamics.CRM.${name}`, [table(name).primaryId]: row[table(name).primaryId] });
			return row;
		};
		const account = body.CreateAccount ? make('account', { name: lead.companyname ?? lead.fullname ?? lead.subject, telephone1: lead.telephone1, emailaddress1: lead.emailaddress1, originatingleadid: leadId }) : null;
		const contact = body.CreateContact
			? make('contact', { firstname: lead.firstname, lastname: lead.lastname ?? lead.fullname ?? 'Contact', emailaddress1: lead.emailaddress1, telephone1: lead.telephone1, originatingleadid: leadId,
				...(account ? { parentcustomerid: account.accountid, 'parentcustomerid@table': 'account' } : {}) })
			: null;
		let customer = account ?? null;
		if (body['OpportunityCustomerId@odata.bind'] && !customer) {
			const match = /accounts\(([0-9a-f-]{36})\)/i.exec(String(body['OpportunityCustomerId@odata.bind']));
			customer = match ? store.get(table('account'), match[1]) ?? null : null;
			if (!customer) throw httpError(404, '0x80040217', `The OpportunityCustomerId '${body['OpportunityCustomerId@odata.bind']}' does not name an existing account.`);
		}
		const opportunity = body.CreateOpportunity
			? make('opportunity', { name: lead.subject, estimatedvalue: lead.estimatedvalue, originatingleadid: leadId, parentaccountid: customer?.accountid ?? null, parentcontactid: contact?.contactid ?? null })
			: null;
		store.change(leads, lead, {
			statuscode: body.Status,
			parentaccountid: account?.accountid ?? lead.parentaccountid,
			parentcontactid: contact?.contactid ?? lead.parentcontactid,
			qualifyingopportunityid: opportunity?.opportunityid ?? lead.qualifyingopportunityid,
		});
		return reply(ctx, 200, { '@odata.context': `${base}/$metadata#Collection(Microsoft.Dynamics.CRM.crmbaseentity)`, value: created });
	}), { host });

}

module.exports = { registerActions, functionParameters };
