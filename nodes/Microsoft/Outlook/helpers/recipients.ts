/** E-mail recipients typed by users: "a@x.com, B <b@y.com>; c@z.com" → Graph recipients, checked first. */
import type { IDataObject } from 'n8n-workflow';

import { InputValueError } from '../../shared/input';

/** Deliberately simple (RFC 5322 is not what users type): one @, no spaces, a dot in the domain. */
const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;

export interface Recipient {
	emailAddress: { address: string; name?: string };
}

/** Parses a list (comma, semicolon or new line separated, `Name <address>` allowed); refuses bad addresses naming the field. */
export function parseRecipients(value: unknown, field: string): Recipient[] {
	const list = Array.isArray(value) ? value.map(String) : String(value ?? '').split(/[,;\n]/);
	const recipients: Recipient[] = [];
	for (const raw of list) {
		const text = raw.trim();
		if (!text) continue;
		const named = /^(.*?)\s*<([^<>]+)>$/.exec(text);
		const address = (named ? named[2] : text).trim();
		const name = named?.[1].replace(/^"|"$/g, '').trim();
		if (!ADDRESS.test(address)) {
			throw new InputValueError(field, `contains "${text}", which is not an e-mail address`, 'Separate addresses with commas, e.g. alice@contoso.com, Bob <bob@contoso.com>.');
		}
		recipients.push({ emailAddress: { address, ...(name ? { name } : {}) } });
	}
	return recipients;
}

/** Graph recipients → "Name <address>" strings for simplified output. */
export function recipientsText(value: unknown): string[] {
	if (!Array.isArray(value)) return [];
	return (value as IDataObject[]).map((recipient) => {
		const email = (recipient.emailAddress ?? {}) as IDataObject;
		return email.name && email.name !== email.address ? `${String(email.name)} <${String(email.address)}>` : String(email.address ?? '');
	});
}
