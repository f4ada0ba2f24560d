// @ts-check
'use strict';

/**
 * Business Central's bound actions on the sandbox (`POST …/{set}({id})/Microsoft.NAV.{action}` → 204, no body), as the
 * API v2.0 pages implement them (APIV2 - Sales Invoices / Orders / Quotes / Credit Memos, Purchase Invoices, Journals):
 * - `post` (salesInvoices, salesCreditMemos, purchaseInvoices): a draft with lines becomes `Open` (`Paid` when its total
 *   is 0); posting again → 400 "The action can be applied to a draft invoice only."; no lines → 400.
 * - `cancel` (salesInvoices, salesCreditMemos): a posted document becomes `Canceled`; a draft → 400 "… a posted invoice
 *   only."; cancelled twice → 400.
 * - `makeCorrectiveCreditMemo` (salesInvoices): a posted invoice → a draft credit memo with its lines (`invoiceId`).
 * - `shipAndInvoice` (salesOrders): the order becomes a posted (`Open`) invoice with its lines (`orderId`); the order is
 *   gone, as Business Central deletes a fully shipped and invoiced order.
 * - `makeInvoice` / `makeOrder` (salesQuotes): a draft invoice / order with the quote's lines; the quote is gone.
 * - `post` (journals): the journal's lines are posted (removed from the journal).
 * - `send`, `postAndSend`, `cancelAndSend`: not modelled (they e-mail the document) → 400 saying so.
 * Errors are BC's `Application_DialogException` (400) with the AL error's text.
 */

const { httpError } = require('./router');
const { STANDARD, LINES, documentTotals } = require('./businessCentral-data');

const dialog = (/** @type {string} */ message) => httpError(400, 'Application_DialogException', message);

/** Document nouns of BC's messages. @type {Record<string, string>} */
const NOUN = { salesInvoices: 'invoice', purchaseInvoices: 'invoice', salesCreditMemos: 'credit memo', salesOrders: 'order', salesQuotes: 'quote' };

/**
 * Runs a bound action; throws BC's error when it does not apply. Returns nothing (the caller answers 204).
 * @param {any} company @param {string} set @param {Record<string, unknown>} record @param {string} action
 */
function runBoundAction(company, set, record, action) {
	const definition = STANDARD[set];
	if (!definition?.actions?.includes(action)) {
		throw httpError(400, 'BadRequest_MethodNotAllowed', `The action '${action}' is not bound to the entity set '${set}'.`);
	}
	const noun = NOUN[set] ?? 'document';
	const lineSet = definition.lines?.set ?? '';
	const linesOf = (/** @type {Record<string, unknown>} */ document) => [...company.table(lineSet).values()].filter((line) => line.documentId === document.id);
	const touch = (/** @type {Record<string, unknown>} */ target, /** @type {Record<string, unknown>} */ changes) => Object.assign(target, changes, { '@odata.etag': company.etag(), lastModifiedDateTime: new Date().toISOString() });
	const requireDraft = () => {
		if (record.status !== 'Draft') throw dialog(`The action can be applied to a draft ${noun} only.`);
	};
	const requirePosted = () => {
		if (record.status === 'Draft' || record.status === 'In Review') throw dialog(`The action can be applied to a posted ${noun} only.`);
	};
	const requireLines = () => {
		if (!linesOf(record).length) throw dialog(`Please add at least one line item to the ${noun}.`);
	};
	/** A new document of `targetSet` with `record`'s lines copied; `remove` deletes the source and its lines. */
	const convert = (/** @type {string} */ targetSet, /** @type {Record<string, unknown>} */ values, /** @type {boolean} */ remove) => {
		const target = STANDARD[targetSet];
		const targetLines = /** @type {{ set: string }} */ (target.lines).set;
		const { id, number, status, '@odata.etag': etag, lastModifiedDateTime, ...header } = record;
		const created = company.insert(targetSet, { ...header, ...values }, target);
		for (const line of linesOf(record)) {
			const { id: lineId, documentId, '@odata.etag': lineEtag, ...copy } = line;
			company.insert(targetLines, { ...copy, documentId: created.id }, LINES[targetLines]);
		}
		Object.assign(created, documentTotals(company, targetSet, created.id));
		if (remove) {
			for (const line of linesOf(record)) company.table(lineSet).delete(String(line.id));
			company.table(set).delete(String(record.id));
		}
		return created;
	};

	switch (`${set}.${action}`) {
		case 'salesInvoices.post':
		case 'salesCreditMemos.post':
		case 'purchaseInvoices.post':
			requireDraft();
			requireLines();
			touch(record, { status: Number(record.totalAmountIncludingTax) === 0 ? 'Paid' : 'Open' });
			return;
		case 'salesInvoices.cancel':
		case 'salesCreditMemos.cancel':
			requirePosted();
			if (record.status === 'Canceled') throw dialog(`The ${noun} cannot be canceled because it has already been canceled.`);
			touch(record, { status: 'Canceled' });
			return;
		case 'salesInvoices.makeCorrectiveCreditMemo':
			requirePosted();
			convert('salesCreditMemos', { status: 'Draft', invoiceId: record.id, invoiceNumber: record.number, creditMemoDate: new Date().toISOString().slice(0, 10) }, false);
			return;
		case 'salesOrders.shipAndInvoice':
			requireLines();
			convert('salesInvoices', { status: 'Open', orderId: record.id, orderNumber: record.number, invoiceDate: record.orderDate ?? null }, true);
			return;
		case 'salesQuotes.makeInvoice':
			requireLines();
			convert('salesInvoices', { status: 'Draft', invoiceDate: new Date().toISOString().slice(0, 10) }, true);
			return;
		case 'salesQuotes.makeOrder':
			requireLines();
			convert('salesOrders', { status: 'Draft', orderDate: new Date().toISOString().slice(0, 10) }, true);
			return;
		case 'journals.post':
			if (!linesOf(record).length) throw dialog('There is nothing to post.');
			for (const line of linesOf(record)) company.table(lineSet).delete(String(line.id));
			touch(record, {});
			return;
		default:
			throw httpError(400, 'BadRequest', `The sandbox does not model Microsoft.NAV.${action} (it e-mails the document).`);
	}
}

module.exports = { runBoundAction };
