import type { IncomingHttpHeaders } from 'node:http';

export interface SandboxHttpResponse {
	status: number;
	headers: IncomingHttpHeaders;
	text: string;
	/** parsed body, undefined when not JSON */
	json: any;
}

export function sandboxRequest(
	url: string,
	options?: { method?: string; headers?: Record<string, string>; body?: string | Buffer; ca?: string },
): Promise<SandboxHttpResponse>;

export function form(fields: Record<string, string>): string;
