/** Small description builders every node's operations use. */
import type { IDisplayOptions, IExecuteFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** displayOptions for one resource/operation pair (plus any extra conditions). */
export function showFor(resource: string, operation: string, extra: Record<string, unknown[]> = {}): IDisplayOptions {
	return { show: { resource: [resource], operation: [operation], ...extra } } as IDisplayOptions;
}

/** The Resource dropdown. */
export function resourceProperty(options: INodePropertyOptions[], defaultValue: string): INodeProperties {
	return { displayName: 'Resource', name: 'resource', type: 'options', noDataExpression: true, options, default: defaultValue };
}

/** One resource's Operation dropdown (options as in the resource's index: one line per operation). */
export function operationProperty(resource: string, options: INodePropertyOptions[], defaultValue: string): INodeProperties {
	return {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options,
		default: defaultValue,
	};
}

/** Return All + Limit for operations that list things. */
export function returnAllProperties(resource: string, operation: string): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: showFor(resource, operation),
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: showFor(resource, operation, { returnAll: [false] }),
		},
	];
}

/** The Limit the user set, or undefined for Return All. */
export function readLimit(this: IExecuteFunctions, itemIndex: number): number | undefined {
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	return returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
}
