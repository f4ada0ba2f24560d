/**
 * Sends one request with a connection's credential. n8n's authenticated helper reads the credential again for every
 * request: a database read, decryption and every hidden `=`-expression of the credential (four in ours, run in
 * n8n's expression sandbox). Measured in n8n 2.41 against the local sandbox, that was 10–35 ms of CPU per request,
 * more than the rest of the request. So a connection (one node run, poll or picker call) sends the token n8n holds,
 * read once, through n8n's plain helper (same proxy, SSRF and tracing rules) to the URLs the transport allowed. When
 * Microsoft refuses it (401), n8n renews it as it would have: an OAuth2 token through n8n's refresh (which stores it;
 * the request is sent again once, as n8n does), a client-credential token through n8n's authenticated helper (which
 * signs in again and stores it; the next request reads it). A token that cannot be renewed, or is refused again, is
 * not reused in this connection any more: n8n's authenticated helper sends the rest. A stream body, which could not be
 * sent a second time, always goes through n8n's authenticated helper.
 */
import type { ICredentialDataDecryptedObject, IHttpRequestOptions, IAllExecuteFunctions } from 'n8n-workflow';

import type { MicrosoftConnection, MicrosoftContext } from './connection';

interface TokenState {
	/** The token to send; undefined = read the credential before the next reuse (or send through n8n when none). */
	token?: string;
	/** The credential extends n8n's OAuth2 type (its token is renewed by n8n's refresh). */
	oauth: boolean;
	/** True once n8n may hold a newer token than `token` (after a request n8n sent itself). */
	stale: boolean;
	/** The token Microsoft last refused: reading it again means n8n has no other one. */
	refused?: string;
	reading?: Promise<string | undefined>;
	refreshing?: Promise<string | undefined>;
	/** Reuse stopped for this connection. */
	off?: boolean;
}

/** Per connection, so a token never outlives the node run (or poll, or picker call) that read it. */
const STATES = new WeakMap<MicrosoftConnection, TokenState>();

/** The bearer token in credential data n8n holds: OAuth2's `oauthTokenData.access_token`, or the client-credential type's `accessToken`. */
export function bearerTokenOf(data: ICredentialDataDecryptedObject | undefined): string | undefined {
	const oauth = data?.oauthTokenData as { access_token?: unknown; token_type?: unknown } | undefined;
	if (oauth && typeof oauth === 'object') return bearerOf(oauth);
	const token = data?.accessToken;
	return typeof token === 'string' && token ? token : undefined;
}

/** n8n signs only bearer tokens; anything else stays with n8n's helper. */
function bearerOf(oauth: { access_token?: unknown; token_type?: unknown }): string | undefined {
	const type = typeof oauth.token_type === 'string' ? oauth.token_type.toLowerCase() : 'bearer';
	return type === 'bearer' && typeof oauth.access_token === 'string' && oauth.access_token ? oauth.access_token : undefined;
}

/**
 * Called by `getConnection` with the credential data it read. An OAuth2 token is sent from the first request on (n8n
 * refreshes it after a 401 exactly as its own helper would). A client-credential type's first request goes through
 * n8n's helper, which signs in when no token is stored and signs in again after a 401 without sending a refused token
 * twice; the next requests read the token n8n then holds.
 */
export function rememberCredential(conn: MicrosoftConnection, data: ICredentialDataDecryptedObject): void {
	const oauth = !!data.oauthTokenData && typeof data.oauthTokenData === 'object';
	STATES.set(conn, { token: oauth ? bearerTokenOf(data) : undefined, oauth, stale: false });
}

function stateOf(conn: MicrosoftConnection): TokenState {
	let state = STATES.get(conn);
	if (!state) {
		// A connection built without getConnection: n8n sends its first request, the next ones read the credential.
		state = { oauth: false, stale: false };
		STATES.set(conn, state);
	}
	return state;
}

