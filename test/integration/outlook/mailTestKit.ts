/**
 * Small helpers the draft and attachment tests share: deterministic bytes, binary input items (also one whose
 * file really is larger than Outlook's 150 MB limit, stored sparse), the Graph API as the app (to read other
 * mailboxes, e.g. a recipient's Inbox) and the node's list search.
 */
import { createHash } from 'node:crypto';
import { truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { IDataObject, INodeExecutionData, INodeListSearchResult, INodeParameters } from 'n8n-workflow';

import { CONTOSO, SEED, type OutlookFixture } from './fixture';

export const MIB = 1024 * 1024;

/** `size` bytes of a repeatable pattern (a chain of SHA-256 blocks from `seed`). */
export function patternBytes(size: number, seed: string): Buffer {
	const out = Buffer.allocUnsafe(size);
	let block = createHash('sha256').update(seed).digest();
	for (let offset = 0; offset < size; offset += block.length) {
		block.copy(out, offset, 0, Math.min(block.length, size - offset));
		block = createHash('sha256').update(block).digest();
	}
	return out;
}

/** An input item with `bytes` in the binary field `property`, stored like n8n's nodes store files. */
export async function binaryItem(env: OutlookFixture, bytes: Buffer, fileName: string, mimeType = 'application/octet-stream', property = 'data'): Promise<INodeExecutionData> {
	return { json: {}, binary: { [property]: await env.harness.prepareBinary(bytes, fileName, mimeType) } };
}

/**
 * An input item whose file is `size` bytes (filesystem binary mode only): a one-byte file stored by n8n, then
 * extended on disk to `size` (sparse: nothing is written) with n8n's metadata updated to match, so the store
 * reports and would stream a file of that size.
 */
export async function oversizedBinaryItem(env: OutlookFixture, size: number, fileName: string): Promise<INodeExecutionData> {
	if (env.harness.binaryMode !== 'filesystem') throw new Error('oversizedBinaryItem needs the filesystem binary mode');
	const binary = await env.harness.prepareBinary(Buffer.from('x'), fileName, 'application/octet-stream');
	const file = join(env.harness.binaryStoragePath, String(binary.id).replace(/^[^:]+:/, ''));
	await truncate(file, size);
	await writeFile(`${file}.metadata`, JSON.stringify({ fileName, mimeType: 'application/octet-stream', fileSize: size }));
	return { json: {}, binary: { data: { ...binary, bytes: size } } };
}

/** Alice's attachments of a message as Graph lists them (metadata only). */
export async function attachmentsOf(env: OutlookFixture, messageId: string): Promise<IDataObject[]> {
	const response = await env.graph('GET', `/me/messages/${encodeURIComponent(messageId)}/attachments?$select=id,name,size,contentType`);
	expect(response.status).toBe(200);
	return response.body.value as IDataObject[];
}

/** The bytes of one of Alice's attachments, as Graph's `$value` returns them. */
export async function attachmentBytes(env: OutlookFixture, messageId: string, attachmentId: string): Promise<Buffer> {
	const response = await fetch(`${env.sandbox.graphUrl}/v1.0/me/messages/${encodeURIComponent(messageId)}/attachments/${encodeURIComponent(attachmentId)}/$value`, {
		headers: { Authorization: `Bearer ${env.aliceToken}` },
	});
	expect(response.status).toBe(200);
	return Buffer.from(await response.arrayBuffer());
}

/** Graph as the app (Mail.ReadWrite on every Contoso mailbox): for looking into mailboxes other than Alice's. */
export async function graphAsApp<T = any>(env: OutlookFixture, method: string, path: string): Promise<{ status: number; body: T; bytes: Buffer }> {
	const token = env.sandbox.issueToken({ tenant: CONTOSO, appId: SEED.apps.singleTenant.clientId, roles: ['Mail.ReadWrite'], lifetimeSeconds: 600 });
	const response = await fetch(`${env.sandbox.graphUrl}/v1.0${path}`, { method, headers: { Authorization: `Bearer ${token}` } });
	const bytes = Buffer.from(await response.arrayBuffer());
	let body: unknown;
	try {
		body = JSON.parse(bytes.toString('utf8'));
	} catch {
		body = undefined;
	}
	return { status: response.status, body: body as T, bytes };
}

/** Runs one of the node's list search methods as the editor would, with the editor's current parameters. */
export async function listSearch(env: OutlookFixture, method: string, parameters: INodeParameters, filter?: string): Promise<INodeListSearchResult> {
	const ctx = env.harness.loadOptionsContext(env.node, { parameters: { authentication: 'oAuth2', mailbox: 'me', ...parameters } });
	const fn = (env.node.methods.listSearch as Record<string, (this: unknown, filter?: string) => Promise<INodeListSearchResult>>)[method];
	return await fn.call(ctx, filter);
}

/** Requests the sandbox saw, as `METHOD host path` lines (for readable assertions). */
export function requestLines(env: OutlookFixture): string[] {
	return env.requests().map((r) => `${r.method} ${r.host} ${r.path}`);
}
