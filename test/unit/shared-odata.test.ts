import { encodePathSegment } from '../../nodes/Microsoft/shared/input';
import { odataString } from '../../nodes/Microsoft/shared/odata';
import { buildMultipartBatch, mapBatchEntries, parseMultipartBatchEntries, type ODataBatchRequest } from '../../nodes/Microsoft/shared/odataBatch';

describe('odataString', () => {
	it('quotes and doubles single quotes', () => {
		expect(odataString("O'Brien")).toBe("'O''Brien'");
		expect(odataString("''")).toBe("''''''");
		expect(odataString('plain')).toBe("'plain'");
		expect(odataString('')).toBe("''");
	});
	it('leaves a value that tries to break out of the literal inert', () => {
		const filter = `displayName eq ${odataString("x' or 1 eq 1 or name eq 'y")}`;
		expect(filter).toBe("displayName eq 'x'' or 1 eq 1 or name eq ''y'");
	});
});

describe('encodePathSegment', () => {
	it('encodes separators, reserved and OData delimiters', () => {
		expect(encodePathSegment('a/b', 'ID')).toBe('a%2Fb');
		expect(encodePathSegment("it's (1)*!", 'ID')).toBe('it%27s%20%281%29%2A%21');
		expect(encodePathSegment('100% #1?', 'ID')).toBe('100%25%20%231%3F');
		expect(encodePathSegment('ünï', 'ID')).toBe('%C3%BCn%C3%AF');
	});
});

describe('OData $batch change sets', () => {
	const requests: ODataBatchRequest[] = [
		{ id: '0', method: 'POST', url: 'https://org.test/api/data/v9.2/accounts', body: { name: 'a' }, changeSet: 'cs1' },
		{ id: '1', method: 'POST', url: 'https://org.test/api/data/v9.2/accounts', body: { name: 'b' }, changeSet: 'cs1' },
		{ id: '2', method: 'GET', url: 'https://org.test/api/data/v9.2/WhoAmI' },
	];

	it('puts consecutive requests of one change set into a nested multipart with their Content-IDs', () => {
		const { body, contentType } = buildMultipartBatch(requests, 'batch_x');
		expect(contentType).toBe('multipart/mixed; boundary=batch_x');
		const changeSet = /Content-Type: multipart\/mixed; boundary=(changeset_[0-9a-f-]+)/.exec(body)?.[1];
		expect(changeSet).toBeDefined();
		// Two members inside the change set, closed before the GET that stands alone.
		expect(body.split(`--${changeSet}\r\n`).length - 1).toBe(2);
		expect(body.indexOf(`--${changeSet}--`)).toBeLessThan(body.indexOf('GET https://org.test/api/data/v9.2/WhoAmI'));
		expect(body).toContain('Content-ID: 0\r\n\r\nPOST https://org.test/api/data/v9.2/accounts HTTP/1.1');
		expect(body.trimEnd().endsWith('--batch_x--')).toBe(true);
		const parsedTop = parseMultipartBatchEntries(body.replace(/(POST|GET) \S+ HTTP\/1\.1/g, 'HTTP/1.1 204 No Content'), contentType);
		expect(parsedTop.map((entry) => [entry.changeSet, entry.parts.length])).toEqual([[true, 2], [false, 1]]);
	});

	const answer = (parts: string[]) => `--r\r\n${parts.join('\r\n--r\r\n')}\r\n--r--\r\n`;
	const http = (status: string, id?: string, body = '') =>
		`Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n${id ? `Content-ID: ${id}\r\n` : ''}\r\nHTTP/1.1 ${status}\r\nContent-Type: application/json\r\n\r\n${body}`;

	it('maps a committed change set by Content-ID and the single request after it', () => {
		const changeSet = `Content-Type: multipart/mixed; boundary=cs\r\n\r\n--cs\r\n${http('204 No Content', '1')}\r\n--cs\r\n${http('204 No Content', '0')}\r\n--cs--`;
		const entries = parseMultipartBatchEntries(answer([changeSet, http('200 OK', undefined, '{"UserId":"u"}')]), 'multipart/mixed; boundary=r');
		const results = mapBatchEntries(requests, entries);
		expect(results.map((result) => [result.id, result.status])).toEqual([['0', 204], ['1', 204], ['2', 200]]);
		expect(results[2].body).toEqual({ UserId: 'u' });
	});

	it('gives a rolled-back change set\'s error to the request it names and 424 to the others', () => {
		const failed = http('400 Bad Request', '1', '{"error":{"code":"0x0","message":"Invalid property \'nope\'"}}');
		const results = mapBatchEntries(requests, parseMultipartBatchEntries(answer([failed, http('200 OK')]), 'multipart/mixed; boundary=r'));
		expect(results[1].status).toBe(400);
		expect(results[0].status).toBe(424);
		expect(JSON.stringify(results[0].body)).toMatch(/rolled back because request 1 of it failed: Invalid property 'nope'/);
		expect(results[2].status).toBe(200);
	});

	it('a throttled change set gives every request the 429 and its Retry-After, so it is sent again whole', () => {
		const throttled = http('429 Too Many Requests', undefined, '{"error":{"code":"0x80072322","message":"Number of requests exceeded"}}').replace('Content-Type: application/json', 'Retry-After: 7\r\nContent-Type: application/json');
		const results = mapBatchEntries(requests.slice(0, 2), parseMultipartBatchEntries(answer([throttled]), 'multipart/mixed; boundary=r'));
		expect(results.map((result) => result.status)).toEqual([429, 429]);
		expect(results.map((result) => result.headers['retry-after'])).toEqual(['7', '7']);
	});
});
