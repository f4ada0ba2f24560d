/**
 * Sends one request with a connection's credential. n8n's authenticated helper reads the credential again for every
 * request: a database read, decryption and every hidden `=`-expression of the credential (four in ours, run in
 * n8n's expression sandbox). Measured in n8n 2.41 against the local sandbox, that was 10–15 ms of CPU per request,
 * more than the rest of the request. So within one connection (one node run, poll or picker call) only the first
 * request goes through n8n's authenticated helper, where n8n refreshes an expired OAuth2 token or runs the
 * client-credential sign-in as it always does; the token n8n then holds is read once and sent by n8n's plain helper
 * (same proxy, SSRF and tracing rules) to the same allowed URLs. A 401 goes back through the authenticated helper,
 * which refreshes and stores a new token; the next request reads it. A token that is refused even after that is not
 * reused again in this connection.
 */
import type { ICredentialDataDecryptedObject, IHttpRequestOptions, IAllExecuteFunctions } from 'n8n-workflow';

import type { MicrosoftConnection, MicrosoftContext } from './connection';

interface TokenState {
	/** Requests answered so far: the first one always goes through n8n's authenticated helper. */
	answered: number;
	/** The token to reuse, once read; undefined = read it before the next reuse. */
	token?: string;
	reading?: Promise<string | undefined>;
	/** The token that was last refused: reading the same one again means n8n has no better one. */
	refused?: string;
	/** Reuse stopped for this connection (no token, or a refused one came back). */
	off?: boolean;
}

/** Per connection, so a token never outlives the node run (or poll, or picker call) that read it. */
const STATES = new WeakMap<MicrosoftConnection, TokenState>();

/** The bearer token in credential data n8n holds: OAuth2's `oauthTokenData.access_token`, or the client-credential type's `accessToken`. */
export function bearerTokenOf(data: ICredentialDataDecryptedObject | undefined): string | undefined {
	const oauth = data?.oauthTokenData as { access_token?: unknown; token_type?: unknown } | undefined;
	if (oauth && typeof oauth === 'object') {
		// n8n signs only bearer tokens; anything else stays with n8n's helper.
		const type = typeof oauth.token_type === 'string' ? oauth.token_type.toLowerCase() : 'bearer';
		return type === 'bearer' && typeof oauth.access_token === 'string' && oauth.access_token ? oauth.access_token : undefined;
	}
	const token = data?.accessToken;
	return typeof token === 'string' && token ? token : undefined;
}

async function readToken(ctx: MicrosoftContext, conn: MicrosoftConnection, state: TokenState): Promise<string | undefined> {
	state.reading ??= (async () => {
		try {
			return bearerTokenOf((await ctx.getCredentials(conn.credentialType)) as ICredentialDataDecryptedObject);
		} catch {
			return undefined;
		}
	})();
	const token = await state.reading;
	state.reading = undefined;
	if (!token || token === state.refused) {
		state.off = true;
		return undefined;
	}
	state.token = token;
	return token;
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

/**
 * One HTTP exchange with the connection's credential (the caller has checked the URL). Returns what n8n's helpers
 * return (`returnFullResponse`), or throws what they throw.
 */
export async function sendWithCredential(ctx: MicrosoftContext, conn: MicrosoftConnection, options: IHttpRequestOptions): Promise<unknown> {
	let state = STATES.get(conn);
	if (!state) {
		state = { answered: 0 };
		STATES.set(conn, state);
	}
	const authenticated = async () => {
		try {
			return await ctx.helpers.httpRequestWithAuthentication.call(ctx as unknown as IAllExecuteFunctions, conn.credentialType, options);
		} finally {
			// Whatever the answer, n8n has refreshed or signed in by now if the token needed it.
			state.answered++;
		}
	};
	// A body that cannot be sent twice (a stream) could not follow a 401 to n8n's helper.
	const replayable = options.body === undefined || Buffer.isBuffer(options.body);
	if (state.off || state.answered === 0 || !replayable) return await authenticated();
	const token = state.token ?? (await readToken(ctx, conn, state));
	if (!token) return await authenticated();
	const response = (await ctx.helpers.httpRequest(withToken(options, token, ctx))) as { statusCode?: number };
	if (response?.statusCode !== 401) {
		state.answered++;
		return response;
	}
	// Refused (expired, revoked): n8n refreshes or signs in again, and the next request reads what it stored.
	state.refused = token;
	state.token = undefined;
	return await authenticated();
}
