/** Contacts: the kind (picker, paths, output) and the fields a contact is created or changed with. */
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { assertWellFormedText } from '../../shared/input';
import { parseTime } from '../helpers/dateTime';
import { parseRecipients } from '../helpers/recipients';
import { CONTACT_SIMPLIFIED_SELECT, simplifyContact } from '../helpers/simplifyEvent';
import type { MailboxItemKind } from './mailboxItem';

export const CONTACT: MailboxItemKind = {
	resource: 'contact',
	noun: 'contact',
	field: 'Contact',
	locatorName: 'contactId',
	collection: 'contacts',
	searchListMethod: 'searchContacts',
	locatorDescription: 'The contact: pick it (type to search by name), or enter its ID',
	idPlaceholder: 'e.g. AAMkADg3...',
	fields: [
		'id', 'displayName', 'givenName', 'middleName', 'surname', 'nickName', 'title', 'emailAddresses', 'businessPhones', 'homePhones', 'mobilePhone',
		'companyName', 'jobTitle', 'department', 'officeLocation', 'businessAddress', 'homeAddress', 'birthday', 'personalNotes', 'categories',
		'parentFolderId', 'createdDateTime', 'lastModifiedDateTime', 'changeKey',
	],
	simplifiedSelect: CONTACT_SIMPLIFIED_SELECT,
	simplify: simplifyContact,
};

const text = (displayName: string, name: string, description: string): INodeProperties => ({ displayName, name, type: 'string', default: '', description });

/** Optional contact fields (create: Additional Fields; update adds Given Name and Surname). */
export const CONTACT_DETAILS: INodeProperties[] = [
	{ displayName: 'Birthday', name: 'birthday', type: 'dateTime', default: '', description: 'The contact\'s birthday (the date is used)' },
	text('Business Phones', 'businessPhones', 'Business phone numbers, separated by commas'),
	text('Categories', 'categories', 'Outlook categories, separated by commas'),
	text('Company Name', 'companyName', 'The contact\'s company'),
	text('Department', 'department', 'The contact\'s department'),
	text('Display Name', 'displayName', 'Name shown in Outlook (default: built from the names)'),
	{ ...text('Email Addresses', 'emailAddresses', 'E-mail addresses, separated by commas (Outlook keeps up to three)'), placeholder: 'e.g. alice@contoso.com, Alice Work <alice@fabrikam.com>' },
	text('Home Phones', 'homePhones', 'Home phone numbers, separated by commas'),
	text('Job Title', 'jobTitle', 'The contact\'s job title'),
	text('Middle Name', 'middleName', 'The contact\'s middle name'),
	text('Mobile Phone', 'mobilePhone', 'The contact\'s mobile number'),
	text('Nickname', 'nickName', 'The contact\'s nickname'),
	{ ...text('Notes', 'personalNotes', 'Notes about the contact'), typeOptions: { rows: 3 } },
	text('Office Location', 'officeLocation', 'Where the contact\'s office is'),
	text('Title', 'title', 'Title such as Dr.'),
];

const LISTS: Record<string, string> = { businessPhones: 'Business Phones', homePhones: 'Home Phones', categories: 'Categories' };
const TEXTS: Record<string, string> = {
	givenName: 'Given Name', surname: 'Surname', displayName: 'Display Name', companyName: 'Company Name', department: 'Department', jobTitle: 'Job Title',
	middleName: 'Middle Name', mobilePhone: 'Mobile Phone', nickName: 'Nickname', personalNotes: 'Notes', officeLocation: 'Office Location', title: 'Title',
};

/** The Graph contact body for the fields given; every value checked first (addresses, text, birthday). */
export function contactBody(fields: IDataObject): IDataObject {
	const body: IDataObject = {};
	for (const [name, field] of Object.entries(TEXTS)) if (fields[name] !== undefined) body[name] = assertWellFormedText(String(fields[name]).trim(), field);
	for (const [name, field] of Object.entries(LISTS)) {
		if (fields[name] !== undefined) body[name] = assertWellFormedText(String(fields[name]), field).split(',').map((entry) => entry.trim()).filter(Boolean);
	}
	if (fields.emailAddresses !== undefined) body.emailAddresses = parseRecipients(fields.emailAddresses, 'Email Addresses').map((recipient) => recipient.emailAddress);
	if (fields.birthday !== undefined && fields.birthday !== '') body.birthday = `${parseTime(fields.birthday, 'Birthday').wall.slice(0, 10)}T00:00:00Z`;
	return body;
}
