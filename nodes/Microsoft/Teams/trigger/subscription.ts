/**
 * The webhook trigger's Graph subscription: created on activation, found again on restart, renewed before it
 * expires, replaced when Graph removes it, deleted on deactivation. What lives in static data is only what
 * Graph cannot tell us again (the clientState secret) and what saves a request (id, expiry); every decision
 * re-reads Graph, so nothing depends on which n8n process ran the previous step.
 */
import { randomBytes } from 'node:crypto';

import type { IDataObject, IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

import type { MicrosoftConnection } from '../../shared/connection';
import { httpStatusOf } from '../../shared/errors';
import { encodePathSegment } from '../../shared/input';
import { graphRequest } from '../../shared/transport';
import type { WatchedScope } from './events';

export type SubscriptionContext = IHookFunctions | IWebhookFunctions;

/** Graph's longest lifetime for Teams resources is 4,320 minutes; ask a little less so clock skew never exceeds it. */
export const REQUESTED_LIFETIME_MS = (4320 - 10) * 60_000;

/** What the trigger keeps in the node's static data. */
export interface SubscriptionState {
	subscriptionId?: string;
	/** The secret Graph echoes in every notification; only this trigger and Graph know it. */
	clientState?: string;
	/** Expiry Graph granted (ISO), and how long that lifetime was: renewal is due when half of it is left. */
	expiresAt?: string;
	lifetimeMs?: number;
	scopeKey?: string;
	notificationUrl?: string;
	/** Notification resources already emitted (newest last, bounded), so a redelivery never fires twice. */
	seen?: Record<string, number>;
}

export function stateOf(ctx: SubscriptionContext): SubscriptionState {
	return ctx.getWorkflowStaticData('node') as SubscriptionState;
}

const ADVICE = {
	invalidrequest:
		"Graph could not reach n8n's webhook URL. It must be a public https address that Microsoft's servers can call: set n8n's WEBHOOK_URL to it (behind a reverse proxy or tunnel), or use the Microsoft 365 Teams Polling Trigger instead.",
	extensionerror: 'Graph refused the subscription; the message says why.',
};

function webhookUrlOf(ctx: SubscriptionContext): string {
	const url = ctx.getNodeWebhookUrl('default');
	if (!url) throw new Error('n8n gave no webhook URL for this trigger');
	return url;
}

const subscriptionPath = (id: string) => `/subscriptions/${encodePathSegment(id, 'Subscription')}`;

function remember(state: SubscriptionState, body: IDataObject, grantedAt: number): void {
	const expires = Date.parse(String(body.expirationDateTime ?? ''));
	state.subscriptionId = String(body.id);
	if (Number.isFinite(expires)) {
		state.expiresAt = new Date(expires).toISOString();
		state.lifetimeMs = Math.max(expires - grantedAt, 0);
	}
}

/** True when less than half of the granted lifetime is left (or the expiry is unknown). */
export function renewalDue(state: SubscriptionState, expiresAt = state.expiresAt, now = Date.now()): boolean {
	const expires = Date.parse(expiresAt ?? '');
	if (!Number.isFinite(expires) || !state.lifetimeMs) return true;
	return expires - now < state.lifetimeMs / 2;
}

/** Creates the subscription (Graph first checks the URL with its validation handshake, answered by the webhook). */
export async function createSubscription(ctx: SubscriptionContext, conn: MicrosoftConnection, scope: WatchedScope): Promise<void> {
	const state = stateOf(ctx);
	const notificationUrl = webhookUrlOf(ctx);
	// The same secret across replacements: notifications of an old subscription still in flight stay valid.
	const clientState = state.scopeKey === scope.key && state.clientState ? state.clientState : randomBytes(32).toString('base64url');
	const grantedAt = Date.now();
	const response = await graphRequest(ctx, conn, {
		method: 'POST',
		url: '/subscriptions',
		body: {
			changeType: 'created',
			notificationUrl,
			// Lifecycle notifications (renewal due, subscription removed) come to the same webhook.
			lifecycleNotificationUrl: notificationUrl,
			resource: scope.resource.replace(/^\//, ''),
			expirationDateTime: new Date(grantedAt + REQUESTED_LIFETIME_MS).toISOString(),
			clientState,
		},
		operation: 'subscribe to Teams changes',
		advice: ADVICE,
	});
	Object.assign(state, { clientState, scopeKey: scope.key, notificationUrl });
	remember(state, response.body as IDataObject, grantedAt);
}

/** Extends the subscription (a PATCH also reauthorizes it, as Microsoft advises). */
export async function renewSubscription(ctx: SubscriptionContext, conn: MicrosoftConnection): Promise<void> {
	const state = stateOf(ctx);
	if (!state.subscriptionId) return;
	const grantedAt = Date.now();
	const response = await graphRequest(ctx, conn, {
		method: 'PATCH',
		url: subscriptionPath(state.subscriptionId),
		body: { expirationDateTime: new Date(grantedAt + REQUESTED_LIFETIME_MS).toISOString() },
		operation: 'renew the Teams subscription',
		advice: ADVICE,
	});
	remember(state, response.body as IDataObject, grantedAt);
}

async function readSubscription(ctx: SubscriptionContext, conn: MicrosoftConnection, id: string): Promise<IDataObject | undefined> {
	try {
		return (await graphRequest(ctx, conn, { url: subscriptionPath(id), operation: 'read the Teams subscription' })).body as IDataObject;
	} catch (error) {
		if (httpStatusOf(error) === 404) return undefined;
		throw error;
	}
}

async function deleteById(ctx: SubscriptionContext, conn: MicrosoftConnection, id: string): Promise<void> {
	try {
		await graphRequest(ctx, conn, { method: 'DELETE', url: subscriptionPath(id), operation: 'delete the Teams subscription' });
	} catch (error) {
		if (httpStatusOf(error) !== 404) throw error;
	}
}

/**
 * Activation and restart: true when our subscription for this scope and URL is alive (renewed here when due);
 * false makes n8n call create. A subscription for another scope or URL is deleted first.
 */
export async function subscriptionExists(ctx: IHookFunctions, conn: MicrosoftConnection, scope: WatchedScope): Promise<boolean> {
	const state = stateOf(ctx);
	const url = webhookUrlOf(ctx);
	if (!state.subscriptionId) return false;
	const current = await readSubscription(ctx, conn, state.subscriptionId);
	if (!current || state.scopeKey !== scope.key || current.notificationUrl !== url) {
		if (current) await deleteById(ctx, conn, state.subscriptionId);
		delete state.subscriptionId;
		return false;
	}
	if (renewalDue(state, String(current.expirationDateTime ?? ''))) await renewSubscription(ctx, conn);
	return true;
}

/** Deactivation: our subscription goes (already gone is fine); the state is cleared. */
export async function deleteSubscription(ctx: IHookFunctions, conn: MicrosoftConnection): Promise<boolean> {
	const state = stateOf(ctx);
	if (state.subscriptionId) await deleteById(ctx, conn, state.subscriptionId);
	for (const key of Object.keys(state)) delete (state as IDataObject)[key];
	return true;
}
