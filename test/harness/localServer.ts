/**
 * A tiny local HTTP server for harness tests: records every request (method, url, headers, body) and
 * answers through a handler the test supplies. Listens on 127.0.0.1 with a random port.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
	method: string;
	url: string;
	headers: IncomingMessage['headers'];
	body: Buffer;
}

export type LocalHandler = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface LocalServer {
	url: string;
	requests: RecordedRequest[];
	close(): Promise<void>;
}

export async function startLocalServer(handler: LocalHandler): Promise<LocalServer> {
	const requests: RecordedRequest[] = [];
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const recorded: RecordedRequest = {
				method: req.method ?? 'GET',
				url: req.url ?? '/',
				headers: req.headers,
				body: Buffer.concat(chunks),
			};
			requests.push(recorded);
			Promise.resolve(handler(recorded, res)).catch((error: unknown) => {
				res.statusCode = 500;
				res.end(String(error));
			});
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
	res.end(JSON.stringify(body));
}
