import { encodeShareId, parseSharingUrl, SharingUrlError } from '../../../nodes/Microsoft/OneDrive/helpers/sharingUrl';

function decodeShareId(id: string): string {
	expect(id.startsWith('u!')).toBe(true);
	return Buffer.from(id.slice(2).replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
}

describe('parseSharingUrl', () => {
	const accepted: Array<[string, string, string, boolean]> = [
		['OneDrive personal browser URL', 'https://onedrive.live.com/?id=D4648F06C91D9D3D%2154927&cid=D4648F06C91D9D3D', 'personal', false],
		['OneDrive personal short link', 'https://1drv.ms/x/s!AkxxB0bDqNlJgYcSpBfTz9uKJ9zL', 'personal', true],
		['OneDrive for Business file', 'https://contoso-my.sharepoint.com/personal/alice_contoso_com/Documents/Reports/q1.xlsx', 'business', false],
		['SharePoint library file', 'https://contoso.sharepoint.com/sites/Team/Shared%20Documents/Plan.docx', 'sharepoint', false],
		['SharePoint sharing link', 'https://contoso.sharepoint.com/:x:/s/Team/EaBcDeFgHiJkLmN?e=AbC123', 'sharepoint', true],
		['GCC High SharePoint', 'https://agency.sharepoint.us/sites/Ops/Shared%20Documents/a.txt', 'sharepoint', false],
		['China SharePoint', 'https://contoso.sharepoint.cn/sites/Ops/Shared%20Documents/a.txt', 'sharepoint', false],
	];
	it.each(accepted)('accepts %s', (_label, url, kind, isSharingLink) => {
		const parsed = parseSharingUrl(url);
		expect(parsed.kind).toBe(kind);
		expect(parsed.isSharingLink).toBe(isSharingLink);
		expect(parsed.url).toBe(url);
	});

	it.each([
		['a foreign host', 'https://evil.example.com/sites/Team/doc.docx', /not a OneDrive or SharePoint host/],
		['a look-alike suffix', 'https://contoso.sharepoint.com.evil.net/x', /not a OneDrive or SharePoint host/],
		['the bare sharepoint.com', 'https://sharepoint.com/x', /not a OneDrive or SharePoint host/],
		['plain http', 'http://contoso.sharepoint.com/sites/Team/a.txt', /https/],
		['embedded credentials', 'https://user:pw@contoso.sharepoint.com/a.txt', /user name or password/],
		['text that is no URL', 'Reports/q1.xlsx', /not a URL/],
	])('refuses %s', (_label, url, message) => {
		expect(() => parseSharingUrl(url)).toThrow(SharingUrlError);
		expect(() => parseSharingUrl(url)).toThrow(message);
	});

	it('accepts a custom cloud host only when it is passed in', () => {
		expect(() => parseSharingUrl('https://127.0.0.1:8443/sites/x/a.txt')).toThrow(SharingUrlError);
		expect(parseSharingUrl('https://127.0.0.1:8443/sites/x/a.txt', ['127.0.0.1:8443']).kind).toBe('custom');
	});

	it('drops the fragment but keeps the link as pasted', () => {
		expect(parseSharingUrl(' https://1drv.ms/u/s!Abc?e=x#view ').url).toBe('https://1drv.ms/u/s!Abc?e=x');
	});
});

describe('encodeShareId', () => {
	it('is u! + unpadded base64url of the URL', () => {
		const url = 'https://contoso.sharepoint.com/:w:/s/Team/Eb?e=1~é';
		const id = encodeShareId(url);
		expect(id).not.toMatch(/[=+/]/);
		expect(decodeShareId(id)).toBe(url);
	});
	it('matches the example in the Graph documentation', () => {
		// Graph "Access shared items": this URL encodes to u!aHR0cHM6Ly9vbmVkcml2ZS5saXZlLmNvbS9yZWRpcj9yZXNpZD0xMjM0
		expect(encodeShareId('https://onedrive.live.com/redir?resid=1234')).toBe(
			'u!aHR0cHM6Ly9vbmVkcml2ZS5saXZlLmNvbS9yZWRpcj9yZXNpZD0xMjM0',
		);
	});
});
