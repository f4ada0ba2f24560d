/** Bad input from expressions (past the editor's checks) refused before anything is sent (not even a sign-in), naming the field. */
import { BAD_PATH_SEGMENTS, expectEveryBadInputRefused } from '../../harness/badInput';
import { items, table, useDynamicsFixture } from './fixture';

const fixture = useDynamicsFixture();

describe('Dynamics bad input', () => {
	const checks = (field: string, run: (value: string) => Promise<unknown>) => ({ field, values: BAD_PATH_SEGMENTS, run, requests: () => fixture().requests(), clear: () => fixture().clearRequests() });

	it('Row ID: empty, dot segments, broken text and non-GUIDs are refused', async () => {
		const values = [...BAD_PATH_SEGMENTS, { label: 'not a GUID', value: 'abc' }, { label: 'key injection', value: "00000000-0000-0000-0000-000000000000)/x('" }];
		await expectEveryBadInputRefused({ ...checks('Row ID', (value) => fixture().run({ resource: 'row', operation: 'get', table: table('accounts'), rowId: '={{ $json.v }}' }, { input: items({ v: value }) })), values });
	});

	it('Table: anything but a Dataverse name is refused', async () => {
		const values = [...BAD_PATH_SEGMENTS, { label: 'path', value: 'accounts/../systemusers' }, { label: 'query', value: 'accounts?$top=1' }];
		await expectEveryBadInputRefused({ ...checks('Table', (value) => fixture().run({ resource: 'row', operation: 'getAll', table: table('={{ $json.v }}'), returnAll: true }, { input: items({ v: value }) })), values });
	});

	it('columns JSON that is not an object and conditions of the wrong type are refused', async () => {
		const values = [{ label: 'array', value: '[1]' }, { label: 'broken', value: '{"name":' }, { label: 'bad key', value: '{"name) eq 1":"x"}' }];
		await expectEveryBadInputRefused({ field: 'Columns (JSON)', values, run: (value) => fixture().run({ resource: 'row', operation: 'create', table: table('accounts'), columnsMode: 'json', columnsJson: '={{ $json.v }}' }, { input: items({ v: value }) }), requests: () => fixture().requests(), clear: () => fixture().clearRequests() });
		const numbers = [{ label: 'text', value: 'ten' }, { label: 'injection', value: '1 or 1 eq 1' }];
		await expectEveryBadInputRefused({
			field: 'Condition on revenue',
			values: numbers,
			run: (value) => fixture().run({ resource: 'row', operation: 'getAll', table: table('accounts'), returnAll: true, conditions: { condition: [{ column: 'revenue', operator: 'gt', value: '={{ $json.v }}', valueType: 'number' }] } }, { input: items({ v: value }) }),
			requests: () => fixture().requests(),
			clear: () => fixture().clearRequests(),
		});
	});
});
