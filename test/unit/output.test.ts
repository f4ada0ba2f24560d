/**
 * shared/output.ts: pre-authenticated URLs never reach output; what holds none is passed on without a copy.
 */
import { withoutPreAuthenticatedUrls } from '../../nodes/Microsoft/shared/output';

describe('withoutPreAuthenticatedUrls', () => {
	it('returns an item that holds no download URL as it is (no copy per listed item)', () => {
		const item = { id: '1', name: 'a', parentReference: { id: 'p', path: '/drive/root:' }, tags: ['x', { y: 1 }], at: new Date(0) };
		expect(withoutPreAuthenticatedUrls(item)).toBe(item);
		const list = [item, { id: '2' }];
		expect(withoutPreAuthenticatedUrls(list)).toBe(list);
	});

	it('copies only the parts that hold one, and never changes the input', () => {
		const clean = { id: 'c' };
		const item = { id: '1', meta: clean, children: [{ id: '2', '@content.downloadUrl': 'https://files/s' }, clean] };
		const out = withoutPreAuthenticatedUrls(item);
		expect(out).toEqual({ id: '1', meta: { id: 'c' }, children: [{ id: '2' }, { id: 'c' }] });
		expect(out).not.toBe(item);
		expect(out.meta).toBe(clean);
		expect(item.children[0]).toEqual({ id: '2', '@content.downloadUrl': 'https://files/s' });
	});

	it('finds a download URL under any annotation prefix, at any depth', () => {
		const deep = { a: [{ b: { '@microsoft.graph.downloadUrl': 'https://files/1', keep: true } }], downloadUrl: 'https://files/2' };
		expect(withoutPreAuthenticatedUrls(deep)).toEqual({ a: [{ b: { keep: true } }] });
	});
});
