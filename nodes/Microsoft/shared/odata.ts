/** Escaping user values for OData queries (Graph, Dataverse, F&O, Business Central); path segments: input.ts. */

/** An OData string literal: wrapped in single quotes, inner single quotes doubled (`O'Brien` → `'O''Brien'`). */
export function odataString(value: string): string {
	return `'${String(value).replace(/'/g, "''")}'`;
}
