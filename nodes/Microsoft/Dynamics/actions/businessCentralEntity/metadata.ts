/**
 * What the node reads from a Business Central API root's `$metadata` (CSDL): the company's entity sets (contained
 * navigations of the `companies` set's type), the line sets reached through a document (contained navigations of a
 * set's type, e.g. salesInvoices → salesInvoiceLines) and the bound actions of each entity type (`<Action IsBound="true">`
 * whose first parameter is the binding parameter; one overload per type, e.g. `post` for salesInvoice and purchaseInvoice).
 */

export interface BcLineSet {
	/** the navigation's name, e.g. salesInvoiceLines */
	name: string;
	/** the company-level set of the documents, e.g. salesInvoices */
	parentSet: string;
}

export interface BcMetadata {
	/** the schema's namespace (Microsoft.NAV), which qualifies action names in URLs */
	namespace: string;
	/** company-level entity set → its entity type (unqualified), e.g. salesInvoices → salesInvoice */
	sets: Map<string, string>;
	/** line set name → where it lives (the first document set that contains it) */
	lineSets: Map<string, BcLineSet>;
	/** entity type (unqualified) → bound action names */
	actions: Map<string, string[]>;
}

const attribute = (tag: string, name: string): string | undefined => new RegExp(`\\b${name}="([^"]*)"`).exec(tag)?.[1];
const unqualified = (type: string): string => type.replace(/^Collection\((.*)\)$/, '$1').split('.').pop() ?? type;

/** Contained collection navigations of an entity type's body: name → target type (unqualified). */
function containedNavigations(body: string): Array<[string, string]> {
	return [...body.matchAll(/<NavigationProperty\b[^>]*>/g)]
		.map((match) => match[0])
		.filter((tag) => attribute(tag, 'ContainsTarget') === 'true' && /^Collection\(/.test(attribute(tag, 'Type') ?? ''))
		.map((tag) => [attribute(tag, 'Name') ?? '', unqualified(attribute(tag, 'Type') ?? '')] as [string, string])
		.filter(([name]) => name);
}

export function parseBcMetadata(csdl: string): BcMetadata {
	const namespace = /<Schema\b[^>]*\bNamespace="([^"]+)"/.exec(csdl)?.[1] ?? 'Microsoft.NAV';
	const types = new Map([...csdl.matchAll(/<EntityType\b([^>]*)>([\s\S]*?)<\/EntityType>/g)].map((match) => [attribute(match[1], 'Name') ?? '', match[2]]));
	const companyTypeName = unqualified(/<EntitySet\s+Name="companies"\s+EntityType="([^"]+)"/.exec(csdl)?.[1] ?? 'company');
	// A document that names a type it does not declare: the type holding the most contained sets is the company.
	const companyBody = types.get(companyTypeName) ?? [...types.values()].sort((a, b) => containedNavigations(b).length - containedNavigations(a).length)[0] ?? '';
	const sets = new Map(containedNavigations(companyBody));
	const lineSets = new Map<string, BcLineSet>();
	for (const [parentSet, type] of [...sets].sort(([a], [b]) => a.localeCompare(b))) {
		for (const [name] of containedNavigations(types.get(type) ?? '')) if (!lineSets.has(name)) lineSets.set(name, { name, parentSet });
	}
	const actions = new Map<string, string[]>();
	for (const match of csdl.matchAll(/<Action\b([^>]*)>([\s\S]*?)<\/Action>/g)) {
		const name = attribute(match[1], 'Name');
		const binding = /<Parameter\b[^>]*>/.exec(match[2])?.[0];
		if (!name || attribute(match[1], 'IsBound') !== 'true' || !binding) continue;
		const type = unqualified(attribute(binding, 'Type') ?? '');
		actions.set(type, [...new Set([...(actions.get(type) ?? []), name])]);
	}
	return { namespace, sets, lineSets, actions };
}

/** Bound actions of an entity set (company-level or a line set), sorted. */
export function actionsOf(metadata: BcMetadata, entitySet: string): string[] {
	const type = metadata.sets.get(entitySet);
	return type ? [...(metadata.actions.get(type) ?? [])].sort() : [];
}
