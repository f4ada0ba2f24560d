/**
 * The harness behaves like n8n's engine around a node: continue-on-fail, pairedItem assignment,
 * resource locators with extractValue, `=`-expressions, listSearch through LoadOptionsContext and
 * polling with static data that survives a (simulated) restart.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type INodeExecutionData,
	type INodeListSearchResult,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
	VersionedNodeType,
} from 'n8n-workflow';

import { createHarness, type Harness } from '../harness';

const description: INodeTypeDescription = {
	displayName: 'Harness Items',
	name: 'harnessItems',
	group: ['transform'],
	version: [1, 2],
	description: 'test node',
	defaults: { name: 'Harness Items' },
	inputs: ['main'],
	outputs: ['main'],
	properties: [
		{
			displayName: 'Behaviour',
			name: 'behaviour',
			type: 'options',
			options: [
				{ name: 'Per Item', value: 'perItem' },
				{ name: 'Throw', value: 'throw' },
				{ name: 'No Paired Item', value: 'noPairedItem' },
			],
			default: 'perItem',
		},
		{ displayName: 'Prefix', name: 'prefix', type: 'string', default: 'item-' },
		{
			displayName: 'Folder',
			name: 'folder',
			type: 'resourceLocator',
			default: { mode: 'list', value: '' },
			modes: [
				{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: 'searchFolders' } },
				{
					displayName: 'By URL',
					name: 'url',
					type: 'string',
					extractValue: { type: 'regex', regex: 'https://files\\.example/folders/([A-Za-z0-9!]+)' },
				},
				{ displayName: 'By ID', name: 'id', type: 'string' },
			],
		},
	],
};

/** Fails on items whose json.fail is true; honours continueOnFail per item like our nodes must. */
class ItemsNode implements INodeType {
	description = description;

	methods = {
		listSearch: {
			async searchFolders(this: ILoadOptionsFunctions, filter?: string): Promise<INodeListSearchResult> {
				const prefix = this.getNodeParameter('prefix', '') as string;
				const names = ['Documents', 'Photos', 'Projects'].filter((n) => !filter || n.toLowerCase().startsWith(filter.toLowerCase()));
				return { results: names.map((name) => ({ name, value: `${prefix}${name}` })) };
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const behaviour = this.getNodeParameter('behaviour', 0) as string;
		if (behaviour === 'throw') throw new NodeOperationError(this.getNode(), 'Whole run failed', { description: 'fix X' });
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				if (items[i].json.fail === true) {
					throw new NodeOperationError(this.getNode(), `Item ${i} failed`, { itemIndex: i });
				}
				const folder = this.getNodeParameter('folder', i, undefined, { extractValue: true }) as string;
				const prefix = this.getNodeParameter('prefix', i) as string;
				const json: IDataObject = { name: `${prefix}${i}`, folder, version: this.getNode().typeVersion };
				out.push(behaviour === 'noPairedItem' ? { json } : { json, pairedItem: { item: i } });
			} catch (error) {
				if (!this.continueOnFail()) throw error;
				out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
			}
		}
		return [out];
	}
}

class PollingNode implements INodeType {
	description: INodeTypeDescription = {
		...description,
		displayName: 'Harness Poll',
		name: 'harnessPoll',
		version: 1,
		polling: true,
		inputs: [],
		properties: [],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const state = this.getWorkflowStaticData('node');
		const last = typeof state.lastSeen === 'number' ? state.lastSeen : 0;
		state.lastSeen = last + 2;
		if (this.getMode() === 'manual') return [[{ json: { sample: true } }]];
		return [[{ json: { n: last + 1 } }, { json: { n: last + 2 } }]];
	}
}