async function readToken(ctx: MicrosoftContext, conn: MicrosoftConnection, state: TokenState): Promise<string | undefined> {
	state.reading ??= (async () => {
		try {
			const data = (await ctx.getCredentials(conn.credentialType)) as ICredentialDataDecryptedObject;
			state.oauth = !!data?.oauthTokenData && typeof data.oauthTokenData === 'object';
			return bearerTokenOf(data);
		} catch {
			return undefined;
		} finally {
			state.reading = undefined;
		}
	})();
	const token = await state.reading;
	state.stale = false;
	if (!token || token === state.refused) {
		state.off = true;
		return undefined;
	}
	state.token = token;
	return token;
}

/** n8n's OAuth2 refresh (stores the new token); undefined when it fails. Concurrent refusals share one refresh. */
async function refreshToken(ctx: MicrosoftContext, conn: MicrosoftConnection, state: TokenState): Promise<string | undefined> {
	state.refreshing ??= (async () => {
		try {
			const data = (await ctx.helpers.refreshOAuth2Token.call(ctx as unknown as IAllExecuteFunctions, conn.credentialType)) as {
				access_token?: unknown;
				token_type?: unknown;
			};
			return data && typeof data === 'object' ? bearerOf(data) : undefined;
		} catch {
			return undefined;
		} finally {
			state.refreshing = undefined;
		}
	})();
	return await state.refreshing;
}

function withToken(options: IHttpRequestOptions, token: string, ctx: MicrosoftContext): IHttpRequestOptions {
	const headers: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(options.headers ?? {})) if (name.toLowerCase() !== 'authorization') headers[name] = value;
	headers.Authorization = `Bearer ${token}`;
	const reused: IHttpRequestOptions = { ...options, headers: headers as IHttpRequestOptions['headers'], ignoreHttpStatusErrors: true };
	// As n8n's authenticated helper does: cancelling the execution aborts the request.
	const cancel = (ctx as { getExecutionCancelSignal?: () => AbortSignal | undefined }).getExecutionCancelSignal?.();
	if (cancel && !reused.abortSignal) reused.abortSignal = cancel;
	return reused;
}

type FullResponse = { statusCode?: number };

/**
 * One HTTP exchange with the connection's credential (the caller has checked the URL). Returns what n8n's helpers
 * return (`returnFullResponse`), or throws what they throw.
 */
export async function sendWithCredential(ctx: MicrosoftContext, conn: MicrosoftConnection, options: IHttpRequestOptions): Promise<unknown> {
	const state = stateOf(conn);
	const viaN8n = async () => {
		try {
			return await ctx.helpers.httpRequestWithAuthentication.call(ctx as unknown as IAllExecuteFunctions, conn.credentialType, options);
		} finally {
			// n8n may have renewed the token while sending this one: read it before the next reuse.
			state.token = undefined;
			state.stale = true;
		}
	};
	const replayable = options.body === undefined || Buffer.isBuffer(options.body);
	if (state.off || !replayable) return await viaN8n();
	const token = state.token ?? (state.stale ? await readToken(ctx, conn, state) : undefined);
	if (!token) return await viaN8n();
	const send = async (bearer: string) => (await ctx.helpers.httpRequest(withToken(options, bearer, ctx))) as FullResponse;
	const response = await send(token);
	if (response?.statusCode !== 401) return response;
	state.refused = token;
	state.token = undefined;
	if (!state.oauth) return await viaN8n(); // n8n signs in again after its own 401 and stores the token
	const renewed = await refreshToken(ctx, conn, state);
	if (!renewed || renewed === token) {
		// n8n could not renew it: its helper sends the request as before (and fails as before).
		state.off = true;
		return await viaN8n();
	}
	state.token = renewed;
	state.stale = false;
	const again = await send(renewed);
	if (again?.statusCode === 401) {
		state.refused = renewed;
		state.off = true;
	}
	return again;
}
