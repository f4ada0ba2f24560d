/**
 * The credential types the harness knows: n8n's base `oAuth2Api` (our description of it), every class
 * exported from `credentials/*.credentials.ts` (compiled by ts-jest on require) and test-only types
 * passed to `createHarness`. Parent lookup follows `extends` like n8n's CredentialTypes does.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { ICredentialType } from 'n8n-workflow';

import { oAuth2ApiType } from './oAuth2Api';

const credentialsDir = resolve(__dirname, '../../credentials');

function isCredentialType(value: unknown): value is ICredentialType {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as ICredentialType).name === 'string' &&
		Array.isArray((value as ICredentialType).properties)
	);
}

/** Instantiates every exported class of every `*.credentials.ts` file in the package's credentials folder. */
export function loadPackageCredentialTypes(): ICredentialType[] {
	let files: string[];
	try {
		files = readdirSync(credentialsDir).filter((f) => f.endsWith('.credentials.ts'));
	} catch {
		return []; // the folder does not exist yet
	}
	const types: ICredentialType[] = [];
	for (const file of files) {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const exported = require(join(credentialsDir, file)) as Record<string, unknown>;
		for (const value of Object.values(exported)) {
			if (typeof value !== 'function') continue;
			const instance: unknown = new (value as new () => unknown)();
			if (isCredentialType(instance)) types.push(instance);
		}
	}
	return types;
}

export class CredentialTypeRegistry {
	private readonly types = new Map<string, ICredentialType>();

	constructor(extraTypes: ICredentialType[] = [], loadPackageTypes = true) {
		this.add(oAuth2ApiType);
		if (loadPackageTypes) for (const type of loadPackageCredentialTypes()) this.add(type);
		for (const type of extraTypes) this.add(type);
	}

	add(type: ICredentialType): void {
		this.types.set(type.name, type);
	}

	has(name: string): boolean {
		return this.types.has(name);
	}

	get(name: string): ICredentialType {
		const type = this.types.get(name);
		if (!type) throw new Error(`Unknown credential type "${name}" (not in credentials/ nor passed to createHarness)`);
		return type;
	}

	/** All ancestors, nearest first (n8n's getParentTypes includes grand-parents too). */
	getParentTypes(name: string): string[] {
		const parents = this.types.get(name)?.extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}
}
