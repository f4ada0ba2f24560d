import {
	assertHeaderValue,
	assertWellFormedText,
	encodePathSegment,
	InputValueError,
	isWellFormedText,
	pathSegmentProblem,
} from '../../nodes/Microsoft/shared/input';
import { toNodeApiError } from '../../nodes/Microsoft/shared/errors';
import { BAD_PATH_SEGMENTS } from '../harness/badInput';

const node = { id: '1', name: 'OneDrive', type: 'microsoft365OneDrive', typeVersion: 1, position: [0, 0] as [number, number], parameters: {} };

describe('encodePathSegment refuses what would move a request to another resource', () => {
	it.each(BAD_PATH_SEGMENTS.map((bad) => [bad.label, bad.value]))('%s', (_label, value) => {
		expect(() => encodePathSegment(value, 'Site')).toThrow(InputValueError);
		expect(() => encodePathSegment(value, 'Site')).toThrow(/^"Site" /);
	});

	it('keeps real IDs, names and site IDs', () => {
		const good = [
			'01BYE5RZ6QN3ZWBTUFOFD3GSPGOHDJD36K',
			'D4648F06C91D9D3D!54927',
			'contoso.sharepoint.com,2C712604-1370-44E7-A1F5-426573FDA80A,2D2244C3-251A-49EA-93A8-39E1C3A060FE',
			'alice@contoso.onmicrosoft.com',
			'a..b',
			'...',
			'.hidden',
			'report.v2.xlsx',
			'naïve 😀.txt',
			'a/b',
		];
		for (const value of good) {
			expect(pathSegmentProblem(value)).toBeUndefined();
			expect(decodeURIComponent(encodePathSegment(value, 'ID'))).toBe(value);
		}
	});

	it('a URL built with a refused value would indeed have been collapsed by the URL parser', () => {
		// Why the guard exists: these are the forms WHATWG URL treats as dot segments.
		expect(new URL('https://graph.example/v1.0/sites/../drive').pathname).toBe('/v1.0/drive');
		expect(new URL('https://graph.example/v1.0/sites/%2e%2E/drive').pathname).toBe('/v1.0/drive');
		expect(new URL('https://graph.example/v1.0/sites/.%2e/drive').pathname).toBe('/v1.0/drive');
	});
});

describe('text and header guards', () => {
	it('finds lone surrogates and accepts pairs', () => {
		expect(isWellFormedText('ok 😀')).toBe(true);
		expect(isWellFormedText('\uD83D')).toBe(false);
		expect(isWellFormedText('x\uDE00')).toBe(false);
		expect(() => assertWellFormedText('cut \uD83D', 'File Name')).toThrow('"File Name" contains a broken character');
	});

	it('refuses CR, LF and NUL in header values and names', () => {
		expect(() => assertHeaderValue('Content-Type', 'text/plain\r\nX-Injected: 1', 'MIME Type')).toThrow('"MIME Type" contains a line break');
		expect(() => assertHeaderValue('X\nY', 'v')).toThrow('"Header X\nY"');
		expect(() => assertHeaderValue('Content-Type', 'a\u0000b')).toThrow(InputValueError);
		expect(() => assertHeaderValue('Content-Type', 'application/pdf; charset=utf-8')).not.toThrow();
	});

	it('becomes a NodeOperationError for the item, naming the field, through toNodeApiError', () => {
		let error: unknown;
		try {
			encodePathSegment('..', 'Site');
		} catch (caught) {
			error = caught;
		}
		const translated = toNodeApiError(node, error, { itemIndex: 3 });
		expect(translated.name).toBe('NodeOperationError');
		expect(translated.message).toMatch(/^"Site" is or contains "\.\."/);
		expect(translated.description).toMatch(/refused/);
		expect((translated as { context?: { itemIndex?: number } }).context?.itemIndex).toBe(3);
	});
});