describe('harness: engine behaviour', () => {
	let h: Harness;
	beforeAll(() => {
		h = createHarness();
	});
	afterAll(async () => await h.cleanup());

	const input = [{ json: { a: 1 } }, { json: { fail: true } }, { json: { a: 3 } }];

	it('continueOnFail: failing item becomes an error item with its pairedItem; others succeed', async () => {
		const out = await h.execute(new ItemsNode(), {
			parameters: { folder: { __rl: true, mode: 'id', value: 'F1' } },
			input,
			continueOnFail: true,
		});
		expect(out[0]).toEqual([
			{ json: { name: 'item-0', folder: 'F1', version: 2 }, pairedItem: { item: 0 } },
			{ json: { error: 'Item 1 failed' }, pairedItem: { item: 1 } },
			{ json: { name: 'item-2', folder: 'F1', version: 2 }, pairedItem: { item: 2 } },
		]);
	});

	it('without continueOnFail the run fails with the node’s own NodeOperationError', async () => {
		const run = h.execute(new ItemsNode(), { parameters: { folder: { __rl: true, mode: 'id', value: 'F1' } }, input });
		await expect(run).rejects.toBeInstanceOf(NodeOperationError);
		await expect(run).rejects.toMatchObject({ message: 'Item 1 failed', context: { itemIndex: 1 } });
	});

	it('a node that throws outright with continueOnFail passes its input through (n8n behaviour)', async () => {
		const out = await h.execute(new ItemsNode(), { parameters: { behaviour: 'throw' }, input, continueOnFail: true });
		expect(out[0].map((item) => item.json)).toEqual(input.map((item) => item.json));
		expect(h.lastRun?.data.resultData.runData['Harness Items'][0].error?.message).toBe('Whole run failed');
	});

	it('the engine assigns pairedItem when the node leaves it out and item counts match', async () => {
		const out = await h.execute(new ItemsNode(), {
			parameters: { behaviour: 'noPairedItem', folder: { __rl: true, mode: 'id', value: 'F' } },
			input: [{ json: {} }, { json: {} }],
		});
		expect(out[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('resource locator extractValue, expressions and typeVersion', async () => {
		const out = await h.execute(new ItemsNode(), {
			parameters: {
				folder: { __rl: true, mode: 'url', value: 'https://files.example/folders/ABC!123?x=1' },
				prefix: '={{ "p-" + $json.a + "-" }}',
			},
			input: [{ json: { a: 7 } }],
			typeVersion: 1,
		});
		expect(out[0][0].json).toEqual({ name: 'p-7-0', folder: 'ABC!123', version: 1 });
	});

	it('an invalid URL in a resource locator gives n8n’s own error', async () => {
		const run = h.execute(new ItemsNode(), {
			parameters: { folder: { __rl: true, mode: 'url', value: 'https://elsewhere.example/x' } },
		});
		await expect(run).rejects.toThrow(/Folder/);
	});

	it('executeContext gives a real IExecuteFunctions for direct calls', async () => {
		const ctx = h.executeContext(new ItemsNode(), {
			parameters: { folder: { __rl: true, mode: 'list', value: 'X', cachedResultName: 'X' } },
			input: [{ json: { a: 1 } }],
		});
		expect(ctx.getInputData()).toEqual([{ json: { a: 1 } }]);
		expect(ctx.getNodeParameter('folder', 0, undefined, { extractValue: true })).toBe('X');
		expect(ctx.getNodeParameter('prefix', 0)).toBe('item-'); // default from the description
		expect(ctx.continueOnFail()).toBe(false);
	});

	it('loadOptionsContext runs listSearch with the current parameters', async () => {
		const node = new ItemsNode();
		const lo = h.loadOptionsContext(node, { parameters: { prefix: 'id:' } });
		const result = await node.methods.listSearch.searchFolders.call(lo, 'p');
		expect(result.results).toEqual([
			{ name: 'Photos', value: 'id:Photos' },
			{ name: 'Projects', value: 'id:Projects' },
		]);
		expect(lo.getCurrentNodeParameter('prefix')).toBe('id:');
	});

	it('poll: static data persists across polls and survives a JSON round-trip (restart)', async () => {
		const node = new PollingNode();
		const staticData: IDataObject = {};
		expect(await h.poll(node, { staticData })).toEqual([[{ json: { n: 1 } }, { json: { n: 2 } }]]);
		expect(staticData.lastSeen).toBe(2);
		expect(await h.poll(node, { staticData })).toEqual([[{ json: { n: 3 } }, { json: { n: 4 } }]]);

		const restarted = JSON.parse(JSON.stringify(staticData)) as IDataObject;
		const ctx = h.pollContext(node, { staticData: restarted });
		expect(await node.poll.call(ctx)).toEqual([[{ json: { n: 5 } }, { json: { n: 6 } }]]);
		expect(h.pollStaticData(ctx).lastSeen).toBe(6);
		expect(restarted.lastSeen).toBe(6);
		expect(staticData.lastSeen).toBe(4);

		const manual = h.pollContext(node, { staticData: {}, mode: 'manual' });
		expect(manual.getMode()).toBe('manual');
		expect(await node.poll.call(manual)).toEqual([[{ json: { sample: true } }]]);
	});

	it('versioned node types (v2 layout): default version runs unless typeVersion says otherwise', async () => {
		const versionNode = (v: number): INodeType => ({
			description: { ...description, version: v, properties: [] },
			async execute(this: IExecuteFunctions) {
				return [[{ json: { ran: v, typeVersion: this.getNode().typeVersion } }]];
			},
		});
		const versioned = new VersionedNodeType(
			{ 1: versionNode(1), 2: versionNode(2) },
			{ displayName: 'Harness Versioned', name: 'harnessVersioned', group: ['transform'], description: 'test', defaultVersion: 2 },
		);
		expect((await h.execute(versioned))[0][0].json).toEqual({ ran: 2, typeVersion: 2 });
		expect((await h.execute(versioned, { typeVersion: 1 }))[0][0].json).toEqual({ ran: 1, typeVersion: 1 });
	});
});
