import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { graphRequest } from '../../../shared/transport';
import { itemPath, showFor, type OneDriveResource, type OneDriveOperation } from '../common';
import { resolveTarget, targetProperty } from '../itemTarget';

/** Creates a sharing link (`createLink`). Password and embed links exist on personal OneDrive only. */
export function shareOperation(resource: OneDriveResource): OneDriveOperation {
	return {
		option: { name: 'Create Sharing Link', value: 'share', action: `Create a sharing link for a ${resource}` },
		description: [
			targetProperty(resource, 'share'),
			{
				displayName: 'Link Type',
				name: 'linkType',
				type: 'options',
				description: 'What people who open the link may do',
				options: [
					{ name: 'View', value: 'view', description: 'Read-only link' },
					{ name: 'Edit', value: 'edit', description: 'Read-write link' },
					{ name: 'Embed', value: 'embed', description: 'Embeddable link (personal OneDrive only)' },
				],
				default: 'view',
				displayOptions: showFor(resource, 'share'),
			},
			{
				displayName: 'Scope',
				name: 'linkScope',
				type: 'options',
				description: 'Who can use the link',
				options: [
					{ name: 'Anyone With the Link', value: 'anonymous', description: 'No sign-in needed (if the tenant allows it)' },
					{ name: 'People in the Organization', value: 'organization', description: 'Anyone signed in to your tenant' },
					{ name: 'Specific People', value: 'users', description: 'Only people who already have access' },
				],
				default: 'organization',
				displayOptions: showFor(resource, 'share'),
			},
			{
				displayName: 'Options',
				name: 'shareOptions',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				displayOptions: showFor(resource, 'share'),
				options: [
					{
						displayName: 'Expiration',
						name: 'expirationDateTime',
						type: 'dateTime',
						default: '',
						description: 'When the link stops working',
					},
					{
						displayName: 'Password',
						name: 'password',
						type: 'string',
						typeOptions: { password: true },
						default: '',
						description: 'Password for "Anyone" links on personal OneDrive (not available on OneDrive for Business or SharePoint)',
					},
				],
			},
		],
		async execute(itemIndex, run) {
			const node = this.getNode();
			const type = this.getNodeParameter('linkType', itemIndex, 'view') as string;
			const scope = this.getNodeParameter('linkScope', itemIndex, 'organization') as string;
			const options = this.getNodeParameter('shareOptions', itemIndex, {}) as IDataObject;
			const password = (options.password as string) || '';
			const body: IDataObject = { type, scope };
			if (options.expirationDateTime) {
				const expires = new Date(String(options.expirationDateTime));
				if (Number.isNaN(expires.getTime())) {
					throw new NodeOperationError(node, '"Expiration" is not a valid date', {
						itemIndex,
						description: 'Pick a date in the date picker, or map an ISO 8601 date such as 2026-12-31T17:00:00Z.',
					});
				}
				if (expires.getTime() <= Date.now()) {
					throw new NodeOperationError(node, '"Expiration" is in the past', { itemIndex, description: 'Choose a future date.' });
				}
				body.expirationDateTime = expires.toISOString();
			}
			if (password && scope !== 'anonymous') {
				throw new NodeOperationError(node, '"Password" only works with the scope "Anyone With the Link"', {
					itemIndex,
					description: 'Change "Scope" to "Anyone With the Link", or remove the password.',
				});
			}
			const target = await resolveTarget.call(this, resource, itemIndex, run);
			const driveType = (target.item.parentReference as IDataObject | undefined)?.driveType;
			if (password && driveType && driveType !== 'personal') {
				throw new NodeOperationError(node, '"Password" is only available on personal OneDrive', {
					itemIndex,
					description: `This ${resource} is in a ${String(driveType)} drive (OneDrive for Business / SharePoint), where Microsoft Graph cannot set link passwords. Remove the password; admins can require passwords for "Anyone" links in the SharePoint admin center.`,
				});
			}
			if (type === 'embed' && driveType && driveType !== 'personal') {
				throw new NodeOperationError(node, '"Link Type" Embed is only available on personal OneDrive', {
					itemIndex,
					description: 'Choose View or Edit for OneDrive for Business and SharePoint.',
				});
			}
			if (password) body.password = password;
			const response = await graphRequest(this, run.conn, {
				method: 'POST',
				url: `${itemPath(target.driveId, target.itemId)}/createLink`,
				body,
				itemIndex,
				operation: `share the ${resource}`,
			});
			const permission = response.body as IDataObject;
			const link = (permission.link ?? {}) as IDataObject;
			return { ...permission, url: link.webUrl, itemId: target.itemId };
		},
	};
}

