import type { IDataObject, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { InputValueError } from '../../../shared/input';
import { graphRequest } from '../../../shared/transport';
import { showFor, type OutlookOperation } from '../common';
import { CONTACT, CONTACT_DETAILS, contactBody } from '../contactCommon';
import { itemOutput, readItemOutput } from '../mailboxItem';

export const option: INodePropertyOptions = { name: 'Create', value: 'create', action: 'Create a contact' };

const show = showFor('contact', 'create');

export const description: INodeProperties[] = [
	{ displayName: 'Given Name', name: 'givenName', type: 'string', required: true, default: '', description: 'The contact\'s first name', displayOptions: show },
	{ displayName: 'Surname', name: 'surname', type: 'string', default: '', description: 'The contact\'s last name', displayOptions: show },
	{ displayName: 'Additional Fields', name: 'contactFields', type: 'collection', placeholder: 'Add field', default: {}, displayOptions: show, options: CONTACT_DETAILS },
	...itemOutput(CONTACT, 'create'),
];

export const execute: OutlookOperation['execute'] = async function (itemIndex, run) {
	const fields = this.getNodeParameter('contactFields', itemIndex, {}) as IDataObject;
	const body = contactBody({ ...fields, givenName: this.getNodeParameter('givenName', itemIndex, ''), surname: this.getNodeParameter('surname', itemIndex, '') });
	if (!body.givenName) throw new InputValueError('Given Name', 'is empty', 'Enter the contact\'s first name.');
	if (!body.surname) delete body.surname;
	const output = readItemOutput.call(this, CONTACT, itemIndex);
	const response = await graphRequest(this, run.conn, { method: 'POST', url: `${run.mailbox.path}/contacts`, body, itemIndex, operation: 'create the contact' });
	return output.shape(response.body as IDataObject);
};
