import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { showFor, type OutlookOperation } from '../common';
import { CONTACT, CONTACT_DETAILS, contactBody } from '../contactCommon';
import { itemLocator, itemOutput, updateItem } from '../mailboxItem';

export const option: INodePropertyOptions = { name: 'Update', value: 'update', action: 'Update a contact' };

const UPDATE_FIELDS = ([
	...CONTACT_DETAILS,
	{ displayName: 'Given Name', name: 'givenName', type: 'string', default: '', description: 'The contact\'s first name' },
	{ displayName: 'Surname', name: 'surname', type: 'string', default: '', description: 'The contact\'s last name' },
] as INodeProperties[]).sort((a, b) => a.displayName.localeCompare(b.displayName));

export const description: INodeProperties[] = [
	itemLocator(CONTACT, showFor('contact', 'update')),
	{ displayName: 'Update Fields', name: 'contactUpdateFields', type: 'collection', placeholder: 'Add field', default: {}, displayOptions: showFor('contact', 'update'), options: UPDATE_FIELDS },
	...itemOutput(CONTACT, 'update'),
];

/** PATCH with only the changed fields (idempotent). */
export const execute: OutlookOperation['execute'] = async function (itemIndex, run) {
	const fields = this.getNodeParameter('contactUpdateFields', itemIndex, {}) as IDataObject;
	return await updateItem.call(this, CONTACT, run, itemIndex, contactBody(fields));
};
