/**
 * Output of large objects (driveItems, messages, events): Simplified (a compact object a workflow usually
 * needs), Raw (everything Microsoft returns) or Selected Fields. Simplified and Selected Fields send
 * `$select`, so Microsoft returns only what is shown instead of everything being downloaded and filtered.
 */
import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

export type OutputMode = 'simple' | 'raw' | 'fields';

export interface OutputSpec {
	/** Graph properties the simplified form is built from. */
	simplifiedSelect: string[];
	simplify: (item: IDataObject) => IDataObject;
	/** Graph properties the node itself needs whatever the user picks (e.g. to check an item's kind). */
	alwaysSelect?: string[];
}

export interface OutputShape {
	/** `$select` to send, or undefined for everything (Raw). */
	select?: string;
	shape(item: IDataObject): IDataObject;
}

/** The Output choice and, for Selected Fields, the field list. */
export function outputProperties(displayOptions: IDisplayOptions, what: string, fields: INodePropertyOptions[]): INodeProperties[] {
	const show = displayOptions.show ?? {};
	return [
		{
			displayName: 'Output',
			name: 'output',
			type: 'options',
			options: [
				{ name: 'Simplified', value: 'simple', description: `A compact ${what} with the fields most workflows need` },
				{ name: 'Raw', value: 'raw', description: `The whole ${what} as Microsoft returns it` },
				{ name: 'Selected Fields', value: 'fields', description: 'Only the fields you choose (Microsoft sends nothing else)' },
			],
			default: 'simple',
			displayOptions,
		},
		{
			displayName: 'Fields',
			name: 'fields',
			type: 'multiOptions',
			options: fields,
			default: [],
			description: 'The fields to return',
			displayOptions: { show: { ...show, output: ['fields'] } },
		},
	];
}

function unique(names: string[]): string[] {
	return [...new Set(names.filter(Boolean))];
}

/** The user's choice for one item: what to ask Microsoft for and how to shape what comes back. */
export function readOutputShape(this: IExecuteFunctions, itemIndex: number, spec: OutputSpec): OutputShape {
	const mode = this.getNodeParameter('output', itemIndex, 'simple') as OutputMode;
	const always = spec.alwaysSelect ?? [];
	if (mode === 'raw') return { shape: (item) => item };
	if (mode === 'fields') {
		const fields = unique(['id', ...((this.getNodeParameter('fields', itemIndex, []) as string[]) ?? [])]);
		return {
			select: unique([...fields, ...always]).join(','),
			shape: (item) => Object.fromEntries(fields.filter((field) => item[field] !== undefined).map((field) => [field, item[field]])),
		};
	}
	return { select: unique([...spec.simplifiedSelect, ...always]).join(','), shape: spec.simplify };
}
