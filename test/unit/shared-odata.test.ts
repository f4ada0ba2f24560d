import { encodePathSegment } from '../../nodes/Microsoft/shared/input';
import { odataString } from '../../nodes/Microsoft/shared/odata';

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
