import { drivePath, shareIdFromUrl } from '../../../nodes/Microsoft/OneDrive/helpers/paths';

describe('drivePath', () => {
	it('encodes each segment and keeps /', () => {
		expect(drivePath('/Reports/2026/a#b.txt', 'Path')).toBe('/Reports/2026/a%23b.txt');
		expect(drivePath('Reports/Q1 plan?.docx', 'Path')).toBe('/Reports/Q1%20plan%3F.docx');
		expect(drivePath('//a//100%/', 'Path')).toBe('/a/100%25');
		expect(drivePath('/', 'Path')).toBe('/');
	});
	it('refuses dot segments', () => {
		expect(() => drivePath('/a/../b', 'Path')).toThrow('"Path" is or contains ".."');
		expect(() => drivePath('/a/%2e%2e/b', 'Path')).toThrow('"Path"');
	});
	it('round-trips through decodeURIComponent per segment', () => {
		const original = ['Q&A', 'x+y=z', 'a;b,c', "d'e", 'f g'];
		const encoded = drivePath(original.join('/'), 'Path');
		expect(encoded.slice(1).split('/').map(decodeURIComponent)).toEqual(original);
	});
});

describe('shareIdFromUrl', () => {
	it('matches the Graph documentation example', () => {
		// Example from Microsoft Graph "Accessing shared driveItems".
		expect(shareIdFromUrl('https://onedrive.live.com/redir?resid=1231244193912!12&authKey=1201919!12921!1')).toBe(
			'u!aHR0cHM6Ly9vbmVkcml2ZS5saXZlLmNvbS9yZWRpcj9yZXNpZD0xMjMxMjQ0MTkzOTEyITEyJmF1dGhLZXk9MTIwMTkxOSExMjkyMSEx',
		);
	});
});
