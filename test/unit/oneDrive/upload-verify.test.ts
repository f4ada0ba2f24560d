import type { INode } from 'n8n-workflow';

import { verifyUpload } from '../../../nodes/Microsoft/OneDrive/actions/file/upload.operation';
import { quickXorHash } from '../../../nodes/Microsoft/OneDrive/helpers/quickXorHash';

const node: INode = {
	id: 'n',
	name: 'OneDrive',
	type: 'n8n-nodes-microsoft-365.microsoft365OneDrive',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const ctx = { getNode: () => node };
const sent = Buffer.from('the bytes we sent');
const hash = quickXorHash(sent);
const stored = (size: number, quickXor: string) => ({ id: 'X1', name: 'a.txt', size, file: { hashes: { quickXorHash: quickXor } } });

describe('verifyUpload', () => {
	it('accepts the item when size and quickXorHash match', () => {
		expect(() => verifyUpload(ctx, stored(sent.length, hash), sent.length, hash, 0)).not.toThrow();
	});

	it('reports a size mismatch', () => {
		expect(() => verifyUpload(ctx, stored(sent.length - 1, hash), sent.length, hash, 0)).toThrow(
			`Upload verification failed: OneDrive stored size ${sent.length - 1} bytes instead of ${sent.length}`,
		);
	});

	it('reports a hash mismatch', () => {
		const other = quickXorHash(Buffer.from('the bytes we did not send'));
		expect(() => verifyUpload(ctx, stored(sent.length, other), sent.length, hash, 0)).toThrow(
			`Upload verification failed: OneDrive stored quickXorHash ${other} instead of ${hash}`,
		);
	});

	it('passes when OneDrive reports no hash (personal OneDrive may omit quickXorHash)', () => {
		expect(() => verifyUpload(ctx, { id: 'X', size: sent.length, file: {} }, sent.length, hash, 0)).not.toThrow();
	});
});
