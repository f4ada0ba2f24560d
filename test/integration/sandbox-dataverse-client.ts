/**
 * Raw HTTPS client for the sandbox's Dataverse tests (sandbox-dataverse*.test.ts): a token of an app with an
 * application user, OData headers, JSON bodies, and multipart `$batch` payloads built from parts and change sets.
 */
import { SEED, startSandbox, type Sandbox } from '../sandbox';
import { sandboxRequest } from '../sandbox/httpClient';

export const API = '/api/data/v9.2';

export interface DataverseResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	text: string;
	json: any;
}

export interface DataverseClient {
	sandbox: Sandbox;
	base: string;
	token: string;
	request(method: string, path: string, options?: { headers?: Record<string, string>; body?: unknown; raw?: Buffer | string }): Promise<DataverseResponse>;
	get(path: string, headers?: Record<string, string>): Promise<DataverseResponse>;
	post(path: string, body: unknown, headers?: Record<string, string>): Promise<DataverseResponse>;
	patch(path: string, body: unknown, headers?: Record<string, string>): Promise<DataverseResponse>;
	del(path: string, headers?: Record<string, string>): Promise<DataverseResponse>;
	stop(): Promise<void>;
}

/** Starts a sandbox and returns a client with an app-only Dataverse token. */
export async function startDataverse(): Promise<DataverseClient> {
	const sandbox = await startSandbox({ port: 0 });
	const token = sandbox.issueToken({ appId: SEED.apps.singleTenant.clientId, audience: sandbox.dataverseUrl });
	const base = `${sandbox.dataverseUrl}${API}`;
	const request: DataverseClient['request'] = async (method, path, options = {}) => {
		const url = path.startsWith('https://') ? path : `${base}/${path.replace(/^\//, '')}`;
		const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
		const response = await sandboxRequest(url, {
			method,
			headers: {
				authorization: `Bearer ${token}`,
				accept: 'application/json',
				'odata-version': '4.0',
				'odata-maxversion': '4.0',
				...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
				...(options.headers ?? {}),
			},
			body,
			ca: sandbox.tls.ca,
		});
		return response as DataverseResponse;
	};
	return {
		sandbox,
		base,
		token,
		request,
		get: (path, headers) => request('GET', path, { headers }),
		post: (path, body, headers) => request('POST', path, { body, headers }),
		patch: (path, body, headers) => request('PATCH', path, { body, headers }),
		del: (path, headers) => request('DELETE', path, { headers }),
		stop: () => sandbox.stop(),
	};
}

export interface BatchRequest {
	method: string;
	url: string;
	body?: unknown;
	headers?: string[];
	contentId?: string;
}

/** A multipart `$batch` body: plain requests and change sets (arrays). */
export function batchBody(boundary: string, items: Array<BatchRequest | BatchRequest[]>): string {
	const part = (request: BatchRequest) => [
		'Content-Type: application/http',
		'Content-Transfer-Encoding: binary',
		...(request.contentId ? [`Content-ID: ${request.contentId}`] : []),
		'',
		`${request.method} ${request.url} HTTP/1.1`,
		...(request.body !== undefined ? ['Content-Type: application/json'] : []),
		...(request.headers ?? []),
		'',
		request.body === undefined ? '' : JSON.stringify(request.body),
	].join('\r\n');
	const lines: string[] = [];
	items.forEach((item, index) => {
		if (Array.isArray(item)) {
			const changeset = `changeset_${index}`;
			lines.push(`--${boundary}`, `Content-Type: multipart/mixed; boundary=${changeset}`, '');
			for (const request of item) lines.push(`--${changeset}`, part(request));
			lines.push(`--${changeset}--`);
		} else {
			lines.push(`--${boundary}`, part(item));
		}
	});
	lines.push(`--${boundary}--`, '');
	return lines.join('\r\n');
}

/** The answer's `application/http` parts in order: status, Content-ID and JSON body (change sets flattened). */
export function batchAnswers(text: string): Array<{ status: number; contentId: string | null; headers: Record<string, string>; json: any; inChangeSet: boolean }> {
	const out: Array<{ status: number; contentId: string | null; headers: Record<string, string>; json: any; inChangeSet: boolean }> = [];
	const pattern = /Content-Type: application\/http\r\nContent-Transfer-Encoding: binary\r\n(?:Content-ID: (\S+)\r\n)?\r\nHTTP\/1\.1 (\d{3})[^\r\n]*\r\n((?:[^\r\n]+\r\n)*)\r\n([\s\S]*?)(?=\r\n--)/g;
	for (const match of text.matchAll(pattern)) {
		const headers: Record<string, string> = {};
		for (const line of match[3].split('\r\n').filter(Boolean)) headers[line.slice(0, line.indexOf(':')).toLowerCase()] = line.slice(line.indexOf(':') + 1).trim();
		const before = text.slice(0, match.index);
		const inChangeSet = /--changesetresponse_[\w-]+\r\n$/.test(before);
		out.push({ status: Number(match[2]), contentId: match[1] ?? null, headers, json: match[4].trim() ? JSON.parse(match[4]) : null, inChangeSet });
	}
	return out;
}
