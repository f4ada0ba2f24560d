/**
 * What the webhook trigger does with each POST from Graph: answers the validation handshake, refuses anything
 * without our clientState, keeps the subscription alive on lifecycle notifications (and renews it on ordinary ones
 * when half its lifetime has passed), and emits each new item once, fetched in full.
 */
import { timingSafeEqual } from 'node:crypto';

import type { IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { MicrosoftConnection } from '../../shared/connection';
import { httpStatusOf } from '../../shared/errors';
import { withoutPreAuthenticatedUrls } from '../../shared/output';
import { graphRequest } from '../../shared/transport';
import { itemPathFor, type WatchedScope } from './events';
import { createSubscription, renewalDue, renewSubscription, stateOf, type SubscriptionState } from './subscription';

/** Most notification resources remembered against redelivery. */
const MAX_SEEN = 1000;
/** Graph's validation tokens are short texts; anything longer is not Graph. */
const MAX_VALIDATION_TOKEN = 1024;

interface Notification {
	subscriptionId?: string;
	clientState?: string;
	changeType?: string;
	resource?: string;
	lifecycleEvent?: string;
	subscriptionExpirationDateTime?: string;
}

function sameSecret(given: unknown, expected: string | undefined): boolean {
	if (typeof given !== 'string' || !expected) return false;
	const a = Buffer.from(given);
	const b = Buffer.from(expected);
	return a.length === b.length && timingSafeEqual(a, b);
}

/** The handshake Graph sends before it creates or moves a subscription: the token back as text/plain within 10 s. */
export function answerValidation(ctx: IWebhookFunctions): IWebhookResponseData | undefined {
	const token = (ctx.getQueryData() as { validationToken?: unknown }).validationToken;
	if (token === undefined) return undefined;
	const res = ctx.getResponseObject();
	if (typeof token !== 'string' || token.length > MAX_VALIDATION_TOKEN) {
		res.status(400).end();
	} else {
		res.status(200).type('text/plain').send(token);
	}
	return { noWebhookResponse: true };
}

/** Renews; a subscription that lapsed meanwhile (renewal came too late) is replaced instead. */
async function renewOrReplace(ctx: IWebhookFunctions, conn: MicrosoftConnection, scope: WatchedScope): Promise<void> {
	try {
		await renewSubscription(ctx, conn);
	} catch (error) {
		if (httpStatusOf(error) !== 404) throw error;
		await createSubscription(ctx, conn, scope);
	}
}

async function handleLifecycle(ctx: IWebhookFunctions, conn: MicrosoftConnection, scope: WatchedScope, notification: Notification): Promise<void> {
	const state = stateOf(ctx);
	switch (notification.lifecycleEvent) {
		case 'reauthorizationRequired':
			// Graph asks before the subscription lapses (or its authorization must be refreshed): one PATCH does both.
			if (notification.subscriptionId === state.subscriptionId) await renewOrReplace(ctx, conn, scope);
			return;
		case 'subscriptionRemoved':
			// Graph dropped it (e.g. permissions changed): subscribe again so the workflow keeps running.
			if (notification.subscriptionId === state.subscriptionId) await createSubscription(ctx, conn, scope);
			return;
		case 'missed':
			ctx.logger.warn('Microsoft Graph reported missed Teams notifications; changes in that gap are not emitted', { subscriptionId: notification.subscriptionId });
			return;
		default:
			ctx.logger.warn('Unknown Microsoft Graph lifecycle notification ignored', { lifecycleEvent: notification.lifecycleEvent });
	}
}

/** Subscription upkeep never costs the items of this POST: a failure is logged (the next notification or a restart tries again). */
async function keepAlive(ctx: IWebhookFunctions, what: string, action: () => Promise<void>): Promise<void> {
	try {
		await action();
	} catch (error) {
		ctx.logger.error(`Microsoft 365 Teams Trigger could not ${what}: ${(error as Error).message}`);
	}
}

function alreadySeen(state: SubscriptionState, key: string): boolean {
	const seen = (state.seen ??= {});
	if (key in seen) return true;
	seen[key] = Date.now();
	const keys = Object.keys(seen);
	for (let i = 0; i < keys.length - MAX_SEEN; i++) delete seen[keys[i]];
	return false;
}

async function fetchItem(ctx: IWebhookFunctions, conn: MicrosoftConnection, path: string, notification: Notification): Promise<IDataObject | undefined> {
	try {
		return (await graphRequest(ctx, conn, { url: path, operation: 'read the new Teams item' })).body as IDataObject;
	} catch (error) {
		if (httpStatusOf(error) === 404) return undefined; // deleted before we could read it
		// Graph already has its answer: emit what the notification says rather than lose the change.
		return { resource: notification.resource, changeType: notification.changeType, error: (error as Error).message };
	}
}

/** One POST from Graph → the items to emit (none for handshakes, lifecycle notifications and repeats). */
export async function receiveNotifications(ctx: IWebhookFunctions, conn: () => Promise<MicrosoftConnection>, scope: () => WatchedScope): Promise<IWebhookResponseData> {
	const handshake = answerValidation(ctx);
	if (handshake) return handshake;
	const res = ctx.getResponseObject();
	const state = stateOf(ctx);
	const body = ctx.getBodyData() as { value?: unknown };
	const all = (Array.isArray(body.value) ? body.value : []) as Notification[];
	const ours = all.filter((notification) => notification && sameSecret(notification.clientState, state.clientState));
	if (!ours.length) {
		res.status(all.length ? 403 : 400).json({ error: all.length ? 'clientState does not match this trigger' : 'Not a change notification' });
		return { noWebhookResponse: true };
	}
	// Answer at once: Graph retries (and may drop the subscription) when the answer takes over 3 seconds.
	res.status(202).end();

	const connection = await conn();
	const watched = scope();
	const items: INodeExecutionData[] = [];
	let renewChecked = false;
	for (const notification of ours) {
		if (notification.lifecycleEvent) {
			await keepAlive(ctx, 'handle a lifecycle notification', () => handleLifecycle(ctx, connection, watched, notification));
			continue;
		}
		if (!renewChecked && notification.subscriptionId === state.subscriptionId) {
			renewChecked = true;
			if (renewalDue(state, notification.subscriptionExpirationDateTime)) await keepAlive(ctx, 'renew the subscription', () => renewOrReplace(ctx, connection, watched));
		}
		if (notification.changeType !== 'created' || typeof notification.resource !== 'string') continue;
		const path = itemPathFor(watched, notification.resource);
		if (!path || alreadySeen(state, path.toLowerCase())) continue;
		const item = await fetchItem(ctx, connection, path, notification);
		if (item) items.push({ json: withoutPreAuthenticatedUrls(item) });
	}
	return { noWebhookResponse: true, ...(items.length ? { workflowData: [items] } : {}) };
}
